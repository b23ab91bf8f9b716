import type { CheckStatus } from '@shared/check.ts';

export const STATUS_TEXT: Record<CheckStatus, string> = {
  approved: 'Original',
  duplicate_self: 'Duplicate of yours',
  flagged_plagiarism: 'Likely copy',
  derivative_potential: 'Possible derivative',
};

export function StatusBadge({ status }: { status: CheckStatus | null | undefined }) {
  if (!status) return <span className="badge unchecked">Not checked</span>;
  return <span className={`badge ${status}`}>{STATUS_TEXT[status]}</span>;
}

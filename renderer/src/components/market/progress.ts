/**
 * The submission progress steps of the editor's marketplace panel (queued → in review → decision →
 * published), from the listing's tracking: the steps reached, the current one, and a failed step —
 * when the latest submission could not be sent (failed, or waiting for the creator's action) or the
 * decision refused it. Never a reached-looking "queued" while the status says it failed.
 */
import type { OutboxOpView, Tracking } from '@shared/api.ts';

export interface Step {
  label: string;
  /** reached: passed or current (green); failed: stopped here (red); todo: not reached. */
  state: 'reached' | 'failed' | 'todo';
  current: boolean;
}

const LABELS = ['queued', 'in review', 'decision', 'published'] as const;
const REFUSED: Record<string, string> = { rejected: 'rejected', changes_requested: 'changes requested', taken_down: 'taken down' };

/** The latest submit operation of the tracking, if any. */
export const lastSubmitOf = (t: Tracking | null): OutboxOpView | undefined => t?.ops.filter((o) => o.kind === 'submit').at(-1);

export function submissionSteps(t: Tracking | null): Step[] {
  const op = lastSubmitOf(t);
  // The latest submission never reached the marketplace: its first step failed, nothing after it ran.
  if (op && (op.state === 'failed' || op.state === 'needs_action'))
    return LABELS.map((label, i) =>
      i === 0
        ? { label: op.state === 'failed' ? 'failed: not sent' : 'not sent: needs your action', state: 'failed', current: true }
        : { label, state: 'todo', current: false },
    );
  const status = t?.remote?.status;
  const at = !status || op?.state === 'pending' ? 0 : status === 'in_review' ? 1 : status === 'published' ? 3 : 2;
  return LABELS.map((label, i) => {
    if (i === 2 && at === 2 && status && REFUSED[status]) return { label: REFUSED[status], state: 'failed', current: true };
    return { label, state: i <= at ? 'reached' : 'todo', current: i === at };
  });
}

/**
 * The label audit (tests/fixtures/label-audit.json): unrelated items that a check flagged and a
 * person found to be the same artwork or text as a library item after all. Fixed datasets are keyed
 * by dataset name and query/library ids; the generated eval by "generated-images" / "generated-texts"
 * and source pairs (openclipart file paths, fortune ids), in either order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const AUDIT_PATH = new URL('../../tests/fixtures/label-audit.json', import.meta.url);

const AuditFile = z.record(z.string(), z.array(z.object({ query: z.string().min(1), library: z.string().min(1), why: z.string().min(1) })));
export type AuditFile = z.infer<typeof AuditFile>;

export function loadAudit(path: URL | string = AUDIT_PATH): AuditFile {
  if (!existsSync(path)) return {};
  const r = AuditFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!r.success) throw new Error(`label audit ${String(path)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** Looks up why a flagged pair is not a false positive (null when the audit does not explain it). */
export function auditReason(audit: AuditFile, key: string, query: string, library: string): string | null {
  const hit = (audit[key] ?? []).find((a) => (a.query === query && a.library === library) || (a.query === library && a.library === query));
  return hit?.why ?? null;
}

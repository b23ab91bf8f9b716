/**
 * The label audit (tests/fixtures/label-audit.json): unrelated items that a check flagged and a
 * person found to be the same artwork or text as a library item after all. Fixed datasets are keyed
 * by dataset name and query/library ids; the generated eval by "generated-images" / "generated-texts"
 * and source pairs (openclipart file paths, fortune ids), in either order. Openclipart files the same
 * drawing under several folders with identical bytes: `withIdenticalCopies` carries a pair's reason
 * over to every such copy, so a pair looked at once is not listed again for each folder.
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

/**
 * The audit with each pair under `key` repeated for byte-identical copies of its files: `contentOf`
 * names a file's content (a hash of its bytes; null when unreadable), `files` are every path a run
 * may draw. The reason says which audited file the copy is identical to.
 */
export function withIdenticalCopies(
  audit: AuditFile,
  key: string,
  files: readonly string[],
  contentOf: (file: string) => string | null,
): AuditFile {
  const pairs = audit[key];
  if (!pairs?.length) return audit;
  const byContent = new Map<string, string[]>();
  const content = new Map<string, string | null>();
  for (const f of files) {
    const c = contentOf(f);
    content.set(f, c);
    if (c !== null) byContent.set(c, [...(byContent.get(c) ?? []), f]);
  }
  const copiesOf = (f: string) => {
    const c = content.has(f) ? content.get(f) : contentOf(f);
    return c == null ? [f] : [...new Set([f, ...(byContent.get(c) ?? [])])];
  };
  const seen = new Set(pairs.map((a) => `${a.query}\n${a.library}`));
  const added: AuditFile[string] = [];
  for (const a of pairs) {
    for (const q of copiesOf(a.query)) {
      for (const l of copiesOf(a.library)) {
        if (q === l || seen.has(`${q}\n${l}`) || seen.has(`${l}\n${q}`)) continue;
        seen.add(`${q}\n${l}`);
        const same = [q !== a.query ? `${q} = ${a.query}` : '', l !== a.library ? `${l} = ${a.library}` : ''].filter(Boolean);
        added.push({ query: q, library: l, why: `${a.why} [identical bytes: ${same.join(', ')}]` });
      }
    }
  }
  return { ...audit, [key]: [...pairs, ...added] };
}

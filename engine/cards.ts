/**
 * Asset cards from untrusted input (files, IPC, HTTP, marketplace submissions): the shared zod
 * schema, then the custom-module allowlist check (engine/text/module-safety.ts), which needs Node
 * (jsdom, DOMPurify, css-tree) and so lives here rather than in shared/. The studio and the
 * marketplace server both call this function.
 */
import { type AssetCard, type ParsedCard, parseCardShape } from '../shared/asset.ts';
import { checkModuleCode, describeModuleViolations } from './text/module-safety.ts';
import type { ModuleViolation } from './text/module-violation.ts';

export type { AssetCard } from '../shared/asset.ts';

export type CheckedCard = ParsedCard | { ok: false; field: string; message: string; violations: ModuleViolation[] };

/** Validates a card; a custom module's code must pass the allowlist, with every violation named. */
export function parseAssetCard(raw: unknown): CheckedCard {
  const r = parseCardShape(raw);
  if (!r.ok) return r;
  const code = r.card.custom_module?.code;
  if (code !== undefined) {
    const violations = checkModuleCode(code);
    const why = describeModuleViolations(violations);
    if (why) return { ok: false, field: 'custom_module.code', message: `custom_module.code: ${why}`, violations };
  }
  return r satisfies { ok: true; card: AssetCard };
}

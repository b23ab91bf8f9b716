/**
 * The probes' command lines (probe.ts, probe-texts.ts): options every probe shares, and parsing
 * with a zod schema, a bad option answered with its name and exit code 2.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** `--seed`: which copies are drawn. */
export const seedOption = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(fallback);
/** `--per`: copies (and unrelated items) per transform. */
export const perOption = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);
/** `--only a,b`: those transforms (null: every one). */
export const onlyOption = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()) : null));
/** `--json out.json`: where the records are written. */
export const jsonOption = z.string().min(1).optional();

/** The process's arguments parsed by `schema` (every option given as --name value); exits 2 naming a bad or unknown one. */
export function probeOptions<T>(command: string, schema: z.ZodType<T>, names: readonly string[]): T {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: Object.fromEntries(names.map((k) => [k, { type: 'string' as const }])), strict: true }));
  } catch (e) {
    // An unknown option, or one given without its value.
    console.error(`${command}: ${(e as Error).message.split('\n')[0]} (options: ${names.map((n) => `--${n}`).join(', ')})`);
    process.exit(2);
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  console.error(`${command}: --${String(i?.path[0] ?? '?')}: ${i?.message ?? 'invalid'}`);
  process.exit(2);
}

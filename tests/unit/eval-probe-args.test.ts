// The probes' command lines (scripts/eval/probe-args.ts): shared options parsed with their defaults;
// a bad value or an unknown option is answered with its name and exit code 2, never a stack trace.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { jsonOption, onlyOption, perOption, probeOptions, seedOption } from '../../scripts/eval/probe-args.ts';

const schema = z.object({ seed: seedOption(7), per: perOption(30), only: onlyOption, json: jsonOption });
const names = ['seed', 'per', 'only', 'json'];
const argv = process.argv;
afterEach(() => {
  process.argv = argv;
  vi.restoreAllMocks();
});
const withArgs = (...args: string[]) => {
  process.argv = ['node', 'probe.ts', ...args];
};
const refused = () => {
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  expect(() => probeOptions('eval:test', schema, names)).toThrow('exit 2');
  expect(exit).toHaveBeenCalledWith(2);
  return String(error.mock.calls.at(-1)?.[0]);
};

describe('probe command lines', () => {
  it('parses the shared options, with their defaults', () => {
    withArgs('--per', '12', '--only', 'spin, swap');
    expect(probeOptions('eval:test', schema, names)).toEqual({ seed: 7, per: 12, only: ['spin', 'swap'] });
    withArgs();
    expect(probeOptions('eval:test', schema, names)).toEqual({ seed: 7, per: 30, only: null });
  });

  it('names a bad value', () => {
    withArgs('--per', '0');
    expect(refused()).toMatch(/^eval:test: --per: /);
    withArgs('--seed', 'x');
    expect(refused()).toMatch(/^eval:test: --seed: /);
  });

  it('names an unknown option and lists the known ones', () => {
    withArgs('--bogus', '1');
    const said = refused();
    expect(said).toContain("'--bogus'");
    expect(said).toContain('--seed, --per, --only, --json');
  });
});

/**
 * Drawn parameters of a generated query and the declared space they are drawn from: numeric
 * parameters have a closed range, categorical ones a list of choices, and a few are free text
 * (the overlay's words, a host file). Tests check every drawn value against this declaration.
 */

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export interface ParamSpec {
  ranges: Record<string, readonly [number, number]>;
  choices: Record<string, readonly string[]>;
  /** Keys holding free text or booleans. */
  free: readonly string[];
}

/** One step of a generated query: a family and the parameters drawn for it. */
export interface Step {
  family: string;
  params: Params;
}

/** Problems with `params` against `spec` (empty when every value is declared and within its range). */
export function checkParams(spec: ParamSpec, params: Params): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const range = spec.ranges[key];
    const choices = spec.choices[key];
    if (typeof value === 'number') {
      if (!range) problems.push(`${key}: no declared range`);
      else if (!(value >= range[0] && value <= range[1])) problems.push(`${key}=${value} outside [${range[0]}, ${range[1]}]`);
    } else if (typeof value === 'string' && choices) {
      if (!choices.includes(value)) problems.push(`${key}=${value} not one of ${choices.join('|')}`);
    } else if (!spec.free.includes(key)) {
      problems.push(`${key}: undeclared parameter`);
    }
  }
  return problems;
}

export function describeSteps(steps: readonly Step[]): string {
  return steps
    .map(
      (s) =>
        `${s.family}(${Object.entries(s.params)
          .map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 24 ? `${v.slice(0, 21)}…` : v}`)
          .join(', ')})`,
    )
    .join(' + ');
}

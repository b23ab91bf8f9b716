/** One reason a custom module is refused: a stable rule code, a sentence, and where in the code. */
export interface ModuleViolation {
  /** Stable code, e.g. script_element, event_handler, url_scheme, css_import, css_url. */
  rule: string;
  message: string;
  /** 1-based line and column in the module's code; null when the sanitizer could not place it. */
  line: number | null;
  column: number | null;
}

export function formatViolation(v: ModuleViolation): string {
  return v.line === null ? v.message : `line ${v.line}, column ${v.column}: ${v.message}`;
}

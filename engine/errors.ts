/** Error raised by the engine for bad input; `code` is stable, `field` names the offending input. */
export class EngineError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.field = field;
  }
}

/** Error raised by the engine for bad input; `code` is stable, `field` names the offending input. Defined with the API errors in shared/errors.ts, which maps one to the other. */
export { EngineError } from '../shared/errors.ts';

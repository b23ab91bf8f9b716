/** Reading a dropped card file: its JSON, and a refused card's problems, in people's words. */
import { asFieldError } from './types.ts';

/**
 * A card file's JSON, or an error in people's words saying where it stops being JSON (line and
 * column; the parser's own message counts characters from the start of the file).
 */
export function readCardJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    if (!text.trim()) throw new Error('the file is empty, not an asset card');
    if (!at) throw new Error('this is not an asset card: its JSON ends before it is complete');
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new Error(`this is not an asset card: its JSON is broken at line ${line}, column ${column}`);
  }
}

/** A refused card's message: every field's problem in people's words where the studio gave them, else its message. */
export function cardRefusal(err: unknown): string {
  const e = asFieldError(err);
  return e.issues?.length ? e.issues.map((i) => i.message).join('; ') : e.message;
}

/**
 * The renderer's state type: one zustand store composed of per-domain slices, each in its own file
 * under renderer/src/state/ with its own small named selectors.
 */
import type { StateCreator } from 'zustand';
import type { DraftsSlice } from './drafts.ts';
import type { EditorSlice } from './editor.ts';
import type { LibrarySlice } from './library.ts';
import type { MarketSlice } from './market.ts';
import type { ModelsSlice } from './models.ts';
import type { RouterSlice } from './router.ts';
import type { ToastsSlice } from './toasts.ts';

export type Studio = RouterSlice & ToastsSlice & LibrarySlice & EditorSlice & DraftsSlice & ModelsSlice & MarketSlice;

/** A slice creator: sees (and may call) the whole store, returns its own part. */
export type Slice<T> = StateCreator<Studio, [], [], T>;

export interface FieldError {
  message: string;
  field?: string | undefined;
  /** Every field's problem of a validation error, in people's words (the message is the first). */
  issues?: { field: string; message: string }[] | undefined;
}

/** An error as the forms show it: a message and, for API errors, the offending field. */
export function asFieldError(err: unknown): FieldError {
  const e = err as { message?: unknown; field?: unknown; issues?: unknown } | null;
  return {
    message: typeof e?.message === 'string' ? e.message : String(err),
    field: typeof e?.field === 'string' ? e.field : undefined,
    ...(Array.isArray(e?.issues) && e.issues.length ? { issues: e.issues as FieldError['issues'] } : {}),
  };
}

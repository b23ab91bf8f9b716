/** What every asset-type form needs: one section of the draft with its setter, and the field errors of the last save or check. */
import { useShallow } from 'zustand/react/shallow';
import { selectFieldErrors, selectSection } from '../../state/editor.ts';
import type { DraftCard } from '../../state/cards.ts';
import { useStudio } from '../../state/store.ts';

export type Section = Record<string, unknown>;
const EMPTY: Section = {};

/** One section of the draft (`character`, `location`, …) and a setter that merges a patch into it. */
export function useSection(key: string): [Section, (patch: Section) => void] {
  const value = useStudio(selectSection(key)) ?? EMPTY;
  const set = (patch: Section) => {
    const { draft, updateDraft } = useStudio.getState();
    const prev = (draft?.[key] as Section | undefined) ?? EMPTY;
    updateDraft({ [key]: { ...prev, ...patch } } as Partial<DraftCard>);
  };
  return [value, set];
}

/** The message of a save or check error about `field` (`card.field` or `field`), if any — every field of a validation error at once. */
export function useFieldError(): (field: string) => string | undefined {
  const { editorError, checkError } = useStudio(useShallow(selectFieldErrors));
  return (field) => {
    const about = (f: string | undefined) => f === `card.${field}` || f === field;
    for (const e of [editorError, checkError]) {
      const issue = e?.issues?.find((i) => about(i.field));
      if (issue) return issue.message;
      if (e?.field && about(e.field)) return e.message;
    }
    return undefined;
  };
}

/** The handlers of the studio's drafts domain (the editor's unsaved work), answered by the Studio's Drafts service. */
import type { DraftHandlers } from '../../../shared/contracts/studio/drafts.ts';
import type { Studio } from '../services/studio.ts';

export const draftHandlers = (studio: Studio): DraftHandlers => ({
  'drafts.put': (i) => studio.drafts.put(i),
  'drafts.get': (i) => studio.drafts.get(i.id),
  'drafts.list': () => studio.drafts.list(),
  'drafts.discard': (i) => studio.drafts.discard(i.id),
});

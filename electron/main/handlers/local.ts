/**
 * The handlers of the studio's local domains — app, library, revisions, media, check, models —
 * each typed by its domain's handler type and answered by the Studio services; media work gets the
 * call's signal (the caller went away) and the view's `caller` token.
 */
import type { AppHandlers } from '../../../shared/contracts/studio/app.ts';
import type { CheckHandlers } from '../../../shared/contracts/studio/check.ts';
import type { LibraryHandlers } from '../../../shared/contracts/studio/library.ts';
import type { MediaHandlers } from '../../../shared/contracts/studio/media.ts';
import type { ModelHandlers } from '../../../shared/contracts/studio/models.ts';
import type { RevisionHandlers } from '../../../shared/contracts/studio/revisions.ts';
import type { Studio } from '../services/studio.ts';

export const appHandlers = (studio: Studio): AppHandlers => ({
  'app.info': () => studio.info(),
});

export const libraryHandlers = (studio: Studio): LibraryHandlers => ({
  'library.list': (i) => studio.list(i),
  'assets.get': (i) => studio.get(i.id),
  'assets.create': (i) => studio.create(i),
  'assets.save': (i) => studio.save(i),
  'assets.delete': (i) => studio.remove(i.ids),
  'assets.undoDelete': (i) => studio.undoDelete(i.ids),
  'cards.export': (i) => studio.exportCard(i.id),
  'cards.import': (i) => studio.importCard(i),
});

export const revisionHandlers = (studio: Studio): RevisionHandlers => ({
  'assets.revisions': (i) => studio.revisions(i.id),
  'assets.revision': (i) => studio.revision(i.id, i.rev),
  'assets.restore': (i) => studio.restore(i.id, i.rev),
});

export const mediaHandlers = (studio: Studio): MediaHandlers => ({
  'images.import': (i) => studio.importImage(i.name, i.data),
  'media.info': (i, c) => studio.media.info(i.sha, c.signal),
  'media.waveform': (i, c) => studio.media.waveform(i.sha, i.bins, { signal: c.signal, caller: i.caller }),
  'media.importPath': (i, c) => studio.media.importPath(i.path, i.name, c.signal),
  'media.imageFile': (i, c) => studio.media.imageFile(i, c.signal),
  'media.cancel': (i) => ({ cancelled: studio.media.cancel(i.sha, i.caller) }),
});

export const checkHandlers = (studio: Studio): CheckHandlers => ({
  'check.run': (i, c) => studio.check(i, c.signal),
});

export const modelHandlers = (studio: Studio): ModelHandlers => ({
  'models.status': () => studio.modelsStatus(),
  'models.fetch': (i) => studio.fetchModels(i.model),
  'models.import': (i) => studio.importModels(i.dir),
});

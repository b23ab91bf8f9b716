/**
 * A stored audio/video file's facts and waveform, for the editor's preview (a data hook), and
 * stopping the work still running on a file the editor has left (`media.cancel`).
 */
import { useEffect, useState } from 'react';
import type { MediaFileInfo, Waveform as WaveformData } from '@shared/api.ts';
import { api } from '../api.ts';

export interface MediaPreviewData {
  info: MediaFileInfo | null;
  wave: WaveformData | null;
  error: string | null;
}

/**
 * Whether a call failed because its media work was cancelled (the editor left the file, so a newer
 * request superseded it): nothing to show, neither an error nor a result.
 */
export const isCancelled = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'cancelled';

/**
 * Stops the previews and the live check's fingerprint still being computed for file `sha` (a
 * save's work is kept). Fire and forget: nothing waits for it, and a failure changes nothing.
 */
export function cancelMediaWork(sha: string): void {
  api.call('media.cancel', { sha }).catch(() => undefined);
}

/** Reads the file's facts, then (for audio) its waveform; starts over when the file changes. */
export function useMediaPreview(sha: string): MediaPreviewData {
  const [state, setState] = useState<MediaPreviewData>({ info: null, wave: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ info: null, wave: null, error: null });
    api
      .call('media.info', { sha })
      .then(async (info) => {
        if (!live) return;
        setState((s) => ({ ...s, info }));
        if (info.audio) {
          const wave = await api.call('media.waveform', { sha });
          if (live) setState((s) => ({ ...s, wave }));
        }
      })
      // Cancelled work was superseded (the editor moved on from this file): no error to show.
      .catch((e: Error) => live && !isCancelled(e) && setState((s) => ({ ...s, error: e.message })));
    return () => {
      live = false;
    };
  }, [sha]);
  return state;
}

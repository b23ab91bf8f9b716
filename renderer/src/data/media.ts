/**
 * A stored audio/video file's facts and waveform, for the editor's preview (a data hook), and
 * stopping the work still running on a file the editor has left (`media.cancel`) — only the
 * editor's own: its calls carry this page's editor token, and so does its cancel, so another view
 * (another tab, another window) showing the same file keeps its previews and check.
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

/** This page's editor, as the studio's media work knows it (the `caller` of its calls): random per page load. */
export const EDITOR_CALLER = `editor-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/**
 * Stops the previews and the live check's fingerprint `caller` (the editor by default) still waits
 * for on file `sha`; work another view waits for goes on, and a save's is kept. Fire and forget:
 * nothing waits for it, and a failure changes nothing.
 */
export function cancelMediaWork(sha: string, caller: string = EDITOR_CALLER): void {
  api.call('media.cancel', { sha, caller }).catch(() => undefined);
}

/** Reads the file's facts, then (for audio) its waveform as `caller`; starts over when the file changes. */
export function useMediaPreview(sha: string, caller: string = EDITOR_CALLER): MediaPreviewData {
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
          const wave = await api.call('media.waveform', { sha, caller });
          if (live) setState((s) => ({ ...s, wave }));
        }
      })
      // Cancelled work was superseded (the editor moved on from this file): no error to show.
      .catch((e: Error) => live && !isCancelled(e) && setState((s) => ({ ...s, error: e.message })));
    return () => {
      live = false;
    };
  }, [sha, caller]);
  return state;
}

/** A stored audio/video file's facts and waveform, for the editor's preview (a data hook). */
import { useEffect, useState } from 'react';
import type { MediaFileInfo, Waveform as WaveformData } from '@shared/api.ts';
import { api } from '../api.ts';

export interface MediaPreviewData {
  info: MediaFileInfo | null;
  wave: WaveformData | null;
  error: string | null;
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
      .catch((e: Error) => live && setState((s) => ({ ...s, error: e.message })));
    return () => {
      live = false;
    };
  }, [sha]);
  return state;
}

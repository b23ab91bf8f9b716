/**
 * The two files of a media match, playable side by side on the review screen: the submitted
 * version and the matched listing, each in its own <audio>/<video> element streamed through the
 * studio (seekable: the studio passes Range requests on), with a button per matched range that
 * puts both players at that range's start.
 */
import { useRef } from 'react';
import type { MarketMediaRequest } from '@shared/media-files.ts';
import { marketMediaUrl } from '../../data/assets.ts';
import { formatTime } from '@shared/media.ts';

type Player = HTMLMediaElement | null;

export function MediaPlayers({
  kind,
  submitted,
  matched,
  matchName,
  ranges,
}: {
  kind: 'audio' | 'video';
  submitted: MarketMediaRequest;
  matched: MarketMediaRequest | null;
  matchName: string;
  ranges: { query: [number, number]; match: [number, number] }[];
}) {
  const q = useRef<Player>(null);
  const m = useRef<Player>(null);
  const seek = (r: { query: [number, number]; match: [number, number] }) => {
    if (q.current) q.current.currentTime = r.query[0];
    if (m.current) m.current.currentTime = r.match[0];
  };
  const player = (req: MarketMediaRequest, ref: typeof q, label: string) =>
    kind === 'video' ? (
      <video ref={(el) => void (ref.current = el)} src={marketMediaUrl(req)} controls preload="metadata" aria-label={label} />
    ) : (
      <audio ref={(el) => void (ref.current = el)} src={marketMediaUrl(req)} controls preload="metadata" aria-label={label} />
    );
  return (
    <div className="media-players">
      <figure>
        {player(submitted, q, 'Play the submitted file')}
        <figcaption>Submitted</figcaption>
      </figure>
      <figure>
        {matched ? player(matched, m, `Play ${matchName}`) : <p className="hint">The matched file is not on the marketplace any more.</p>}
        <figcaption>{matchName}</figcaption>
      </figure>
      {ranges.length > 0 && (
        <div className="row">
          {ranges.map((r, i) => (
            <button key={i} type="button" onClick={() => seek(r)}>
              Cue both at {formatTime(r.query[0])} / {formatTime(r.match[0])}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * A media asset's details before a file is attached: its kind, format and size come from the file
 * (shown by the file field once chosen), so nothing here is typed by hand — a new card says where
 * they come from instead of offering "webp" and 0 bytes to edit; a card imported without its file
 * shows what it says, read-only.
 */
import { useStudio } from '../../state/store.ts';
import { useFieldError, useSection } from './section.ts';

export function MediaForm() {
  const [media] = useSection('media');
  const err = useFieldError();
  const hasImage = useStudio((s) => Boolean(s.imageSha));
  if (media.sha256 || hasImage) return null;
  const size = typeof media.size === 'number' ? media.size : 0;
  const problem = err('media.format') ?? err('media.size') ?? err('media');
  return (
    <fieldset>
      <legend>Media details</legend>
      {size > 0 ? (
        <p>
          {String(media.type ?? 'image')} · {String(media.format ?? '')} · {size.toLocaleString('en-US')} bytes (no file attached)
        </p>
      ) : (
        <p className="hint">No file yet. Choose an image, audio or video file: its kind, format and size come from the file.</p>
      )}
      {problem && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
    </fieldset>
  );
}

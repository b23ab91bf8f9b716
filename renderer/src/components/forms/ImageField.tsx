/**
 * The asset's image, or for a media asset its file (image, audio or video): preview, choose,
 * replace, remove, drop, with the size limits and the import's error.
 */
import { useRef, useState } from 'react';
import { hasNativeMediaDialog, imageUrl, importImage, importMediaFile } from '../../data/assets.ts';
import { selectInfo } from '../../state/library.ts';
import { useStudio } from '../../state/store.ts';
import { MediaPreview } from '../media.tsx';
import { useFileDrop } from '../useFileDrop.ts';
import { useSection } from './section.ts';

export function ImageField() {
  const type = useStudio((s) => s.draft?.asset_type);
  const name = useStudio((s) => s.draft?.name ?? '');
  const imageSha = useStudio((s) => s.imageSha);
  const setImage = useStudio((s) => s.setImage);
  const limits = useStudio((s) => selectInfo(s)?.limits);
  const [media, setMedia] = useSection('media');
  const fileRef = useRef<HTMLInputElement>(null);
  const mediaRef = useRef<HTMLInputElement>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const drop = useFileDrop((files) => {
    const f = files[0];
    if (f) void (type === 'media' ? importMedia(f) : importImageFile(f));
  });

  async function importImageFile(file: File) {
    setImageError(null);
    setImporting(true);
    try {
      const ref = await importImage(file);
      setImage(ref.sha);
      if (type === 'media') setMedia({ type: 'image', format: 'webp', size: ref.bytes });
    } catch (e) {
      setImageError((e as Error).message);
    } finally {
      setImporting(false);
    }
  }

  /** Audio/video travel as files: a path in Electron (the dialog's when no file is given), a streamed upload in browser mode. */
  async function importMedia(file?: File) {
    setImageError(null);
    setImporting(true);
    try {
      if (file?.type.startsWith('image/')) return await importImageFile(file);
      const ref = await importMediaFile(file);
      if (!ref) return;
      setMedia({ type: ref.kind, format: ref.format, size: ref.size, sha256: ref.sha });
    } catch (e) {
      setImageError((e as Error).message);
    } finally {
      setImporting(false);
    }
  }

  return (
    <fieldset className={`image-drop${drop.dragging ? ' dragging' : ''}`} {...drop.handlers}>
      <legend>{type === 'media' ? 'Media file' : 'Image'}</legend>
      {type === 'media' && typeof media.sha256 === 'string' && media.type !== 'image' ? (
        <MediaPreview sha={media.sha256} />
      ) : imageSha ? (
        <img className="preview" src={imageUrl(imageSha)} alt={`Image of ${name}`} />
      ) : type === 'media' ? (
        <p className="hint">Drop an image, a video or an audio file here, or choose one.</p>
      ) : (
        <p className="hint">Drop an image here, or choose one. It is stored as WebP.</p>
      )}
      <div className="row">
        <button
          type="button"
          onClick={() =>
            type !== 'media' ? fileRef.current?.click() : hasNativeMediaDialog() ? void importMedia() : mediaRef.current?.click()
          }
          disabled={importing}
        >
          {importing ? 'Importing…' : imageSha || media.sha256 ? 'Replace…' : 'Choose file…'}
        </button>
        {imageSha && (
          <button type="button" onClick={() => setImage(null)}>
            Remove image
          </button>
        )}
      </div>
      <input
        ref={fileRef}
        type="file"
        accept="image/*"
        hidden
        aria-label="Choose an image file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importImageFile(f);
          e.target.value = '';
        }}
      />
      <input
        ref={mediaRef}
        type="file"
        accept="image/*,video/*,audio/*,.mkv,.opus,.m4a,.flac"
        hidden
        aria-label="Choose a media file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importMedia(f);
          e.target.value = '';
        }}
      />
      {limits && (
        <p className="hint">
          Images: {limits.image.formats.join(', ')} up to {limits.image.maxBytes / 1024 / 1024} MB and {limits.image.maxPixels / 1e6}{' '}
          megapixels
          {type === 'media' &&
            ` · Video: ${limits.video.formats.join(', ')} up to ${limits.video.maxBytes / 1024 / 1024} MB · Audio: ${limits.audio.formats.join(', ')} up to ${limits.audio.maxBytes / 1024 / 1024} MB`}
        </p>
      )}
      {imageError && (
        <div className="field-error" role="alert">
          {imageError}
        </div>
      )}
    </fieldset>
  );
}

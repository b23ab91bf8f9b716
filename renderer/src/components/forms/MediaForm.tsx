/** A media asset's kind, format and size, typed by hand; with a file attached they come from the file (shown by the file field). */
import { MEDIA_KINDS } from '@shared/asset.ts';
import { useStudio } from '../../state/store.ts';
import { NumberInput, Select, TextInput } from '../fields.tsx';
import { useFieldError, useSection } from './section.ts';

export function MediaForm() {
  const [media, set] = useSection('media');
  const err = useFieldError();
  const hasImage = useStudio((s) => Boolean(s.imageSha));
  if (media.sha256 || hasImage) return null;
  return (
    <fieldset>
      <legend>Media details</legend>
      <div className="row">
        <Select
          label="Kind"
          value={(media.type as string) ?? 'image'}
          options={MEDIA_KINDS.map((k) => [k, k] as const)}
          onChange={(v) => set({ type: v })}
        />
        <TextInput label="Format" value={media.format as string} onChange={(v) => set({ format: v })} error={err('media.format')} />
        <NumberInput label="Size (bytes)" value={media.size} onChange={(v) => set({ size: v ?? 0 })} error={err('media.size')} />
      </div>
    </fieldset>
  );
}

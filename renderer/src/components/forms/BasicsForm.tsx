/** The fields every asset has: type, name, description, tags, category, age rating. */
import { useShallow } from 'zustand/react/shallow';
import { AGE_RATINGS, ASSET_TYPES, type AssetType, textLimit } from '@shared/asset.ts';
import { TYPE_LABELS } from '../../state/cards.ts';
import { useStudio } from '../../state/store.ts';
import { ListInput, Select, TextArea, TextInput } from '../fields.tsx';
import { useFieldError } from './section.ts';

export function BasicsForm() {
  const d = useStudio(
    useShallow((s) => ({
      type: s.draft?.asset_type,
      name: s.draft?.name ?? '',
      description: s.draft?.description ?? '',
      tags: s.draft?.tags,
      category: s.draft?.category as string | undefined,
      ageRating: s.draft?.age_rating as string | undefined,
    })),
  );
  const update = useStudio((s) => s.updateDraft);
  const err = useFieldError();
  return (
    <fieldset>
      <legend>Basics</legend>
      <Select
        label="Type"
        value={d.type}
        options={ASSET_TYPES.map((t) => [t, TYPE_LABELS[t]] as const)}
        onChange={(v) => update({ asset_type: v as AssetType })}
        error={err('asset_type')}
      />
      <TextInput
        label="Name"
        name="name"
        value={d.name}
        onChange={(v) => update({ name: v })}
        error={err('name')}
        maxLength={textLimit('name')}
      />
      <TextArea
        label="Description"
        value={d.description}
        onChange={(v) => update({ description: v })}
        error={err('description')}
        maxLength={textLimit('description')}
      />
      <ListInput label="Tags" value={d.tags} onChange={(v) => update({ tags: v })} error={err('tags')} />
      <div className="row">
        <TextInput
          label="Category"
          value={d.category}
          onChange={(v) => update({ category: v || undefined })}
          error={err('category')}
          maxLength={textLimit('category')}
        />
        <Select
          label="Age rating"
          value={d.ageRating ?? ''}
          options={[['', 'Not set'] as const, ...AGE_RATINGS.map((r) => [r, r === 'all' ? 'All ages' : r] as const)]}
          onChange={(v) => update({ age_rating: v || undefined })}
        />
      </div>
    </fieldset>
  );
}

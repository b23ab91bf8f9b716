/** The location's own fields: region, climate, notable features, inhabitants and history. */
import { textLimit } from '@shared/asset.ts';
import { ListInput, TextArea, TextInput } from '../fields.tsx';
import { useSection } from './section.ts';

export function LocationForm() {
  const [loc, set] = useSection('location');
  return (
    <fieldset>
      <legend>Location</legend>
      <div className="row">
        <TextInput
          label="Region"
          value={loc.region as string}
          onChange={(v) => set({ region: v })}
          maxLength={textLimit('location.region')}
        />
        <TextInput
          label="Climate"
          value={loc.climate as string}
          onChange={(v) => set({ climate: v })}
          maxLength={textLimit('location.climate')}
        />
      </div>
      <ListInput label="Notable features" value={loc.notable_features} onChange={(v) => set({ notable_features: v })} />
      <TextArea
        label="Inhabitants and history"
        value={loc.history as string}
        onChange={(v) => set({ history: v })}
        maxLength={textLimit('location.history')}
      />
    </fieldset>
  );
}

/** The item's own fields: type, rarity, properties, lore. */
import { textLimit } from '@shared/asset.ts';
import { ListInput, TextArea, TextInput } from '../fields.tsx';
import { useSection } from './section.ts';

export function ItemForm() {
  const [item, set] = useSection('item');
  return (
    <fieldset>
      <legend>Item</legend>
      <div className="row">
        <TextInput
          label="Item type"
          value={item.item_type as string}
          onChange={(v) => set({ item_type: v })}
          maxLength={textLimit('item.item_type')}
        />
        <TextInput label="Rarity" value={item.rarity as string} onChange={(v) => set({ rarity: v })} maxLength={textLimit('item.rarity')} />
      </div>
      <ListInput label="Properties" value={item.properties} onChange={(v) => set({ properties: v })} />
      <TextArea label="Lore" value={item.lore as string} onChange={(v) => set({ lore: v })} maxLength={textLimit('item.lore')} />
    </fieldset>
  );
}

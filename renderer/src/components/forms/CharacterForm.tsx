/** The character's own fields: race, class, level, alignment, traits, backstory, equipment, abilities. */
import { textLimit } from '@shared/asset.ts';
import { ListInput, NumberInput, TextArea, TextInput } from '../fields.tsx';
import { useFieldError, useSection } from './section.ts';

export function CharacterForm() {
  const [ch, set] = useSection('character');
  const err = useFieldError();
  return (
    <fieldset>
      <legend>Character</legend>
      <div className="row">
        <TextInput
          label="Race"
          value={ch.race as string}
          onChange={(v) => set({ race: v })}
          maxLength={textLimit('character.race')}
          error={err('character.race')}
        />
        <TextInput
          label="Class"
          value={ch.class as string}
          onChange={(v) => set({ class: v })}
          maxLength={textLimit('character.class')}
          error={err('character.class')}
        />
        <NumberInput label="Level" value={ch.level} onChange={(v) => set({ level: v })} error={err('character.level')} />
        <TextInput
          label="Alignment"
          value={ch.alignment as string}
          onChange={(v) => set({ alignment: v })}
          maxLength={textLimit('character.alignment')}
        />
      </div>
      <ListInput label="Personality traits" value={ch.personality_traits} onChange={(v) => set({ personality_traits: v })} />
      <TextArea
        label="Backstory"
        value={ch.backstory_summary as string}
        onChange={(v) => set({ backstory_summary: v })}
        error={err('character.backstory_summary')}
        maxLength={textLimit('character.backstory_summary')}
      />
      <ListInput label="Equipment" value={ch.equipment} onChange={(v) => set({ equipment: v })} />
      <ListInput label="Abilities" value={ch.special_abilities} onChange={(v) => set({ special_abilities: v })} />
    </fieldset>
  );
}

/** The quest hook's own fields: the hook, objectives, rewards, level range. */
import { textLimit } from '@shared/asset.ts';
import { ListInput, TextArea, TextInput } from '../fields.tsx';
import { useSection } from './section.ts';

export function QuestHookForm() {
  const [q, set] = useSection('quest_hook');
  return (
    <fieldset>
      <legend>Quest hook</legend>
      <TextArea label="Hook" value={q.hook as string} onChange={(v) => set({ hook: v })} maxLength={textLimit('quest_hook.hook')} />
      <ListInput label="Objectives" value={q.objectives} onChange={(v) => set({ objectives: v })} />
      <ListInput label="Rewards" value={q.rewards} onChange={(v) => set({ rewards: v })} />
      <TextInput
        label="Level range"
        value={q.level_range as string}
        onChange={(v) => set({ level_range: v })}
        maxLength={textLimit('quest_hook.level_range')}
      />
    </fieldset>
  );
}

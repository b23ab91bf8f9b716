/** The optional generation recipe: model, seed, steps, guidance, prompt, LoRAs. */
import { textLimit } from '@shared/asset.ts';
import { ListInput, NumberInput, TextArea, TextInput } from '../fields.tsx';
import { useFieldError, useSection } from './section.ts';

export function RecipeForm() {
  const [gen, set] = useSection('visual_generation');
  const err = useFieldError();
  return (
    <details className="recipe">
      <summary>Generation recipe (optional)</summary>
      <fieldset>
        <div className="row">
          <TextInput
            label="Model"
            value={gen.model as string}
            onChange={(v) => set({ model: v })}
            maxLength={textLimit('visual_generation.model')}
          />
          <NumberInput label="Seed" value={gen.seed} onChange={(v) => set({ seed: v })} error={err('visual_generation.seed')} />
          <NumberInput label="Steps" value={gen.steps} onChange={(v) => set({ steps: v })} error={err('visual_generation.steps')} />
          <NumberInput label="Guidance" step={0.1} value={gen.guidance_scale} onChange={(v) => set({ guidance_scale: v })} />
        </div>
        <TextArea
          label="Prompt"
          value={gen.prompt as string}
          onChange={(v) => set({ prompt: v })}
          maxLength={textLimit('visual_generation.prompt')}
        />
        <ListInput label="LoRAs" value={gen.style_loras} onChange={(v) => set({ style_loras: v })} />
      </fieldset>
    </details>
  );
}

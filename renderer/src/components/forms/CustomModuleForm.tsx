/** The custom module's code (HTML and CSS only; the check rejects scripts), with a sandboxed rendered preview. */
import { textLimit } from '@shared/asset.ts';
import { TextArea } from '../fields.tsx';
import { ModulePreview } from './ModulePreview.tsx';
import { useFieldError, useSection } from './section.ts';

export function CustomModuleForm() {
  const [mod, set] = useSection('custom_module');
  const err = useFieldError();
  return (
    <fieldset>
      <legend>Custom module (CSS/HTML only)</legend>
      <TextArea
        label="Code"
        mono
        rows={12}
        maxLength={textLimit('custom_module.code')}
        value={mod.code as string}
        onChange={(v) => set({ code: v, config: mod.config ?? {} })}
        error={err('custom_module.code') ?? err('custom_module')}
        hint="HTML and CSS only. Scripts, event handlers and javascript: links are rejected."
      />
      <ModulePreview code={(mod.code as string | undefined) ?? ''} />
    </fieldset>
  );
}

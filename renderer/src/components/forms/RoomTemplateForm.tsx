/** The room template's layout, modules and customization, each edited as JSON. */
import { useState } from 'react';
import { selectCurrent } from '../../state/editor.ts';
import { useStudio } from '../../state/store.ts';
import { TextArea } from '../fields.tsx';
import { useFieldError, useSection } from './section.ts';

/** JSON edited as text: the draft takes the value once it parses; until then the parse error shows. */
function JsonArea(props: { label: string; value: unknown; onChange: (v: unknown) => void; error?: string | undefined }) {
  const [text, setText] = useState(() => JSON.stringify(props.value ?? {}, null, 2));
  const [err, setErr] = useState<string | null>(null);
  return (
    <TextArea
      label={props.label}
      mono
      rows={5}
      value={text}
      error={err ?? props.error}
      onChange={(t) => {
        setText(t);
        try {
          props.onChange(JSON.parse(t));
          setErr(null);
        } catch (e) {
          setErr(`not valid JSON yet: ${(e as Error).message}`);
        }
      }}
    />
  );
}

export function RoomTemplateForm() {
  const [room, set] = useSection('room_template');
  const err = useFieldError();
  // A save or restore starts the texts over from the stored card.
  const rev = useStudio((s) => selectCurrent(s)?.rev);
  return (
    <fieldset>
      <legend>Room template</legend>
      <JsonArea
        key={`layout-${rev}`}
        label="Layout (JSON)"
        value={room.layout}
        onChange={(v) => set({ layout: v })}
        error={err('room_template.layout')}
      />
      <JsonArea
        key={`modules-${rev}`}
        label="Modules (JSON list)"
        value={room.modules ?? []}
        onChange={(v) => set({ modules: v })}
        error={err('room_template.modules')}
      />
      <JsonArea
        key={`custom-${rev}`}
        label="Customization (JSON)"
        value={room.customization}
        onChange={(v) => set({ customization: v })}
        error={err('room_template.customization')}
      />
    </fieldset>
  );
}

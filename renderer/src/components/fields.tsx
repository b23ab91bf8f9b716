/** Small labelled form controls; every control has a visible label and reports field errors. */
import { type ReactNode, useId } from 'react';

export function Field(props: { label: string; error?: string | undefined; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.error && (
        <div className="field-error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

export function TextInput(props: {
  label: string;
  value: string | undefined;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: string;
  name?: string;
}) {
  return (
    <Field label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <input
          id={id}
          name={props.name}
          type="text"
          value={props.value ?? ''}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={Boolean(props.error)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: {
  label: string;
  value: string | undefined;
  onChange: (v: string) => void;
  rows?: number;
  error?: string | undefined;
  mono?: boolean;
  hint?: string;
}) {
  return (
    <Field label={props.label} error={props.error} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <textarea
          id={id}
          rows={props.rows ?? 4}
          className={props.mono ? 'mono' : undefined}
          value={props.value ?? ''}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={Boolean(props.error)}
        />
      )}
    </Field>
  );
}

/** A comma-separated list edited as text. */
export function ListInput(props: {
  label: string;
  value: unknown;
  onChange: (v: string[]) => void;
  error?: string | undefined;
  hint?: string;
}) {
  const list = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <Field label={props.label} error={props.error} hint={props.hint ?? 'Separate with commas'}>
      {(id) => (
        <input
          id={id}
          type="text"
          defaultValue={list.join(', ')}
          key={list.join('|')}
          onBlur={(e) =>
            props.onChange(
              e.target.value
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            )
          }
          aria-invalid={Boolean(props.error)}
        />
      )}
    </Field>
  );
}

export function NumberInput(props: {
  label: string;
  value: unknown;
  onChange: (v: number | undefined) => void;
  error?: string | undefined;
  step?: number;
}) {
  return (
    <Field label={props.label} error={props.error}>
      {(id) => (
        <input
          id={id}
          type="number"
          step={props.step ?? 1}
          value={typeof props.value === 'number' ? props.value : ''}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          aria-invalid={Boolean(props.error)}
        />
      )}
    </Field>
  );
}

export function Select(props: {
  label: string;
  value: string | undefined;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={props.label} error={props.error}>
      {(id) => (
        <select id={id} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
          {props.options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

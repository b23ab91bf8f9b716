/**
 * Small labelled form controls; every control has a visible label and reports field errors — but an
 * empty field is shown invalid only once it was left (blur), its form was submitted, or a
 * ShowFieldErrors provider says a save was tried, never while still untouched.
 */
import {
  type ChangeEvent,
  type ClipboardEvent,
  type ReactNode,
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { sentence } from '../words.ts';

/** True where a save or submit outside a native form submit was tried: every field's error shows. */
export const ShowFieldErrors = createContext(false);

/** Whether a field's error is shown: always when it has content, else only after touch, submit or a tried save. */
export function errorShown(error: string | undefined, s: { empty: boolean; touched: boolean; tried: boolean }): boolean {
  return Boolean(error) && (!s.empty || s.touched || s.tried);
}

export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: string;
  /** The control is empty (its error waits for a touch); omitted = has content. */
  empty?: boolean;
  /** `describedBy` is the id of the shown error, for the control's aria-describedby. */
  children: (id: string, invalid: boolean, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const [touched, setTouched] = useState(false);
  const tried = useContext(ShowFieldErrors);
  useEffect(() => {
    const form = box.current?.closest('form');
    if (!form) return;
    const onSubmit = () => setTouched(true);
    form.addEventListener('submit', onSubmit);
    return () => form.removeEventListener('submit', onSubmit);
  }, []);
  const shown = errorShown(props.error, { empty: props.empty ?? false, touched, tried }) ? props.error : undefined;
  return (
    <div className={`field${shown ? ' has-error' : ''}`} ref={box} onBlur={() => setTouched(true)}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, Boolean(shown), shown ? `${id}-error` : undefined)}
      {props.hint && <div className="hint">{props.hint}</div>}
      {shown && (
        <div className="field-error" role="alert" id={`${id}-error`}>
          {sentence(shown)}
        </div>
      )}
    </div>
  );
}

/** From this share of a field's limit on, its counter shows. */
const COUNTER_FROM = 0.8;

/**
 * "18,200 / 20,000 characters" once a text nears its limit (the field's `maxLength` stops it there),
 * and after a paste that did not fit, how many of its characters were left out.
 */
export function CharCounter({ length, max, cut = 0 }: { length: number; max: number | undefined; cut?: number }) {
  if (max === undefined || (length < max * COUNTER_FROM && cut === 0)) return null;
  const full = length >= max;
  return (
    <div className={`char-count${full || cut > 0 ? ' full' : ''}`} role={cut > 0 ? 'status' : undefined}>
      {length.toLocaleString('en-US')} / {max.toLocaleString('en-US')} characters{full ? ' — the limit' : ''}
      {cut > 0 ? `; the last ${cut.toLocaleString('en-US')} pasted characters did not fit and were left out` : ''}
    </div>
  );
}

/**
 * How many characters of the last paste the field's `maxLength` left out (0 once the text changes
 * again), with the field's paste and change handlers (the change handler passes the new text on to
 * `onChange`). The browser cuts a paste at the limit without a word; this says so.
 */
export function usePasteCut(max: number | undefined, onChange: (v: string) => void) {
  const [cut, setCut] = useState(0);
  const fromPaste = useRef(false);
  const onPaste = (e: ClipboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (max === undefined) return;
    const t = e.currentTarget;
    const kept = t.value.length - Math.abs((t.selectionEnd ?? 0) - (t.selectionStart ?? 0));
    const over = kept + e.clipboardData.getData('text').length - max;
    fromPaste.current = true;
    setCut(Math.max(0, over));
  };
  // The paste's own change keeps the count; any later one clears it.
  const onTextChange = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (fromPaste.current) fromPaste.current = false;
    else setCut(0);
    onChange(e.target.value);
  };
  return { cut, onPaste, onChange: onTextChange };
}

export function TextInput(props: {
  label: string;
  value: string | undefined;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: string;
  name?: string;
  /** The schema's limit (shared/asset.ts `textLimit`): typing and pasting stop there, a counter shows near it. */
  maxLength?: number | undefined;
}) {
  const paste = usePasteCut(props.maxLength, props.onChange);
  return (
    <Field label={props.label} error={props.error} empty={!props.value} {...(props.hint ? { hint: props.hint } : {})}>
      {(id, invalid, describedBy) => (
        <>
          <input
            id={id}
            name={props.name}
            type="text"
            value={props.value ?? ''}
            maxLength={props.maxLength}
            onPaste={paste.onPaste}
            onChange={paste.onChange}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
          <CharCounter length={props.value?.length ?? 0} max={props.maxLength} cut={paste.cut} />
        </>
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
  /** The schema's limit (shared/asset.ts `textLimit`): typing and pasting stop there, a counter shows near it. */
  maxLength?: number | undefined;
}) {
  const paste = usePasteCut(props.maxLength, props.onChange);
  return (
    <Field label={props.label} error={props.error} empty={!props.value} {...(props.hint ? { hint: props.hint } : {})}>
      {(id, invalid) => (
        <>
          <textarea
            id={id}
            rows={props.rows ?? 4}
            className={props.mono ? 'mono' : undefined}
            value={props.value ?? ''}
            maxLength={props.maxLength}
            onPaste={paste.onPaste}
            onChange={paste.onChange}
            aria-invalid={invalid}
          />
          <CharCounter length={props.value?.length ?? 0} max={props.maxLength} cut={paste.cut} />
        </>
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
    <Field label={props.label} error={props.error} empty={list.length === 0} hint={props.hint ?? 'Separate with commas'}>
      {(id, invalid) => (
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
          aria-invalid={invalid}
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
    <Field label={props.label} error={props.error} empty={typeof props.value !== 'number'}>
      {(id, invalid) => (
        <input
          id={id}
          type="number"
          step={props.step ?? 1}
          value={typeof props.value === 'number' ? props.value : ''}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          aria-invalid={invalid}
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
      {(id, invalid) => (
        <select id={id} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)} aria-invalid={invalid}>
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

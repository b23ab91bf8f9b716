/**
 * The revision compare's field table: each field by its human name, the older revision's text with
 * the removed words struck through and the newer one's with the added words marked; all fields or
 * only the changed ones.
 */
import type { DiffPart, FieldDiff } from './revision-diff.ts';

function Side({ parts, absent }: { parts: DiffPart[]; absent: boolean }) {
  if (absent) return <span className="hint">—</span>;
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'removed' ? (
          <del key={i}>{p.text}</del>
        ) : p.kind === 'added' ? (
          <ins key={i}>{p.text}</ins>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

export function DiffTable({ rows, older, newer, onlyChanges }: { rows: FieldDiff[]; older: number; newer: number; onlyChanges: boolean }) {
  const shown = onlyChanges ? rows.filter((r) => r.changed) : rows;
  return (
    <table className="diff">
      <caption className="sr-only">
        Fields of revision {older} and revision {newer}
        {onlyChanges ? ', changed fields only' : ''}; removed words are struck through, added words underlined
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Revision {older}</th>
          <th scope="col">Revision {newer}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.path} className={r.changed ? 'changed' : undefined} data-field={r.path}>
            <th scope="row">{r.label}</th>
            <td>
              <Side parts={r.old} absent={r.before === null} />
            </td>
            <td>
              <Side parts={r.new} absent={r.after === null} />
            </td>
          </tr>
        ))}
        {shown.length === 0 && (
          <tr>
            <td colSpan={3} className="hint">
              No field differs between these revisions{onlyChanges ? ' (the image may)' : ''}.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

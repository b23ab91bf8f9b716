/** CSV exports (earnings, audit log): RFC 4180 quoting, CRLF lines, and no formula injection. */

/** One cell: objects as JSON; text a spreadsheet would run as a formula (=, +, -, @ …) is prefixed with '; plain numbers are left alone. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const toCsv = (rows: unknown[][]): string => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

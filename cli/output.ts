/** What commands print: aligned tables or `key  value` lines for people, the API's JSON with --json for scripts. */

export type Row = Record<string, unknown>;

export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
/** Width in terminal columns: CJK characters take two (member names are often Japanese). */
export const width = (text: string): number => [...text].reduce((w, ch) => w + (WIDE.test(ch) ? 2 : 1), 0);

/** Columns may name nested fields (`policy.tlpCeiling`); headers are the column names in capitals. */
export function table(rows: Row[], columns: string[]): string {
  const at = (row: Row, column: string) => column.split('.').reduce<unknown>((v, k) => (v as Row | undefined)?.[k], row);
  const cells = rows.map((row) => columns.map((c) => cell(at(row, c))));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => v + ' '.repeat(widths[i]! - width(v)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

/** The text of a value: JSON, a table (lists with columns), `key  value` lines (objects), or the value. */
export function render(value: unknown, json: boolean, columns?: string[]): string {
  if (json) return `${JSON.stringify(value, null, 2)}\n`;
  if (Array.isArray(value) && columns) return `${value.length ? table(value as Row[], columns) : '(none)'}\n`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Row);
    const keyWidth = Math.max(...entries.map(([k]) => k.length));
    return `${entries.map(([k, v]) => `${k.padEnd(keyWidth)}  ${cell(v)}`).join('\n')}\n`;
  }
  return `${cell(value)}\n`;
}

export function print(ctx: { json: boolean }, value: unknown, columns?: string[]): void {
  process.stdout.write(render(value, ctx.json, columns));
}

/** A progress bar on a terminal's stderr; nothing when stderr is a pipe or a file. */
export function progress(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const filled = total ? Math.round((done / total) * 30) : 30;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} ${label}`);
  if (done === total) process.stderr.write('\n');
}

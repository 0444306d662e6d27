/**
 * virsh's table printer (tools/vsh-table.c): every cell is a space plus its text, every column but
 * the last is padded to its widest cell plus two spaces, and the header is followed by a line of
 * Σ(width + 3) dashes. Without the header (`-q`) the widths come from the rows alone. Cells are made
 * safe first: non-printable characters become `\xNN` per UTF-8 byte; width counts terminal columns.
 */

/** One table: a header row and data rows with the same number of cells. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Renders a table as virsh prints it; `showHeader` is false under `-q`. */
export function formatTable(table: Table, showHeader: boolean): string {
  const all = showHeader ? [table.header, ...table.rows] : table.rows;
  const encoded = all.map((row) => row.map(safeEncode));
  const columns = table.header.length;
  const maxWidths = new Array<number>(columns).fill(0);
  for (const row of encoded) {
    row.forEach((cell, i) => { maxWidths[i] = Math.max(maxWidths[i] ?? 0, cell.width); });
  }
  let out = '';
  encoded.forEach((row, index) => {
    out += formatRow(row, maxWidths);
    if (showHeader && index === 0) out += `${'-'.repeat(maxWidths.reduce((sum, w) => sum + w + 3, 0))}\n`;
  });
  return out;
}

interface Cell {
  readonly text: string;
  readonly width: number;
}

function formatRow(row: readonly Cell[], maxWidths: readonly number[]): string {
  let line = '';
  row.forEach((cell, i) => {
    line += ` ${cell.text}`;
    if (i < row.length - 1) line += ' '.repeat((maxWidths[i] ?? 0) - cell.width + 2);
  });
  return `${line}\n`;
}

/** Escapes what a terminal cannot show (vshTableSafeEncode) and measures the result in columns. */
function safeEncode(text: string): Cell {
  let out = '';
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isControl(cp)) {
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += `\\x${byte.toString(16).padStart(2, '0')}`;
        width += 4;
      }
    } else {
      out += ch;
      width += columnWidth(cp);
    }
  }
  return { text: out, width };
}

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029;
}

const COMBINING = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;

// East Asian Wide and Fullwidth blocks (wcwidth() == 2 in a UTF-8 locale), coarse but covering CJK,
// Hangul, fullwidth forms and emoji.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

/** Terminal columns of one printable code point (wcwidth). */
export function columnWidth(cp: number): number {
  if (COMBINING.test(String.fromCodePoint(cp))) return 0;
  return WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

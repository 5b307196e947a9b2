import { oneLine } from '../../../shared/util/text.js';

/** A plain-text table for CLI listings: columns padded to their widest cell, the last left ragged. */
export function textTable(header: readonly string[], cells: readonly (readonly string[])[]): string[] {
  // Names on one line: a line break in a recipient's name must not forge a row.
  const rows = cells.map((row) => row.map(oneLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

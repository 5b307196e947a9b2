/** The printed table: aligned columns, notes as numbered footnotes below (pure). */
import type { Row } from './types.js';

/** A number as a person reads it: thousands separated, few decimals, small values to 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 100) return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (abs >= 10) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (abs >= 1) return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return String(Number(value.toPrecision(3)));
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '—';
  return `${formatNumber(ratio)}×`;
}

function withUnit(value: number, unit: string): string {
  if (unit === 'USD') return `$${value.toFixed(value >= 100 ? 0 : 2)}`;
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** The table as lines of text; `width` caps the figure and baseline columns. */
export function renderTable(rows: readonly Row[], width = 58): string[] {
  const clip = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  const header = ['#', 'id', 'figure', 'value', 'baseline', 'baseline value', 'ratio'];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.id,
    clip(r.figure),
    withUnit(r.value, r.unit),
    clip(r.baseline),
    withUnit(r.baselineValue, r.unit),
    formatRatio(r.ratio),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => (cells[c] ?? '').length)));
  const numeric = new Set([0, 3, 5, 6]);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = rows.flatMap((r, i) => (r.note ? [`[${i + 1}] ${r.note}`] : []));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes);
  return lines;
}

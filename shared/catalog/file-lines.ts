/** Lines of a campaign file's text: where an offset is, and problems in line order. */
import type { CatalogProblem, CheckResult } from '../domain/catalog.js';

export type ParseResult = CheckResult & {
  /** Units listed in the text (also when the file has errors), for summaries. */
  unitCount: number;
};

export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Stable: problems without a line first (they concern the whole file), then by line. */
export function byLine(problems: CatalogProblem[]): CatalogProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * The burn-up chart's model: from the API's figures to what is drawn. Pure (no DOM, no chart
 * library), so every line can be checked with the Hưng Yên numbers (test/unit/web/src/chart/model.test.ts).
 *
 * The x axis is local days; a point on day d is the cumulative count at the END of day d.
 * - actual: the cumulative intake from the campaign start through today;
 * - target: the straight line from 0 before the first day to the target at the deadline's end;
 * - required: the path now required, from today's total to the target at the deadline, at
 *   `requiredDailyRate` (remaining ÷ daysLeft). It starts at the end of the day before the first day
 *   still counted in daysLeft: at 22:30 on 13/3/2021 (working hours over) 13/3 no longer counts, so
 *   the path runs from 13/3 (13,994) to 18/6 (1,109,100) over 97 days;
 * - projection: from today's total at the observed pace (mean of the last 7 complete days), until
 *   the target or the deadline, whichever comes first;
 * - sub-targets: each group's own straight line to its target at its own (earlier) deadline, and
 *   where the group stands now.
 */
import type { ProgressResponse } from '../../../shared/schemas/progress.js';
import { addDays, daysBetween } from '../days.js';

export interface DayValue {
  readonly day: string;
  readonly value: number;
}

export interface Segment {
  readonly from: DayValue;
  readonly to: DayValue;
  /** Days from `from` to `to`. */
  readonly days: number;
  /** Per day along the segment. */
  readonly perDay: number;
}

export interface SubTargetLine {
  readonly group: string;
  readonly line: Segment;
  /** Where the group stands (its intake up to its deadline), or null when the API could not tell. */
  readonly current: DayValue | null;
}

export interface BurnUp {
  readonly start: string;
  readonly end: string;
  readonly actual: readonly DayValue[];
  readonly target: Segment;
  readonly required: Segment | null;
  readonly projection: Segment | null;
  readonly subTargets: readonly SubTargetLine[];
}

/** The figures the model needs: a subset of the progress response, so tests can state only these. */
export type BurnUpFigures = Pick<
  ProgressResponse,
  | 'target'
  | 'deadline'
  | 'total'
  | 'daysLeft'
  | 'requiredDailyRate'
  | 'observedDailyRate'
  | 'today'
  | 'subTargets'
>;

function segment(from: DayValue, to: DayValue): Segment {
  const days = daysBetween(from.day, to.day);
  return { from, to, days, perDay: days > 0 ? (to.value - from.value) / days : 0 };
}

/** Cumulative counts, day by day, from the daily series (oldest first). */
export function cumulative(days: readonly { day: string; count: number }[]): DayValue[] {
  let sum = 0;
  return days.map(({ day, count }) => {
    sum += count;
    return { day, value: sum };
  });
}

/**
 * The path required from now: from the total at the end of the day before the first day daysLeft
 * counts, to the target at the deadline. Null when nothing remains or the deadline has passed.
 */
export function requiredPath(f: BurnUpFigures): Segment | null {
  if (f.daysLeft === null || f.daysLeft <= 0 || f.total >= f.target) return null;
  const from = { day: addDays(f.deadline, -f.daysLeft), value: f.total };
  return segment(from, { day: f.deadline, value: f.target });
}

/** Today's total carried forward at the observed pace, until the target or the deadline. */
export function projection(f: BurnUpFigures): Segment | null {
  const rate = f.observedDailyRate;
  if (rate === null || rate <= 0 || f.total >= f.target) return null;
  const horizon = daysBetween(f.today.day, f.deadline);
  if (horizon <= 0) return null;
  const toTarget = Math.ceil((f.target - f.total) / rate);
  const days = Math.min(horizon, toTarget);
  const value = Math.min(f.target, f.total + rate * days);
  return segment({ day: f.today.day, value: f.total }, { day: addDays(f.today.day, days), value });
}

export function subTargetLines(f: BurnUpFigures, startDate: string): SubTargetLine[] {
  const before = addDays(startDate, -1);
  return f.subTargets.map((s) => ({
    group: s.group,
    line: segment({ day: before, value: 0 }, { day: s.deadline, value: s.target }),
    current:
      s.total === null ? null : { day: f.today.day < s.deadline ? f.today.day : s.deadline, value: s.total },
  }));
}

/**
 * The whole chart: `daily` is the unit's daily series from the campaign start through today.
 * The x range runs from the day before the start (0) to the later of the deadline and today.
 */
export function burnUp(
  f: BurnUpFigures,
  startDate: string,
  daily: readonly { day: string; count: number }[],
): BurnUp {
  const start = addDays(startDate, -1);
  const end = f.today.day > f.deadline ? f.today.day : f.deadline;
  const actual = [{ day: start, value: 0 }, ...cumulative(daily.filter((d) => d.day <= f.today.day))];
  return {
    start,
    end,
    actual,
    target: segment({ day: start, value: 0 }, { day: f.deadline, value: f.target }),
    required: requiredPath(f),
    projection: projection(f),
    subTargets: subTargetLines(f, startDate),
  };
}

/** A segment's value on a day (null outside it): how the chart samples a line on its x axis. */
export function valueOn(s: Segment, day: string): number | null {
  const k = daysBetween(s.from.day, day);
  if (k < 0 || k > s.days) return null;
  return s.from.value + s.perDay * k;
}

/**
 * Columns for the chart library: every day from start to end, and each series' value on it
 * (null where a series has no point). Lines are straight, so only their ends need a value, but
 * sampling each day keeps hover read-outs right on every day.
 */
export function burnUpColumns(model: BurnUp): {
  days: string[];
  actual: (number | null)[];
  target: (number | null)[];
  required: (number | null)[];
  projection: (number | null)[];
  subTargets: (number | null)[][];
} {
  const n = daysBetween(model.start, model.end);
  const days = Array.from({ length: n + 1 }, (_, i) => addDays(model.start, i));
  const actualByDay = new Map(model.actual.map((p) => [p.day, p.value]));
  return {
    days,
    actual: days.map((d) => actualByDay.get(d) ?? null),
    target: days.map((d) => valueOn(model.target, d)),
    required: days.map((d) => (model.required ? valueOn(model.required, d) : null)),
    projection: days.map((d) => (model.projection ? valueOn(model.projection, d) : null)),
    subTargets: model.subTargets.map((s) => days.map((d) => valueOn(s.line, d))),
  };
}

/** Sparkline points (0..1 on both axes) of a short series: higher counts higher up. */
export function sparkPoints(counts: readonly number[]): { x: number; y: number }[] {
  const max = Math.max(1, ...counts);
  const last = Math.max(1, counts.length - 1);
  return counts.map((c, i) => ({ x: i / last, y: 1 - c / max }));
}

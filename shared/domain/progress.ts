/**
 * The read side's arithmetic, without I/O: percent, remaining, sub-target progress, series with
 * every day present, worst-first ordering, and the day ranges a request reads. The progress
 * function fetches totals and hands them here; everything it answers is shaped by these functions.
 *
 * "Today" is always the evaluation day: the local calendar day (campaign time zone) of the request's
 * asOf, or of now. Figures "as of" a moment are the totals through that whole local day.
 *
 * Pace and risk come from shared/domain/risk.ts, evaluated at asOf (or now). The domain keeps rates
 * unrounded; here, for presentation, rates are rounded half up to 2 decimals (like percent: 11,289.75
 * per day) and paceRatio is rounded DOWN to 2 decimals, so a shown pace is never at a (2-decimal)
 * threshold the unit has not reached: 0.7999 shows as 0.79 beside `critical`, not 0.80.
 */
import type { SubTarget, Unit } from '../schemas/campaign.js';
import type {
  ChildSummary,
  DailyTotals,
  DayCount,
  ProgressResponse,
  SubTargetProgress,
  UnitRef,
} from '../schemas/progress.js';
import { MAX_DAILY_RANGE_DAYS, RECENT_DAYS } from '../schemas/values.js';
import { addDays, daysBetween, eachDay } from './calendar.js';
import {
  dailyCountsFromDays,
  evaluateRisk,
  evaluateSubTarget,
  OBSERVATION_DAYS,
  type RiskCalendar,
  type RiskFigures,
  type RiskStateSnapshot,
  riskSince,
} from './risk.js';
import { addTotals, countOf, emptyTotals, type Totals } from './totals.js';

/** A DAY item: the totals of one local day. */
export interface DayTotals {
  readonly day: string;
  readonly totals: Totals;
}

/** What was read of a unit for one summary. */
export interface UnitFigures {
  /** Totals: the sum of the DAY items (all of them now, or those up to asOf's day). */
  readonly totals: Totals;
  /**
   * DAY items read, oldest first, covering at least what `daysToRead` asks for (the progress API
   * reads them all in one Query); null when a caller has the totals without the days.
   */
  readonly days: readonly DayTotals[] | null;
  /** The evaluation day's totals when read on their own (children: one batch for all), without `days`. */
  readonly today?: Totals;
  /**
   * Without `days`: the DAY items of the days pace observes (`observationWindow`, the 7 before the
   * evaluation day), read on their own (children: one batch per day for all). Without either, the
   * figures that need an observed rate are null.
   */
  readonly paceDays?: readonly DayTotals[];
}

/**
 * Percent of the target, rounded half up to two decimals: 13,994 of 1,109,100 → 1.26.
 * A target of 0 asks for nothing, so it is met: 100 (and such a unit is not listed as the worst).
 * Not capped: 120 % means the target was exceeded by a fifth.
 */
export function percentOf(total: number, target: number): number {
  if (target <= 0) return 100;
  // total × 10,000 / target is exact enough that Math.round sees the true hundredths.
  return Math.round((total * 10_000) / target) / 100;
}

/** docs/ARCHITECTURE.md §10: max(0, target − total). */
export const remainingOf = (total: number, target: number): number => Math.max(0, target - total);

/** The sum of the DAY items on or before `through` (all of them when omitted). */
export function sumDays(days: readonly DayTotals[], through?: string): Totals {
  let sum = emptyTotals();
  for (const d of days) if (through === undefined || d.day <= through) sum = addTotals(sum, d.totals);
  return sum;
}

/** Every day from `from` through `to`, oldest first, with the DAY items' totals or zeros. */
export function fillDays(from: string, to: string, days: readonly DayTotals[]): DayTotals[] {
  const byDay = new Map(days.map((d) => [d.day, d.totals]));
  const filled: DayTotals[] = [];
  for (const day of eachDay(from, to)) filled.push({ day, totals: byDay.get(day) ?? emptyTotals() });
  return filled;
}

/** The `RECENT_DAYS` days ending with `today`, oldest first, zeros filled. */
export function recentDays(today: string, days: readonly DayTotals[]): DayCount[] {
  return fillDays(addDays(today, -(RECENT_DAYS - 1)), today, days).map((d) => ({
    day: d.day,
    count: d.totals.count,
  }));
}

/**
 * Which DAY items a unit's progress needs: the last 14 days, and, when a sub-target's deadline
 * has passed, every day up to it (from the beginning: `from` undefined).
 */
export function daysToRead(unit: Unit, today: string): { from: string | undefined; to: string } {
  const closedSubTarget = unit.subTargets.some((s) => s.deadline < today);
  // The 14 days shown also hold the 7 complete days before today that pace observes.
  const back = Math.max(RECENT_DAYS - 1, OBSERVATION_DAYS);
  return { from: closedSubTarget ? undefined : addDays(today, -back), to: today };
}

/**
 * Intake of the sub-target's group on days up to its deadline. While the deadline has not passed,
 * that is the group's running total; after it, only the DAY items up to the deadline count, and
 * without them (null days) the figure is unknown.
 */
export function subTargetTotal(sub: SubTarget, figures: UnitFigures, today: string): number | null {
  if (sub.deadline >= today) return countOf(figures.totals.byGroup, sub.group);
  if (figures.days === null) return null;
  return countOf(sumDays(figures.days, sub.deadline).byGroup, sub.group);
}

const unitRef = (unit: Unit): UnitRef => ({
  id: unit.id,
  name: unit.name,
  level: unit.level,
  parentId: unit.parentId,
});

/** Rates for presentation: half up to 2 decimals (the domain keeps them exact). */
export function roundRate(rate: number | null): number | null {
  if (rate === null) return null;
  // toPrecision first: 1.005 × 100 is 100.49999999999999 in binary, and should round up.
  return Math.round(Number((rate * 100).toPrecision(15))) / 100;
}

/** paceRatio for presentation: DOWN to 2 decimals, so it never shows a threshold the unit has not reached. */
export function roundPace(pace: number | null): number | null {
  if (pace === null) return null;
  return Math.floor(Number((pace * 100).toPrecision(12))) / 100;
}

/** The pace fields of a summary (unit or sub-target). */
export interface PaceFields {
  readonly daysLeft: number | null;
  readonly requiredDailyRate: number | null;
  readonly observedDailyRate: number | null;
  readonly paceRatio: number | null;
  readonly projectedCompletion: string | null;
  readonly risk: { readonly level: RiskFigures['level'] | null; readonly since: string | null };
}

const unknownPace: PaceFields = {
  daysLeft: null,
  requiredDailyRate: null,
  observedDailyRate: null,
  paceRatio: null,
  projectedCompletion: null,
  risk: { level: null, since: null },
};

/**
 * Presents figures (`since` null: the caller fills it). Evaluated without the observed days
 * (`observed` false), only what needs no observed rate is kept: daysLeft, requiredDailyRate, and the
 * levels decided without pace (done, missed).
 */
export function paceFields(figures: RiskFigures, observed = true): PaceFields {
  const level = observed || figures.level === 'done' || figures.level === 'missed' ? figures.level : null;
  return {
    daysLeft: figures.daysLeft,
    requiredDailyRate: roundRate(figures.requiredDailyRate),
    observedDailyRate: observed ? roundRate(figures.observedDailyRate) : null,
    paceRatio: observed ? roundPace(figures.paceRatio) : null,
    projectedCompletion: observed ? figures.projectedCompletion : null,
    risk: { level, since: null },
  };
}

/** The DAY items pace can use: the full read, or the observed days read on their own. */
const observedDays = (figures: UnitFigures): readonly DayTotals[] | null =>
  figures.days ?? figures.paceDays ?? null;

/** A unit's pace and risk at `at`, with `since` from the risk job's stored state when it agrees. */
export function unitPace(
  unit: Unit,
  figures: UnitFigures,
  at: Evaluation,
  stored?: RiskStateSnapshot,
): PaceFields {
  const days = observedDays(figures);
  const asOf = new Date(at.asOf);
  const risk = evaluateRisk({
    target: unit.target,
    deadline: unit.deadline,
    total: figures.totals.count,
    days: dailyCountsFromDays(days ?? []),
    calendar: at.calendar,
    asOf,
  });
  const fields = paceFields(risk, days !== null);
  return { ...fields, risk: { ...fields.risk, since: riskSince(fields.risk.level, stored, asOf) } };
}

/** A sub-target's pace and risk, from the group's counts; unknown when its total is (null). */
export function subTargetPace(
  sub: SubTarget,
  total: number | null,
  figures: UnitFigures,
  at: Evaluation,
): PaceFields {
  if (total === null) return unknownPace;
  const days = observedDays(figures);
  const risk = evaluateSubTarget(sub, {
    total,
    days: days ?? [],
    calendar: at.calendar,
    asOf: new Date(at.asOf),
  });
  return paceFields(risk, days !== null);
}

function summaryFields(unit: Unit, figures: UnitFigures, at: Evaluation, stored?: RiskStateSnapshot) {
  const totals = figures.totals;
  return {
    unit: unitRef(unit),
    target: unit.target,
    deadline: unit.deadline,
    total: totals.count,
    percent: percentOf(totals.count, unit.target),
    remaining: remainingOf(totals.count, unit.target),
    byKind: { ...totals.byKind },
    byChannel: { ...totals.byChannel },
    byGroup: { ...totals.byGroup },
    ...unitPace(unit, figures, at, stored),
  };
}

export interface Evaluation {
  readonly campaignId: string;
  /** The local day of asOf (or now) in the campaign time zone. */
  readonly today: string;
  /** The moment the figures are for, ISO 8601; pace and risk are evaluated at it. */
  readonly asOf: string;
  /** The campaign's time zone, start, working hours and thresholds. */
  readonly calendar: RiskCalendar;
}

/**
 * The progress of one unit; `figures.days` must cover `daysToRead(unit, today)`. `stored` is the
 * risk job's state of the unit, for `risk.since`.
 */
export function progressOf(
  unit: Unit,
  figures: UnitFigures & { readonly days: readonly DayTotals[] },
  at: Evaluation,
  stored?: RiskStateSnapshot,
): ProgressResponse {
  const subTargets: SubTargetProgress[] = unit.subTargets.map((sub) => {
    const total = subTargetTotal(sub, figures, at.today) ?? 0;
    return {
      ...sub,
      total,
      percent: percentOf(total, sub.target),
      ...subTargetPace(sub, total, figures, at),
    };
  });
  const today = figures.days.find((d) => d.day === at.today)?.totals.count ?? 0;
  return {
    campaignId: at.campaignId,
    ...summaryFields(unit, figures, at, stored),
    today: { day: at.today, count: today },
    last14Days: recentDays(at.today, figures.days),
    subTargets,
    asOf: at.asOf,
  };
}

/**
 * A child's summary: without last14Days; figures that need DAY items are null when none were read
 * (pace is evaluated from `paceDays` when `days` is null).
 */
export function childSummaryOf(
  unit: Unit,
  figures: UnitFigures,
  at: Evaluation,
  stored?: RiskStateSnapshot,
): ChildSummary {
  const today = at.today;
  return {
    ...summaryFields(unit, figures, at, stored),
    today: {
      day: today,
      count:
        figures.today !== undefined
          ? figures.today.count
          : figures.days === null
            ? null
            : (figures.days.find((d) => d.day === today)?.totals.count ?? 0),
    },
    subTargets: unit.subTargets.map((sub) => {
      const total = subTargetTotal(sub, figures, today);
      return {
        ...sub,
        total,
        percent: total === null ? null : percentOf(total, sub.target),
        ...subTargetPace(sub, total, figures, at),
      };
    }),
  };
}

/** Worst first: the lowest percent first; equal percents by unit id, so the order is stable. */
export function worstFirst<T extends { percent: number; unit: { id: string } }>(
  summaries: readonly T[],
): T[] {
  return [...summaries].sort(
    (a, b) => a.percent - b.percent || (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0),
  );
}

/** The daily series: every day from `from` through `to`, zeros filled. */
export function dailySeries(from: string, to: string, days: readonly DayTotals[]): DailyTotals[] {
  return fillDays(from, to, days).map(({ day, totals }) => ({
    day,
    count: totals.count,
    byKind: { ...totals.byKind },
    byChannel: { ...totals.byChannel },
    byGroup: { ...totals.byGroup },
  }));
}

/** YYYY-MM-DD strings order as the days do (Math.min would turn them into NaN). */
const earlierDay = (a: string, b: string) => (a <= b ? a : b);
const laterDay = (a: string, b: string) => (a >= b ? a : b);

export interface RangeError {
  readonly path: string;
  readonly message: string;
}

export type DailyRange =
  | {
      readonly ok: true;
      readonly from: string;
      readonly to: string;
      /** The last day to read: `to`, or today when `to` is later (later days stood at 0); null: read nothing. */
      readonly readThrough: string | null;
    }
  | { readonly ok: false; readonly errors: RangeError[] };

/**
 * The range of a daily series. Defaults: `to` = today, `from` = the campaign's start (or the
 * earliest day that keeps the range within MAX_DAILY_RANGE_DAYS, or `to` itself before the start).
 * Explicit dates are checked: `from` not after `to`, at most MAX_DAILY_RANGE_DAYS days.
 */
export function dailyRange(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  context: { readonly startDate: string; readonly today: string },
): DailyRange {
  const to = query.to ?? context.today;
  let from = query.from;
  if (from === undefined) {
    const earliest = addDays(to, -(MAX_DAILY_RANGE_DAYS - 1));
    from = earlierDay(laterDay(context.startDate, earliest), to);
  }
  const errors: RangeError[] = [];
  if (from > to) {
    errors.push({ path: 'from', message: `${from} is after to (${to})` });
  } else {
    const length = daysBetween(from, to) + 1;
    if (length > MAX_DAILY_RANGE_DAYS) {
      errors.push({
        path: 'to',
        message: `the range ${from} to ${to} covers ${length} days; at most ${MAX_DAILY_RANGE_DAYS} per request`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const last = earlierDay(to, context.today);
  return { ok: true, from, to, readThrough: from <= last ? last : null };
}

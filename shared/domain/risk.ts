/**
 * Pace and deadline risk (docs/ARCHITECTURE.md §10), without I/O. All days are local calendar days in the
 * campaign's time zone.
 *
 * CONTRACT: the types below are shared by the risk job, the progress API and the alert policy.
 *
 * Decisions on the edges (each has a test in test/unit/shared/domain/risk/):
 * - Precedence: `done` (total ≥ target) before everything, then `missed` (daysLeft 0 with something
 *   remaining), then `no_data` (no complete day observed yet), then the pace levels. So a target of 0
 *   is `done` from the first moment; a unit that reaches its target after the deadline is `done`.
 * - The evaluation day counts towards daysLeft while its local time is before `workingHours.end`
 *   (HH:MM, so 21:59:59 still counts and 22:00 does not; an end of 24:00 means the day always
 *   counts). Intake cannot happen before the campaign starts, so days before `startDate` never count:
 *   before the start, daysLeft runs from the start, and `requiredDailyRate` is what the whole
 *   campaign will need per day.
 * - "Deadline passed" means daysLeft is 0: from the end of working hours on the deadline day. Intake
 *   recorded later that day still adds to the total, and a later evaluation turns `missed` into `done`.
 * - observedDailyRate is the mean over the complete days before the evaluation day, at most 7, none
 *   before the campaign start: on day 1 (or before the start) there is none, and the level is
 *   `no_data`. The evaluation day itself is never observed, even after working hours: intake at
 *   mobile teams goes on later, and the rate must not change when the clock passes 22:00.
 * - requiredDailyRate is 0 only when nothing remains (then the unit is `done`, and paceRatio is null).
 * - paceRatio is computed from the integer sums (observedSum × daysLeft) / (observedDays × remaining),
 *   so a pace exactly at a threshold (1.0, 0.8) compares exactly, without floating-point drift.
 * - projectedCompletion counts from the first day that still counts (as daysLeft does), so it is on
 *   or before the deadline exactly when paceRatio ≥ 1. It is null when nothing remains, at an observed
 *   rate of 0 or none, and beyond 9999-12-31 (as good as never). A missed unit still gets one (its
 *   running total keeps counting); a missed sub-target does not (later intake does not count towards it).
 * - Rates are plain numbers, never rounded here; the progress API rounds them for presentation.
 */
import type { Campaign } from '../schemas/campaign.js';
import { addDays, daysBetween, eachDay, localDate, localTime } from './calendar.js';
import { countOf } from './totals.js';

export const RISK_LEVELS = ['done', 'on_track', 'at_risk', 'critical', 'missed', 'no_data'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Levels that alert, from the mildest: the order used for minimum severities. */
export const ALERT_LEVELS = ['at_risk', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** What the evaluation needs of the campaign. */
export type RiskCalendar = Pick<Campaign, 'timeZone' | 'workingHours' | 'thresholds' | 'startDate'>;

export interface RiskInput {
  readonly target: number;
  /** YYYY-MM-DD, the last day that counts. */
  readonly deadline: string;
  /** Total received through the evaluation moment (through its local day). */
  readonly total: number;
  /** Daily counts (any range, missing days are zero) covering at least the 7 days before the evaluation day. */
  readonly days: readonly { readonly day: string; readonly count: number }[];
  readonly calendar: RiskCalendar;
  readonly asOf: Date;
}

export interface RiskFigures {
  /** The local day of asOf. */
  readonly evaluationDay: string;
  readonly remaining: number;
  /** Days from the evaluation day through the deadline, inclusive; the evaluation day counts only while working hours have not ended. 0 after the deadline. */
  readonly daysLeft: number;
  /** remaining / daysLeft; null when daysLeft is 0. */
  readonly requiredDailyRate: number | null;
  /** Mean of the last 7 complete days (fewer in the first week, from the campaign start); null on day 1. */
  readonly observedDailyRate: number | null;
  /** observed / required; null when either is null or required is 0. */
  readonly paceRatio: number | null;
  /** YYYY-MM-DD when remaining would be reached at the observed rate; null at rate 0 or unknown. */
  readonly projectedCompletion: string | null;
  readonly level: RiskLevel;
}

/** Complete days the observed rate is the mean of (docs/ARCHITECTURE.md §10). */
export const OBSERVATION_DAYS = 7;

/** The latest day a projection is given for; later is as good as never (and beyond what Date can hold). */
const LAST_PROJECTABLE_DAY = '9999-12-31';

const laterDay = (a: string, b: string) => (a >= b ? a : b);

/** Whether the evaluation day still counts towards daysLeft: its working hours have not ended. */
export function evaluationDayCounts(asOf: Date, calendar: Pick<RiskCalendar, 'timeZone' | 'workingHours'>) {
  return localTime(asOf, calendar.timeZone) < calendar.workingHours.end;
}

/** The first day on which intake can still count: the evaluation day (or the next, after hours), never before the start. */
export function firstCountingDay(asOf: Date, calendar: RiskCalendar): string {
  const today = localDate(asOf, calendar.timeZone);
  const first = evaluationDayCounts(asOf, calendar) ? today : addDays(today, 1);
  return laterDay(first, calendar.startDate);
}

/** Days from the first counting day through the deadline, inclusive; 0 once the deadline has passed. */
export function daysLeftOf(deadline: string, asOf: Date, calendar: RiskCalendar): number {
  return Math.max(0, daysBetween(firstCountingDay(asOf, calendar), deadline) + 1);
}

/**
 * The complete days observedDailyRate is the mean of: the (at most) 7 days before the evaluation day,
 * none before the campaign start. null on day 1 and before the start.
 */
export function observationWindow(
  evaluationDay: string,
  startDate: string,
): { readonly from: string; readonly to: string; readonly days: number } | null {
  const to = addDays(evaluationDay, -1);
  const from = laterDay(addDays(evaluationDay, -OBSERVATION_DAYS), startDate);
  if (from > to) return null;
  return { from, to, days: daysBetween(from, to) + 1 };
}

/** The days of a window, oldest first. */
export function windowDays(window: { readonly from: string; readonly to: string }): string[] {
  return eachDay(window.from, window.to);
}

/**
 * The level a pace gives (the unit neither done, missed nor without data): on_track from
 * `thresholds.atRisk` (default 1.0), at_risk from `thresholds.critical` (default 0.8), else critical.
 */
export function levelForPace(
  paceRatio: number,
  thresholds: RiskCalendar['thresholds'],
): 'on_track' | 'at_risk' | 'critical' {
  if (paceRatio >= thresholds.atRisk) return 'on_track';
  if (paceRatio >= thresholds.critical) return 'at_risk';
  return 'critical';
}

/**
 * Severity order, from the least to the most worrying. `no_data` sits between the known-good levels
 * and the alerting ones: nothing is known to be wrong, but nothing is known to be right either.
 */
export const SEVERITY_ORDER: readonly RiskLevel[] = [
  'done',
  'on_track',
  'no_data',
  'at_risk',
  'critical',
  'missed',
];

/** A level's severity: 0 for done up to 5 for missed (SEVERITY_ORDER). */
export function levelRank(level: RiskLevel): number {
  return SEVERITY_ORDER.indexOf(level);
}

/** Sorts worst first: `levels.sort(worseFirst)`. */
export const worseFirst = (a: RiskLevel, b: RiskLevel): number => levelRank(b) - levelRank(a);

/** The more worrying of two levels. */
export const worseLevel = (a: RiskLevel, b: RiskLevel): RiskLevel => (levelRank(b) > levelRank(a) ? b : a);

export const isAlertLevel = (level: RiskLevel): level is AlertLevel =>
  (ALERT_LEVELS as readonly string[]).includes(level);

/** A unit's daily totals (DAY items) as the daily counts RiskInput takes. */
export function dailyCountsFromDays(
  days: readonly { readonly day: string; readonly totals: { readonly count: number } }[],
): { day: string; count: number }[] {
  return days.map((d) => ({ day: d.day, count: d.totals.count }));
}

/** A unit's daily totals (DAY items) as the daily counts of one population group. */
export function groupDailyCountsFromDays(
  days: readonly GroupDay[],
  group: string,
): { day: string; count: number }[] {
  return days.map((d) => ({ day: d.day, count: countOf(d.totals.byGroup, group) }));
}

/** ⌈a / b⌉ for non-negative integers, exact (a float quotient alone may land on the wrong side). */
function ceilDiv(a: number, b: number): number {
  let q = Math.ceil(a / b);
  while (q * b < a) q++;
  while (q > 0 && (q - 1) * b >= a) q--;
  return q;
}

/** Pace and risk of a target (docs/ARCHITECTURE.md §10); see the module comment for the edge cases. */
export function evaluateRisk(input: RiskInput): RiskFigures {
  const { calendar, asOf } = input;
  const evaluationDay = localDate(asOf, calendar.timeZone);
  const remaining = Math.max(0, input.target - input.total);
  const firstDay = firstCountingDay(asOf, calendar);
  const daysLeft = Math.max(0, daysBetween(firstDay, input.deadline) + 1);
  const requiredDailyRate = daysLeft > 0 ? remaining / daysLeft : null;

  const window = observationWindow(evaluationDay, calendar.startDate);
  let observedSum = 0;
  if (window) {
    for (const d of input.days) if (d.day >= window.from && d.day <= window.to) observedSum += d.count;
  }
  const observedDailyRate = window ? observedSum / window.days : null;

  const paceRatio =
    window && remaining > 0 && daysLeft > 0 ? (observedSum * daysLeft) / (window.days * remaining) : null;

  let projectedCompletion: string | null = null;
  if (window && remaining > 0 && observedSum > 0) {
    const daysNeeded = ceilDiv(remaining * window.days, observedSum);
    if (daysNeeded - 1 <= daysBetween(firstDay, LAST_PROJECTABLE_DAY)) {
      projectedCompletion = addDays(firstDay, daysNeeded - 1);
    }
  }

  let level: RiskLevel;
  if (remaining === 0) level = 'done';
  else if (daysLeft === 0) level = 'missed';
  else if (paceRatio === null) level = 'no_data';
  else level = levelForPace(paceRatio, calendar.thresholds);

  return {
    evaluationDay,
    remaining,
    daysLeft,
    requiredDailyRate,
    observedDailyRate,
    paceRatio,
    projectedCompletion,
    level,
  };
}

/** A DAY item's shape as far as group sub-targets need it (progress' DayTotals fits). */
export interface GroupDay {
  readonly day: string;
  readonly totals: { readonly byGroup: Readonly<Record<string, number>> };
}

export interface SubTargetRiskInput {
  /**
   * The group's intake counted towards the sub-target: through the evaluation day, and only on days up
   * to the sub-target's deadline (progress' `subTargetTotal`; after the deadline that needs every DAY
   * item up to it, a running TOTAL would also count later intake).
   */
  readonly total: number;
  /** The unit's daily totals, covering at least the 7 days before the evaluation day. */
  readonly days: readonly GroupDay[];
  readonly calendar: RiskCalendar;
  readonly asOf: Date;
}

/**
 * Pace and risk of a population group's sub-target (officials by 30/4): its own target and deadline,
 * the group's counts. The same rules as a unit's, so the group can be critical while the unit is on
 * track, with one difference: intake of the group after the deadline does not count towards it, so a
 * missed sub-target will never be reached and has no projectedCompletion.
 */
export function evaluateSubTarget(
  subTarget: { readonly group: string; readonly target: number; readonly deadline: string },
  input: SubTargetRiskInput,
): RiskFigures {
  const figures = evaluateRisk({
    target: subTarget.target,
    deadline: subTarget.deadline,
    total: input.total,
    days: groupDailyCountsFromDays(input.days, subTarget.group),
    calendar: input.calendar,
    asOf: input.asOf,
  });
  return figures.level === 'missed' ? { ...figures, projectedCompletion: null } : figures;
}

/** What the risk job stores of a unit's level (its RISK item), as far as readers need it. */
export interface RiskStateSnapshot {
  readonly level: RiskLevel;
  /** ISO 8601: when the level was first seen by an evaluation. */
  readonly since: string;
}

/**
 * Since when a unit has held the level just computed: the stored `since` when the stored level is the
 * same and began no later than asOf (so a historical request never shows a "since" after its moment);
 * otherwise unknown (null), e.g. before the risk job has seen the change.
 */
export function riskSince(
  level: RiskLevel | null,
  stored: RiskStateSnapshot | undefined,
  asOf: Date,
): string | null {
  if (level === null || stored === undefined || stored.level !== level) return null;
  const since = Date.parse(stored.since);
  return Number.isNaN(since) || since > asOf.getTime() ? null : stored.since;
}

/**
 * Weekly and final reports (issue: reports), without I/O.
 *
 * CONTRACT (shared by the report job, the reports store and API, and the renderers): the types
 * ReportPeriod, ChildLine, ReportNote and UnitReport (mirrored by the zod schema in
 * shared/schemas/reports.ts, so their shapes are unchanged here).
 *
 * Decisions on the edges (each has a test in test/unit/shared/domain/report/):
 * - Periods are local calendar days in the campaign's time zone: an ISO week (Monday to Sunday, the
 *   week of its Thursday's year: 2021-01-03 is in 2020-W53), or the whole campaign (`final`).
 * - "At the end of a day" D is the instant D ends: local midnight beginning D + 1. Risk is evaluated
 *   there, not at 23:59: evaluateRisk never observes its evaluation day, so at 23:59 on Sunday the
 *   week's last day would not count towards the pace, and with working hours ending at 24:00 the
 *   Sunday would still count as a day left. At midnight the observed window is exactly the 7 days
 *   ending with D and the days left begin with D + 1: the figures the Monday 07:00 run sees.
 * - atStart is the unit through the day before the period, evaluated at the end of that day. When the
 *   period begins on or before the campaign start, that is the campaign's start: total 0 and level
 *   `no_data` (nothing observed yet; `done` for a target of 0), so the first week's levelChanged is
 *   true whenever the unit has a level by its end.
 * - dailyAverage divides by the period's days on or after the campaign start (not after `to`): the
 *   first partial week (Wednesday start) counts 5 days, not 7; a period wholly before the start has
 *   0 days and an average of 0. Rates are rounded half up to 2 decimals, like the progress API.
 * - Sub-targets count the group's intake only on days up to their own deadline; after it their level
 *   is `done` or `missed` for good.
 * - best and worst rank the children by the percent shown (2 decimals), ties by unit id ascending in
 *   both lists; up to 5 each. With 5 children or fewer both lists hold them all, and with 6 to 9 they
 *   overlap: each list answers its own question ("who leads", "who lags") whatever the other holds.
 * - `no_intake` notes: children whose last 3 or more days of the period had no intake. `days` is the
 *   whole run of days without intake ending with the period's last day, counted back to the child's
 *   last intake (which may lie before the period) or to the campaign start (days before it are not
 *   missed intake), `lastDay` that intake's day or null. Listed longest run first, ties in unit order,
 *   after `targets_above_parent` (a standing fault of the campaign file, the catalog's warning).
 * - Children must be the unit's direct children (parentId), in the order to report them (the
 *   hierarchy's childrenOf: file order); a stray one is a caller's bug and throws.
 */
import type { Campaign, SubTarget, Unit } from '../schemas/campaign.js';
import { addDays, daysBetween, startOfLocalDay } from './calendar.js';
import { percentOf, roundRate } from './progress.js';
import { evaluateRisk, evaluateSubTarget, type RiskLevel } from './risk.js';
import { countOf } from './totals.js';

/** An ISO week in the campaign's time zone (`2021-W14`: Monday 5/4 to Sunday 11/4/2021), or the whole campaign. */
export type ReportPeriod =
  | { readonly kind: 'week'; readonly id: string; readonly from: string; readonly to: string }
  | { readonly kind: 'final'; readonly id: 'final'; readonly from: string; readonly to: string };

/** Where a unit or a sub-target stands through a day: its total, its percent of the target, its level. */
export interface Standing {
  readonly total: number;
  readonly percent: number;
  readonly level: RiskLevel;
}

export interface ChildLine {
  readonly unitId: string;
  readonly name: string;
  readonly received: number;
  readonly total: number;
  readonly target: number;
  readonly percent: number;
  readonly level: RiskLevel;
}

export type ReportNote =
  | {
      readonly kind: 'no_intake';
      readonly unitId: string;
      readonly name: string;
      readonly days: number;
      readonly lastDay: string | null;
    }
  | { readonly kind: 'targets_above_parent'; readonly childrenSum: number; readonly target: number };

export interface UnitReport {
  /** `<unitId>:<period id>`, e.g. `33:2021-W14` or `33:final`: re-running a period replaces its report. */
  readonly reportId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly unit: {
    readonly id: string;
    readonly name: string;
    readonly level: string;
    readonly parentId: string | null;
  };
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly target: number;
  readonly deadline: string;
  /** Through the day before the period. */
  readonly atStart: Standing;
  /** Through the period's last day. */
  readonly atEnd: Standing;
  readonly received: number;
  /** received / the period's days that lie inside the campaign (from its start date). */
  readonly dailyAverage: number;
  /** At the end of the period (null once the deadline has passed). */
  readonly requiredDailyRate: number | null;
  readonly levelChanged: boolean;
  readonly subTargets: readonly (SubTarget & Standing)[];
  /** Every child, in unit order. */
  readonly children: readonly ChildLine[];
  /** Up to five each, by percent at the end of the period (best: highest first; worst: lowest first). */
  readonly best: readonly string[];
  readonly worst: readonly string[];
  readonly notes: readonly ReportNote[];
  /**
   * Corrections received in the period (local days of receivedAt) for the unit or a unit below it,
   * and their net effect on the totals (the sum of their admitted deltas). Absent on reports stored
   * before corrections existed.
   */
  readonly corrections?: { readonly count: number; readonly net: number };
}

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

/** A period id or day that cannot be reported on (bad input from an API or CLI caller). */
export class InvalidPeriodError extends RangeError {
  override readonly name = 'InvalidPeriodError';
}

/** Children in a best or worst list. */
export const BEST_WORST_SIZE = 5;
/** Days without intake at the end of a period from which a child gets a note. */
export const NO_INTAKE_NOTE_DAYS = 3;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

function isRealDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function assertDay(day: string, what: string): void {
  if (!isRealDay(day))
    throw new InvalidPeriodError(`${what} must be a real date written YYYY-MM-DD (got "${day}")`);
}

/** 1 for Monday to 7 for Sunday. */
function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The ISO week (`2021-W13`) a local day lies in: the week of its Thursday's year. */
export function isoWeekOf(day: string): string {
  assertDay(day, 'day');
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Weeks in an ISO year: 52, or 53 (28 December always lies in the last one). */
function weeksInIsoYear(year: string): number {
  return Number(isoWeekOf(`${year}-12-28`).slice(6));
}

/** The ISO week `YYYY-Www` as a period, Monday to Sunday; throws InvalidPeriodError on anything else. */
export function weekPeriod(id: string): ReportPeriod {
  const match = WEEK_PATTERN.exec(id);
  if (!match) throw new InvalidPeriodError(`a week must be written YYYY-Www, e.g. 2021-W13 (got "${id}")`);
  const [, year = '', weekText = ''] = match;
  const week = Number(weekText);
  const weeks = weeksInIsoYear(year);
  if (week < 1 || week > weeks) {
    throw new InvalidPeriodError(`${id} is not an ISO week: ${year} has weeks 01 to ${weeks}`);
  }
  const firstMonday = addDays(`${year}-01-04`, 1 - isoWeekday(`${year}-01-04`));
  const from = addDays(firstMonday, 7 * (week - 1));
  const to = addDays(from, 6);
  if (!isRealDay(from) || !isRealDay(to))
    throw new InvalidPeriodError(`${id} lies outside the supported years`);
  return { kind: 'week', id, from, to };
}

/** The whole campaign: from its start through the last deadline (the final report). */
export function finalPeriod(campaignStart: string, lastDeadline: string): ReportPeriod {
  assertDay(campaignStart, 'the campaign start');
  assertDay(lastDeadline, 'the last deadline');
  if (lastDeadline < campaignStart) {
    throw new InvalidPeriodError(
      `the last deadline ${lastDeadline} is before the campaign start ${campaignStart}`,
    );
  }
  return { kind: 'final', id: 'final', from: campaignStart, to: lastDeadline };
}

/**
 * The last complete week before a local day: on Monday 5/4/2021 (the weekly run, 07:00) the week that
 * ended on Sunday 4/4 (2021-W13); on Sunday 4/4 itself, the week before (that Sunday is not over).
 */
export function previousWeek(asOfDay: string): ReportPeriod {
  assertDay(asOfDay, 'asOfDay');
  const lastSunday = addDays(asOfDay, -isoWeekday(asOfDay));
  return weekPeriod(isoWeekOf(lastSunday));
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/** A DAY item of a unit: the intake of one local day. */
export interface ReportDay {
  readonly day: string;
  readonly count: number;
  readonly byGroup: Readonly<Record<string, number>>;
}

export interface ReportInput {
  readonly campaign: Pick<Campaign, 'id' | 'name' | 'timeZone' | 'startDate' | 'workingHours' | 'thresholds'>;
  readonly unit: Unit;
  /** The unit's direct children, in the order to report them. */
  readonly children: readonly Unit[];
  /**
   * Every DAY item of the unit and of each child up to the period's end, by unit id (later days are
   * ignored). Missing days, and units missing from the map, had no intake.
   */
  readonly days: ReadonlyMap<string, readonly ReportDay[]>;
  readonly period: ReportPeriod;
  readonly generatedAt: Date;
  /** The corrections received in the period for the unit's subtree, and their net effect. */
  readonly corrections?: { readonly count: number; readonly net: number };
}

/** YYYY-MM-DD strings order as the days do (Math.min would turn them into NaN). */
const laterDay = (a: string, b: string) => (a >= b ? a : b);
const earlierDay = (a: string, b: string) => (a <= b ? a : b);

/** The sum of counts on days up to `through`. */
function totalThrough(days: readonly ReportDay[], through: string): number {
  let sum = 0;
  for (const d of days) if (d.day <= through) sum += d.count;
  return sum;
}

/** Days of [from, to] on or after `start`; 0 when none. */
function daysWithin(from: string, to: string, start: string): number {
  return Math.max(0, daysBetween(laterDay(from, start), to) + 1);
}

/**
 * The run of days without intake ending with `to`: from the day after the last intake (on or before
 * `to`), or from the campaign start when there was none.
 */
function intakeGap(
  days: readonly ReportDay[],
  to: string,
  startDate: string,
): { days: number; lastDay: string | null } {
  let lastDay: string | null = null;
  for (const d of days)
    if (d.count > 0 && d.day <= to && (lastDay === null || d.day > lastDay)) lastDay = d.day;
  const firstEmpty = lastDay === null ? startDate : laterDay(addDays(lastDay, 1), startDate);
  return { days: Math.max(0, daysBetween(firstEmpty, to) + 1), lastDay };
}

const byIdAscending = (a: ChildLine, b: ChildLine) =>
  a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;

/** A unit's report for a period; see the module comment for the edge cases. */
export function buildReport(input: ReportInput): UnitReport {
  const { campaign, unit, children, period } = input;
  for (const child of children) {
    if (child.parentId !== unit.id) {
      throw new Error(`unit "${child.id}" is not a child of "${unit.id}" (its parent is ${child.parentId})`);
    }
  }
  const calendar = {
    timeZone: campaign.timeZone,
    startDate: campaign.startDate,
    workingHours: campaign.workingHours,
    thresholds: campaign.thresholds,
  };
  const dayBefore = addDays(period.from, -1);
  /** The instant a day ends: local midnight beginning the next. */
  const endOf = (day: string) => startOfLocalDay(addDays(day, 1), calendar.timeZone);
  // Before the campaign start nothing can be known: the start of such a period is the campaign's.
  const startMoment = startOfLocalDay(laterDay(period.from, campaign.startDate), calendar.timeZone);
  const endMoment = endOf(period.to);
  const daysOf = (id: string) => (input.days.get(id) ?? []).filter((d) => d.day <= period.to);

  const riskAt = (target: Unit, days: readonly ReportDay[], through: string, asOf: Date) =>
    evaluateRisk({
      target: target.target,
      deadline: target.deadline,
      total: totalThrough(days, through),
      days: days.filter((d) => d.day <= through),
      calendar,
      asOf,
    });

  const unitDays = daysOf(unit.id);
  const startTotal = totalThrough(unitDays, dayBefore);
  const endTotal = totalThrough(unitDays, period.to);
  const startRisk = riskAt(unit, unitDays, dayBefore, startMoment);
  const endRisk = riskAt(unit, unitDays, period.to, endMoment);
  const received = endTotal - startTotal;
  const periodDays = daysWithin(period.from, period.to, campaign.startDate);

  const subTargets = unit.subTargets.map((sub) => {
    const countedThrough = earlierDay(sub.deadline, period.to);
    let total = 0;
    for (const d of unitDays) if (d.day <= countedThrough) total += countOf(d.byGroup, sub.group);
    const figures = evaluateSubTarget(sub, {
      total,
      days: unitDays.map((d) => ({ day: d.day, totals: { byGroup: d.byGroup } })),
      calendar,
      asOf: endMoment,
    });
    return {
      group: sub.group,
      target: sub.target,
      deadline: sub.deadline,
      total,
      percent: percentOf(total, sub.target),
      level: figures.level,
    };
  });

  const lines: ChildLine[] = [];
  const gaps: { note: ReportNote & { kind: 'no_intake' }; order: number }[] = [];
  children.forEach((child, order) => {
    const days = daysOf(child.id);
    const total = totalThrough(days, period.to);
    lines.push({
      unitId: child.id,
      name: child.name,
      received: total - totalThrough(days, dayBefore),
      total,
      target: child.target,
      percent: percentOf(total, child.target),
      level: riskAt(child, days, period.to, endMoment).level,
    });
    const gap = intakeGap(days, period.to, campaign.startDate);
    if (gap.days >= NO_INTAKE_NOTE_DAYS) {
      gaps.push({ note: { kind: 'no_intake', unitId: child.id, name: child.name, ...gap }, order });
    }
  });

  const best = [...lines]
    .sort((a, b) => b.percent - a.percent || byIdAscending(a, b))
    .slice(0, BEST_WORST_SIZE)
    .map((l) => l.unitId);
  const worst = [...lines]
    .sort((a, b) => a.percent - b.percent || byIdAscending(a, b))
    .slice(0, BEST_WORST_SIZE)
    .map((l) => l.unitId);

  const notes: ReportNote[] = [];
  const childrenSum = children.reduce((sum, c) => sum + c.target, 0);
  if (children.length > 0 && childrenSum > unit.target) {
    notes.push({ kind: 'targets_above_parent', childrenSum, target: unit.target });
  }
  gaps.sort((a, b) => b.note.days - a.note.days || a.order - b.order);
  for (const g of gaps) notes.push(g.note);

  return {
    reportId: `${unit.id}:${period.id}`,
    campaignId: campaign.id,
    campaignName: campaign.name,
    unit: { id: unit.id, name: unit.name, level: unit.level, parentId: unit.parentId },
    period,
    generatedAt: input.generatedAt.toISOString(),
    target: unit.target,
    deadline: unit.deadline,
    atStart: { total: startTotal, percent: percentOf(startTotal, unit.target), level: startRisk.level },
    atEnd: { total: endTotal, percent: percentOf(endTotal, unit.target), level: endRisk.level },
    received,
    dailyAverage: periodDays > 0 ? (roundRate(received / periodDays) ?? 0) : 0,
    requiredDailyRate: roundRate(endRisk.requiredDailyRate),
    levelChanged: startRisk.level !== endRisk.level,
    subTargets,
    children: lines,
    best,
    worst,
    notes,
    corrections: input.corrections ?? { count: 0, net: 0 },
  };
}

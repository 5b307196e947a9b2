/**
 * What the risk job reads and evaluates per unit beside the policy: whether a campaign is active on
 * a day, each unit's figures through that day (one Query of its DAY items), and its group
 * sub-targets' evaluations.
 */
import type { SubTargetEvaluation } from '../domain/alert-policy.js';
import { addDays } from '../domain/calendar.js';
import { percentOf } from '../domain/progress.js';
import { evaluateSubTarget } from '../domain/risk.js';
import type { Campaign } from '../schemas/campaign.js';
import type { StoredUnit } from '../store/campaign-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';

const READ_CONCURRENCY = 16;

export interface UnitCounts {
  /** Received through the evaluation day. */
  readonly total: number;
  readonly days: readonly {
    readonly day: string;
    readonly count: number;
    readonly byGroup: Readonly<Record<string, number>>;
  }[];
  /** By population group, through the evaluation day. */
  readonly byGroup: Readonly<Record<string, number>>;
}

/** A campaign is evaluated from its start until a week after its last deadline (for `missed`). */
export function isActive(campaign: Campaign, units: readonly StoredUnit[], day: string): boolean {
  // YYYY-MM-DD strings sort as the days do.
  const lastDeadline =
    [campaign.startDate, ...units.map((u) => u.deadline)].sort().at(-1) ?? campaign.startDate;
  return day >= campaign.startDate && day <= addDays(lastDeadline, 7);
}

/**
 * Each unit's total through the evaluation day and its daily counts: one Query of the unit's DAY
 * items per unit (READ_CONCURRENCY in flight), the same for a live run and a backfill. Running totals
 * are not stored (shared/store/totals-store.ts), so the total is summed from the same rows as the
 * days pace observes. Bounded by the number of units, whatever the campaign's age: a Query returns up
 * to 1 MB, about 1,000 DAY items, so one request per unit for any campaign under ~3 years; by day 90
 * of the national campaign that is 11,368 Queries per run (bench: risk section).
 */
export async function readFigures(
  totals: TotalsReader,
  campaignId: string,
  unitIds: readonly string[],
  day: string,
): Promise<Map<string, UnitCounts>> {
  const result = new Map<string, UnitCounts>();
  await mapConcurrent(unitIds, READ_CONCURRENCY, async (id) => {
    const days = (await totals.getDays(campaignId, id, undefined, day)).map((d) => ({
      day: d.day,
      count: d.totals.count,
      byGroup: d.totals.byGroup,
    }));
    const byGroup: Record<string, number> = {};
    for (const d of days) for (const [g, n] of Object.entries(d.byGroup)) byGroup[g] = (byGroup[g] ?? 0) + n;
    result.set(id, { total: days.reduce((sum, d) => sum + d.count, 0), days, byGroup });
  });
  return result;
}

/**
 * The sub-targets still worth evaluating on `day` (until a week after their deadline), with the
 * group's intake up to its deadline: the running total while the deadline has not passed, else
 * the running total less the days after the deadline (all inside the 8 days read).
 */
export function subTargetEvaluations(
  unit: StoredUnit,
  counts: UnitCounts,
  campaign: Campaign,
  asOf: Date,
  day: string,
): SubTargetEvaluation[] {
  const result: SubTargetEvaluation[] = [];
  for (const sub of unit.subTargets ?? []) {
    if (day > addDays(sub.deadline, 7) || day < campaign.startDate) continue;
    const after = counts.days
      .filter((d) => d.day > sub.deadline && d.day <= day)
      .reduce((sum, d) => sum + (d.byGroup[sub.group] ?? 0), 0);
    const total = Math.max(0, (counts.byGroup[sub.group] ?? 0) - after);
    const figures = evaluateSubTarget(sub, {
      total,
      days: counts.days.map((d) => ({ day: d.day, totals: { byGroup: d.byGroup } })),
      calendar: campaign,
      asOf,
    });
    result.push({
      group: sub.group,
      deadline: sub.deadline,
      level: figures.level,
      total,
      target: sub.target,
      percent: percentOf(total, sub.target),
      figures,
    });
  }
  return result;
}

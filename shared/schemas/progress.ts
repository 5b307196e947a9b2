/**
 * The read side: progress of a unit, its children worst first, and its daily series.
 * These schemas are the single source of the responses' shape, their TypeScript types and the
 * OpenAPI document; the query schemas validate what a caller sends.
 */
import * as z from 'zod';
import { CampaignId, Code, IsoDate, UnitId } from './campaign.js';
import { lazyObject, lazySchema } from './lazy.js';
import { MAX_AS_OF_AHEAD_MS, QueryAsOf, QueryDate } from './query.js';
import { RECENT_DAYS } from './values.js';

export { MAX_DAILY_RANGE_DAYS, RECENT_DAYS } from './values.js';

/** How far in the future `asOf` may be (a day: the caller's clock or zone may be off). */
export const MAX_AS_OF_SKEW_MS = MAX_AS_OF_AHEAD_MS;

export const Count = lazySchema(() => z.number().int().nonnegative());
/** Counts by kind, channel or group code; codes with no intake are absent. */
const Breakdown = lazySchema(() => z.record(z.string(), Count));
const Breakdowns = lazyObject(() => ({ byKind: Breakdown, byChannel: Breakdown, byGroup: Breakdown }));
/** Percent of the target, rounded to two decimals (1.26 means 1.26 %); may exceed 100. */
export const Percent = lazySchema(() => z.number().nonnegative());

export const DayCount = lazySchema(() => z.object({ day: IsoDate, count: Count }));
export type DayCount = z.infer<typeof DayCount>;

/**
 * A unit as answers name it (children, lists, breadcrumbs): id, name, level and parent. The name is
 * any stored name (the campaign file's `Name` rules apply when it is imported, not in answers).
 */
export const UnitHeading = lazyObject(() => ({
  id: UnitId,
  name: z.string(),
  level: Code,
  parentId: UnitId.nullable(),
}));

export const UnitRef = lazySchema(() => z.object({ ...UnitHeading }));
export type UnitRef = z.infer<typeof UnitRef>;

/** docs/ARCHITECTURE.md §10 levels, in the order of shared/domain/risk.ts RISK_LEVELS. */
export const RiskLevel = lazySchema(() =>
  z.enum(['done', 'on_track', 'at_risk', 'critical', 'missed', 'no_data']),
);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const RiskState = lazySchema(() =>
  z.object({
    /**
     * Evaluated by the request at asOf (or now), as the risk job evaluates it. null only when it cannot
     * be told: a child's sub-target after its deadline (its total needs every DAY item up to it).
     */
    level: RiskLevel.nullable(),
    /**
     * When the unit entered this level (ISO 8601), from the risk job's stored state; null when the job
     * has not stored this level (yet), when it began after asOf, and always for sub-targets.
     */
    since: z.iso.datetime({ offset: true }).nullable(),
  }),
);

/**
 * Pace fields (docs/ARCHITECTURE.md §10), evaluated at asOf (or now) in the campaign time zone. Rates are per day,
 * rounded half up to 2 decimals; paceRatio is rounded down to 2 decimals (so 0.7999 shows as 0.79,
 * beside `critical`); the level is decided on the unrounded figures.
 */
const Pace = lazyObject(() => ({
  /** Days from today through the deadline, inclusive; today counts until working hours end. 0 after the deadline. */
  daysLeft: z.number().int().nonnegative().nullable(),
  /** remaining / daysLeft; null once the deadline has passed. */
  requiredDailyRate: z.number().nonnegative().nullable(),
  /** Mean intake of the (up to) 7 complete days before today, from the campaign start; null on day 1. */
  observedDailyRate: z.number().nonnegative().nullable(),
  /** observedDailyRate / requiredDailyRate; null when either is null or nothing remains. */
  paceRatio: z.number().nonnegative().nullable(),
  /** The day remaining would be reached at the observed rate; null when done or at rate 0. */
  projectedCompletion: IsoDate.nullable(),
  risk: RiskState,
}));

/** A sub-target and where it stands: `total` is the intake of its group on days up to and including its deadline. */
export const SubTargetStanding = lazyObject(() => ({
  group: Code,
  target: Count,
  deadline: IsoDate,
  total: Count,
  percent: Percent,
}));

export const SubTargetProgress = lazySchema(() =>
  z.object({
    ...SubTargetStanding,
    /** The sub-target's own pace: its target and deadline, the group's counts. */
    ...Pace,
  }),
);
export type SubTargetProgress = z.infer<typeof SubTargetProgress>;

/** What every summary holds, whatever the route. */
const SummaryFields = lazyObject(() => ({
  unit: UnitRef,
  target: Count,
  deadline: IsoDate,
  total: Count,
  percent: Percent,
  /** max(0, target − total) */
  remaining: Count,
  ...Breakdowns,
  ...Pace,
}));

/** GET /v1/campaigns/{campaignId}/units/{unitId}/progress */
export const ProgressResponse = lazySchema(() =>
  z.object({
    campaignId: CampaignId,
    ...SummaryFields,
    /** The local day (campaign time zone) of asOf, and its intake. */
    today: DayCount,
    /** The 14 local days ending with today, oldest first, days without intake as 0. */
    last14Days: z.array(DayCount).length(RECENT_DAYS),
    subTargets: z.array(SubTargetProgress),
    /** The moment the figures are for: the request's asOf, or the time of the request. */
    asOf: z.iso.datetime(),
    /** Present while a reorganisation that changes this unit's totals has not converged yet. */
    reorganising: z.literal(true).optional(),
    /** The unit this one was merged into: it takes no more intake; its figures are its past. */
    mergedInto: UnitId.optional(),
  }),
);
export type ProgressResponse = z.infer<typeof ProgressResponse>;

/**
 * A child's summary: the progress fields without last14Days. Each child's figures come from one
 * Query of its DAY items (its running total is their sum), so every figure is known; `today.count`
 * and a sub-target's `total` and `percent` stay nullable for summaries built without the days
 * (shared/domain/progress.ts).
 */
export const ChildSummary = lazySchema(() =>
  z.object({
    ...SummaryFields,
    today: z.object({ day: IsoDate, count: Count.nullable() }),
    /** The 14 local days ending with today, oldest first (the dashboard's sparklines). */
    last14Days: z.array(DayCount).length(RECENT_DAYS).optional(),
    subTargets: z.array(
      SubTargetProgress.extend({
        total: Count.nullable(),
        percent: Percent.nullable(),
      }),
    ),
  }),
);
export type ChildSummary = z.infer<typeof ChildSummary>;

/** GET /v1/campaigns/{campaignId}/units/{unitId}/children */
export const ChildrenResponse = lazySchema(() =>
  z.object({
    campaignId: CampaignId,
    unitId: UnitId,
    asOf: z.iso.datetime(),
    /** Worst first: lowest percent first, ties by unit id. */
    children: z.array(ChildSummary),
  }),
);
export type ChildrenResponse = z.infer<typeof ChildrenResponse>;

export const DailyTotals = lazySchema(() =>
  z.object({
    day: IsoDate,
    count: Count,
    ...Breakdowns,
  }),
);
export type DailyTotals = z.infer<typeof DailyTotals>;

/** What an answer about a unit over local days holds first: the unit, and the days from `from` through `to`. */
export const UnitDays = lazyObject(() => ({
  campaignId: CampaignId,
  unitId: UnitId,
  from: IsoDate,
  to: IsoDate,
}));

/** GET /v1/campaigns/{campaignId}/units/{unitId}/daily */
export const DailyResponse = lazySchema(() =>
  z.object({
    ...UnitDays,
    asOf: z.iso.datetime(),
    /** Every day from `from` through `to`, oldest first; days without intake (or after asOf's day) as 0. */
    days: z.array(DailyTotals),
  }),
);
export type DailyResponse = z.infer<typeof DailyResponse>;

/** `asOf`: an ISO 8601 date-time with an offset (bounded; see shared/schemas/query.ts). */
export const AsOf = QueryAsOf;

/** Query of `progress` and `children`. Strict: a misspelt `asof` is an error, not silently "now". */
export const ProgressQuery = lazySchema(() => z.strictObject({ asOf: AsOf.optional() }));
export type ProgressQuery = z.infer<typeof ProgressQuery>;

/** Query of `daily`. */
export const DailyQuery = lazySchema(() =>
  z.strictObject({
    from: QueryDate.optional(),
    to: QueryDate.optional(),
    asOf: AsOf.optional(),
  }),
);
export type DailyQuery = z.infer<typeof DailyQuery>;

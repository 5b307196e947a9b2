/**
 * Weekly and final reports over HTTP: the stored report (the contract type
 * `UnitReport` of shared/domain/report.ts, as a zod schema so that the OpenAPI document describes it),
 * the list's summaries, and the query strings. test/unit/shared/schemas/reports.test.ts checks at the type
 * level that `UnitReport` here and in the domain stay the same type.
 */
import * as z from 'zod';
import { CampaignId, IsoDate, UnitId } from './campaign.js';
import { registerIdSchema } from './ids.js';
import { lazySchema } from './lazy.js';
import { Count, Percent, RiskLevel, SubTargetStanding } from './progress.js';
import { Lang } from './recipients.js';

export { MAX_LISTED_REPORTS, reportIdOf } from './values.js';

/** Whether ISO year `year` has a week 53: it starts on a Thursday, or is a leap year starting on a Wednesday. */
function hasWeek53(year: number): boolean {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3);
}

/** An ISO week, `YYYY-Www` (`2021-W14`); week 53 only in the years that have one. */
export const WeekId = lazySchema(() =>
  z
    .string()
    .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, {
      error: (issue) =>
        `must be an ISO week written YYYY-Www, e.g. 2021-W14 (got ${JSON.stringify(issue.input)})`,
      abort: true,
    })
    .refine((s) => !s.endsWith('-W53') || hasWeek53(Number(s.slice(0, 4))), {
      error: (issue) => `${String(issue.input)}: that year has only 52 ISO weeks`,
    }),
);

/** A report period's id: an ISO week, or `final` (the whole campaign). */
export const PeriodId = lazySchema(() =>
  z.union([WeekId, z.literal('final')], {
    error: (issue) =>
      `must be an ISO week written YYYY-Www (e.g. 2021-W14) or "final" (got ${JSON.stringify(issue.input)})`,
  }),
);

/** `<unitId>:<periodId>` (`33:2021-W14`, `33:final`); unit ids never contain ':'. */
export const ReportId = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:(\d{4}-W\d{2}|final)$/,
      'must be a report id <unitId>:<period>, e.g. 33:2021-W14 or 33:final',
    )
    .refine(
      (s) => PeriodId.safeParse(s.slice(s.indexOf(':') + 1)).success,
      'names a week that does not exist',
    ),
);

/** The unit and period a report id names, or null when it is not a report id. */
export function parseReportId(reportId: string): { unitId: string; periodId: string } | null {
  if (!ReportId.safeParse(reportId).success) return null;
  const at = reportId.indexOf(':');
  return { unitId: reportId.slice(0, at), periodId: reportId.slice(at + 1) };
}

export const ReportPeriod = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('week'), id: WeekId, from: IsoDate, to: IsoDate }),
    z.object({ kind: z.literal('final'), id: z.literal('final'), from: IsoDate, to: IsoDate }),
  ]),
);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

const Standing = lazySchema(() => z.object({ total: Count, percent: Percent, level: RiskLevel }));

export const ChildLine = lazySchema(() =>
  z.object({
    unitId: UnitId,
    name: z.string(),
    /** Intake during the period. */
    received: Count,
    total: Count,
    target: Count,
    percent: Percent,
    level: RiskLevel,
  }),
);

export const ReportNote = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('no_intake'),
      unitId: UnitId,
      name: z.string(),
      days: Count,
      lastDay: IsoDate.nullable(),
    }),
    z.object({ kind: z.literal('targets_above_parent'), childrenSum: Count, target: Count }),
  ]),
);

/** GET /v1/campaigns/{campaignId}/reports/{reportId} (JSON): a unit's report for one period. */
export const UnitReport = lazySchema(() =>
  z.object({
    reportId: ReportId,
    campaignId: CampaignId,
    campaignName: z.string(),
    unit: z.object({ id: UnitId, name: z.string(), level: z.string(), parentId: UnitId.nullable() }),
    period: ReportPeriod,
    generatedAt: z.iso.datetime({ offset: true }),
    target: Count,
    deadline: IsoDate,
    /** Through the day before the period. */
    atStart: Standing,
    /** Through the period's last day. */
    atEnd: Standing,
    /** Intake during the period. */
    received: Count,
    /** received / the period's days that lie inside the campaign. */
    dailyAverage: z.number().nonnegative(),
    /** At the end of the period; null once the deadline has passed. */
    requiredDailyRate: z.number().nonnegative().nullable(),
    levelChanged: z.boolean(),
    subTargets: z.array(z.object({ ...SubTargetStanding, level: RiskLevel })),
    /** Every child, in unit order. */
    children: z.array(ChildLine),
    /** Up to five each, by percent at the end of the period (best: highest first; worst: lowest first). */
    best: z.array(z.string()),
    worst: z.array(z.string()),
    notes: z.array(ReportNote),
    /** Corrections received in the period for the unit or below, and their net effect on the totals. */
    corrections: z.object({ count: Count, net: z.number().int() }).optional(),
  }),
);
/** The same type as shared/domain/report.ts's UnitReport, without its readonly modifiers. */
export type UnitReport = z.infer<typeof UnitReport>;

/** One line of the list: which report, and where the unit stood at the end of the period. */
export const ReportSummary = lazySchema(() =>
  z.object({
    reportId: ReportId,
    unitId: UnitId,
    unitName: z.string(),
    period: ReportPeriod,
    generatedAt: z.iso.datetime({ offset: true }),
    atEnd: Standing,
  }),
);
export type ReportSummary = z.infer<typeof ReportSummary>;

/**
 * The fields of a report its summary copies; shared/domain/report.ts's UnitReport (readonly) fits it,
 * and so does this module's, without this layer importing the domain.
 */
export interface SummarySource {
  readonly reportId: string;
  readonly unit: { readonly id: string; readonly name: string };
  readonly period: Readonly<ReportSummary['period']>;
  readonly generatedAt: string;
  readonly atEnd: Readonly<ReportSummary['atEnd']>;
}

export function summaryOf<R extends SummarySource>(report: R): ReportSummary {
  return {
    reportId: report.reportId,
    unitId: report.unit.id,
    unitName: report.unit.name,
    period: { ...report.period },
    generatedAt: report.generatedAt,
    atEnd: { ...report.atEnd },
  };
}

/**
 * Most summaries one list answers (about 250 bytes each: 2.5 MB, under Lambda's 6 MB response limit).
 * More is refused with advice to narrow the list by unit or period.
 */

/** GET /v1/campaigns/{campaignId}/reports */
export const ReportList = lazySchema(() =>
  z.object({
    campaignId: CampaignId,
    /** Units in tree order (parents first), then periods in order (weeks, then `final`). */
    reports: z.array(ReportSummary),
  }),
);
export type ReportList = z.infer<typeof ReportList>;

/** Query of the list. Strict: a misspelt `perod` is an error, not silently every period. */
export const ReportListQuery = lazySchema(() =>
  z.strictObject({ unitId: UnitId.optional(), period: PeriodId.optional() }),
);

/** Query of one report: the CSV's language (headers, level names, file name); JSON ignores it. */
export const ReportQuery = lazySchema(() => z.strictObject({ lang: Lang.default('vi') }));

registerIdSchema('reportId', ReportId);

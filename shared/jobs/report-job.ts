/**
 * The report job: weekly (Monday 07:00 local, for the week that just ended), the final report the
 * day after the campaign's last deadline, and on demand. For every unit that has leaders (or the one
 * asked for) it builds the report from the daily totals, stores it (a re-run replaces it, never
 * duplicates) and sends its leaders a short e-mail summary through the alerts topic (kind `report`)
 * — once: the summary goes through the outbox under a key made of the report id and language.
 */
import type { AlertPublisher, Language } from '../alerts/publisher.js';
import { addDays, localDate, startOfLocalDay } from '../domain/calendar.js';
import { buildHierarchy } from '../domain/hierarchy.js';
import {
  buildReport,
  finalPeriod,
  previousWeek,
  type ReportPeriod,
  type UnitReport,
  weekPeriod,
} from '../domain/report.js';
import { renderReportEmail } from '../domain/report-render.js';
import type { Campaign } from '../schemas/campaign.js';
import type { CampaignStore } from '../store/campaign-store.js';
import type { Outbox } from '../store/outbox-store.js';
import type { ReportStore } from '../store/report-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';
import { alertMessage } from '../vocabulary/alerts.js';
import { campaignsToRun } from './campaigns-to-run.js';
import { deliverDue } from './risk-job.js';

export interface ReportJobPorts {
  readonly campaigns: Pick<CampaignStore, 'getCampaign' | 'listCampaigns' | 'listUnits'>;
  readonly totals: TotalsReader;
  readonly reports: Pick<ReportStore, 'put'>;
  /** Units that have leaders, with the languages of those who read e-mail. */
  readonly readers: { list(campaignId: string): Promise<{ unitId: string; lang: Language }[]> };
  readonly outbox: Outbox;
  readonly publisher: AlertPublisher;
  readonly clock: () => Date;
  /**
   * Corrections received from `fromInstant` through `toInstant` for a unit or below it: how many,
   * and their net effect. Absent: reports say none.
   */
  readonly corrections?: {
    summarize(
      campaignId: string,
      unitId: string,
      range: { fromInstant: string; toInstant: string },
    ): Promise<{ count: number; net: number }>;
  };
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface ReportJobRequest {
  readonly campaignId?: string;
  readonly unitId?: string;
  /** `YYYY-Www`: that week. */
  readonly week?: string;
  /** The whole campaign. */
  readonly final?: boolean;
}

export interface ReportRun {
  readonly campaignId: string;
  readonly period: string;
  readonly reports: { readonly reportId: string; readonly stored: 'created' | 'replaced' | 'unchanged' }[];
  readonly summariesSent: number;
}

const READ_CONCURRENCY = 16;

const lastDeadlineOf = (deadlines: readonly string[]) => [...deadlines].sort().at(-1) ?? '';

/** Which periods a run reports: the one asked for, or (scheduled) last week on Mondays and the final report the day after the deadline. */
function periodsFor(
  request: ReportJobRequest,
  campaign: Campaign,
  lastDeadline: string,
  today: string,
): ReportPeriod[] {
  if (request.final) return [finalPeriod(campaign.startDate, lastDeadline)];
  if (request.week) return [weekPeriod(request.week)];
  const periods: ReportPeriod[] = [];
  const lastWeek = previousWeek(today);
  const isMonday = new Date(`${today}T00:00:00Z`).getUTCDay() === 1;
  if (request.unitId !== undefined || isMonday) {
    if (lastWeek.to >= campaign.startDate && lastWeek.from <= addDays(lastDeadline, 7))
      periods.push(lastWeek);
  }
  if (request.unitId === undefined && today === addDays(lastDeadline, 1))
    periods.push(finalPeriod(campaign.startDate, lastDeadline));
  return periods;
}

async function reportCampaign(
  ports: ReportJobPorts,
  campaign: Campaign,
  request: ReportJobRequest,
): Promise<ReportRun[]> {
  const units = await ports.campaigns.listUnits(campaign.id);
  if (units.length === 0) return [];
  const hierarchy = buildHierarchy(units);
  const now = ports.clock();
  const today = localDate(now, campaign.timeZone);
  const lastDeadline = lastDeadlineOf(units.map((u) => u.deadline));
  const readers = await ports.readers.list(campaign.id);
  const languagesOf = new Map<string, Set<Language>>();
  for (const r of readers) languagesOf.set(r.unitId, (languagesOf.get(r.unitId) ?? new Set()).add(r.lang));
  if (request.unitId !== undefined && !hierarchy.has(request.unitId)) {
    throw new Error(`Unknown unit "${request.unitId}" in campaign "${campaign.id}"`);
  }
  const reportUnits =
    request.unitId !== undefined
      ? [request.unitId]
      : [...languagesOf.keys()].filter((id) => hierarchy.has(id));

  const runs: ReportRun[] = [];
  for (const period of periodsFor(request, campaign, lastDeadline, today)) {
    // The unit and its children's daily totals through the period's end: one Query each.
    const needed = [
      ...new Set(reportUnits.flatMap((id) => [id, ...hierarchy.childrenOf(id).map((c) => c.id)])),
    ];
    const days = new Map<string, { day: string; count: number; byGroup: Record<string, number> }[]>();
    await mapConcurrent(needed, READ_CONCURRENCY, async (id) => {
      const rows = await ports.totals.getDays(campaign.id, id, undefined, period.to);
      days.set(
        id,
        rows.map((r) => ({ day: r.day, count: r.totals.count, byGroup: { ...r.totals.byGroup } })),
      );
    });
    const reports: ReportRun['reports'][number][] = [];
    let summariesSent = 0;
    for (const unitId of reportUnits) {
      const unit = hierarchy.get(unitId);
      if (!unit) continue;
      const corrections = await ports.corrections?.summarize(campaign.id, unitId, {
        fromInstant: startOfLocalDay(period.from, campaign.timeZone).toISOString(),
        toInstant: new Date(
          startOfLocalDay(addDays(period.to, 1), campaign.timeZone).getTime() - 1,
        ).toISOString(),
      });
      const report: UnitReport = buildReport({
        campaign,
        unit,
        children: hierarchy.childrenOf(unitId),
        days,
        period,
        generatedAt: now,
        ...(corrections !== undefined && { corrections }),
      });
      const stored = await ports.reports.put(report);
      reports.push({ reportId: report.reportId, stored });
      for (const lang of languagesOf.get(unitId) ?? []) {
        const text = renderReportEmail(report, lang);
        const enqueued = await ports.outbox.enqueue({
          key: `report#${report.reportId}#${lang}#email`,
          campaignId: campaign.id,
          releaseAt: now.toISOString(),
          message: alertMessage(text, {
            campaignId: campaign.id,
            scope: unitId,
            severity: 'info',
            kind: 'report',
            lang,
            channel: 'email',
          }),
        });
        if (enqueued === 'enqueued') summariesSent++;
      }
    }
    runs.push({ campaignId: campaign.id, period: period.id, reports, summariesSent });
  }
  await deliverDue(ports, campaign.id, now);
  return runs;
}

export async function runReportJob(
  ports: ReportJobPorts,
  request: ReportJobRequest = {},
): Promise<ReportRun[]> {
  if (request.week !== undefined && request.final)
    throw new Error('Ask for a week or for the final report, not both');
  if (request.week !== undefined) weekPeriod(request.week); // a bad week is refused before any work
  const campaigns = await campaignsToRun(ports.campaigns, request.campaignId);
  const runs: ReportRun[] = [];
  for (const campaign of campaigns) {
    for (const run of await reportCampaign(ports, campaign, request)) {
      runs.push(run);
      ports.log?.('reports built', {
        campaignId: run.campaignId,
        period: run.period,
        reports: run.reports.length,
      });
    }
  }
  return runs;
}

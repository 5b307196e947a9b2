/** The reports API of functions/reports.ts as its tests call it: reports of the test campaign, an in-memory report store, requests and tokens. */
import { beforeEach } from 'vitest';
import { makeHandler } from '../../functions/reports.js';
import type { UnitReport as DomainUnitReport } from '../../shared/domain/report.js';
import { reportToCsv } from '../../shared/domain/report-render.js';
import { type ReportPeriod, type ReportSummary, summaryOf } from '../../shared/schemas/reports.js';
import type { ReportFilter, ReportReader, ReportStore } from '../../shared/store/report-store.js';
import { aReport } from './builders.js';
import { aCatalogView, fixedCatalog } from './catalog.js';

export const CAMPAIGN = 'cccd-2021-test';
export const COMMUNE_12001 = { sub: 'xa-12001', scope: 'progress:read', units: ['12001'] };
export const COMMUNE_12002 = { sub: 'xa-12002', scope: 'progress:read', units: ['12002'] };
export const DISTRICT_323 = { sub: 'huyen-323', scope: 'progress:read', units: ['323'] };
export const PROVINCE_33 = { sub: 'tinh-33', scope: 'progress:read', units: ['33'] };
export const NATIONAL = { sub: 'bo-cong-an', scope: 'progress:read', units: ['*'] };

export const view = aCatalogView();

export const PERIODS: Record<string, ReportPeriod> = {
  '2021-W13': { kind: 'week', id: '2021-W13', from: '2021-03-29', to: '2021-04-04' },
  '2021-W14': { kind: 'week', id: '2021-W14', from: '2021-04-05', to: '2021-04-11' },
  final: { kind: 'final', id: 'final', from: '2021-03-01', to: '2021-06-18' },
};

/** A report of a unit of the test campaign (33 → 323, 324 → communes), its children with figures; the rest as aReport(). */
export function aUnitReport(
  unitId: string,
  periodId: string,
  overrides: Partial<DomainUnitReport> = {},
): DomainUnitReport {
  const unit = view.hierarchy.get(unitId);
  const period = PERIODS[periodId];
  if (!period) throw new Error(`no test period ${periodId}`);
  const children = unit ? view.hierarchy.childrenOf(unitId) : [];
  return aReport({
    reportId: `${unitId}:${periodId}`,
    campaignId: CAMPAIGN,
    campaignName: view.campaign.name,
    unit: {
      id: unitId,
      name: unit?.name ?? `Đơn vị ${unitId}`,
      level: unit?.level ?? 'commune',
      parentId: unit?.parentId ?? null,
    },
    period,
    target: unit?.target ?? 100,
    atStart: { total: 10, percent: 1, level: 'critical' },
    atEnd: { total: 40, percent: 4, level: 'at_risk' },
    received: 30,
    dailyAverage: 4.29,
    requiredDailyRate: 12.5,
    children: children.map((c, i) => ({
      unitId: c.id,
      name: c.name,
      received: 10 + i,
      total: 20 + i,
      target: c.target,
      percent: Number((((20 + i) / c.target) * 100).toFixed(2)),
      level: 'at_risk',
    })),
    best: children.map((c) => c.id),
    worst: children.map((c) => c.id).reverse(),
    notes: [],
    ...overrides,
  });
}

/** An in-memory ReportStore and ReportReader that records what it is asked to read. */
export class MemoryReportStore implements ReportStore, ReportReader {
  readonly reports = new Map<string, DomainUnitReport>();
  readonly reads: { method: 'get' | 'list' | 'listForUnits'; args: unknown[] }[] = [];

  constructor(...reports: DomainUnitReport[]) {
    for (const r of reports) this.reports.set(`${r.campaignId}|${r.reportId}`, r);
  }

  async put(report: DomainUnitReport) {
    const key = `${report.campaignId}|${report.reportId}`;
    const before = this.reports.get(key);
    this.reports.set(key, report);
    return before ? 'replaced' : 'created';
  }
  async get(campaignId: string, reportId: string) {
    this.reads.push({ method: 'get', args: [campaignId, reportId] });
    return this.reports.get(`${campaignId}|${reportId}`) ?? null;
  }
  async list(campaignId: string, filter: ReportFilter = {}) {
    this.reads.push({ method: 'list', args: [campaignId, filter] });
    return this.matching(
      campaignId,
      (r) =>
        [filter.unitId ?? r.unit.id, filter.period ?? r.period.id].join() === [r.unit.id, r.period.id].join(),
    );
  }
  async listForUnits(campaignId: string, unitIds: readonly string[], filter: { period?: string } = {}) {
    this.reads.push({ method: 'listForUnits', args: [campaignId, [...unitIds], filter] });
    return this.matching(
      campaignId,
      (r) => unitIds.includes(r.unit.id) && (filter.period ?? r.period.id) === r.period.id,
    );
  }
  private matching(campaignId: string, keep: (r: DomainUnitReport) => boolean): ReportSummary[] {
    return [...this.reports.values()].filter((r) => r.campaignId === campaignId && keep(r)).map(summaryOf);
  }
}

export const json = (body: string | undefined): unknown => JSON.parse(body ?? 'null');
export const problemOf = (body: string | undefined) =>
  json(body) as {
    type: string;
    status: number;
    detail?: string;
    errors?: { path: string; message: string }[];
  };

/** Every test report: the units' weekly reports of W13 and W14, the province's final one. */
export function everyReport() {
  const units = ['33', '323', '324', '12001', '12002', '12101'];
  return [
    ...units.flatMap((id) => [aUnitReport(id, '2021-W14'), aUnitReport(id, '2021-W13')]),
    aUnitReport('33', 'final'),
    // A unit removed from the catalogue since its report was made.
    aUnitReport('12999', '2021-W13'),
  ];
}

export type ReportsHandler = ReturnType<typeof makeHandler>;

type ReportsDependencies = Parameters<typeof makeHandler>[0];

/** The reports function over the test campaign and `reports`, rendering CSV as the Reports function does unless told. */
export function aReportsHandler(
  reports: ReportsDependencies['reports'],
  options: { renderCsv?: ReportsDependencies['renderCsv'] } = {},
): ReportsHandler {
  return makeHandler({ catalog: fixedCatalog(view), reports, renderCsv: options.renderCsv ?? reportToCsv });
}

/** Before each test of the calling describe block: a store holding every test report and a handler over it. */
export function reportsApi(): { store: MemoryReportStore; handler: ReportsHandler } {
  const api = {} as { store: MemoryReportStore; handler: ReportsHandler };
  beforeEach(() => {
    api.store = new MemoryReportStore(...everyReport());
    api.handler = aReportsHandler(api.store);
  });
  return api;
}

/**
 * Reports access (docs/ARCHITECTURE.md): which reports a holder of some grants may read, and reading
 * them without touching other subtrees. The HTTP handler (functions/reports.ts) parses, refuses
 * (403, 404, 406) and shapes JSON or CSV around it.
 *
 * Reads: the catalogue from memory (CatalogCache) for scope checks, then
 * - one report: one GetItem;
 * - a list with unitId: one Query (one GetItem with a period too);
 * - a list without unitId, for a holder of the root (or `*`): one Query of the campaign's reports
 *   (of the period's, on the byCollection index); for any other holder only the subtree's units are
 *   read, one Query per unit (16 in flight), or with a period BatchGetItem rounds of 100 keys, so a
 *   commune's leader never reads a whole national campaign.
 * A list given a `limit` reads at most that many summaries of the campaign's (or the period's) Query,
 * so a holder of the root or `*` never has a whole reports partition read (docs/ARCHITECTURE.md §5:
 * requests are bounded); the answer then says whether it is complete.
 */
import { type Grant, grantsCoverUnit, unitsGrantedIn } from '../domain/grants.js';
import type { CatalogView } from '../domain/intake.js';
import type { UnitReport } from '../domain/report.js';
import type { ReportSummary } from '../schemas/reports.js';
import type { ReportReader } from '../store/report-store.js';
import { type CampaignCatalog, requireCampaign } from './campaign-view.js';

export interface ReportAccessDeps {
  readonly catalog: CampaignCatalog;
  readonly reports: ReportReader;
}

/** Whether grants let their holder read reports of the unit; a removed unit's stay readable by a grant naming it. */
export function canReadReports(view: CatalogView, unitId: string, grants: readonly Grant[]): boolean {
  const campaignId = view.campaign.id;
  if (grantsCoverUnit(grants, campaignId, unitId, view.hierarchy)) return true;
  const granted = unitsGrantedIn(grants, campaignId);
  return !view.hierarchy.has(unitId) && granted !== 'all' && granted.has(unitId);
}

/** Units in tree order (parents first; units the catalogue no longer has last, by id), then periods in order. */
function treeOrder(view: CatalogView) {
  const position = new Map(view.hierarchy.units.map((u, i) => [u.id, i]));
  const unknown = view.hierarchy.size;
  return (a: ReportSummary, b: ReportSummary) =>
    (position.get(a.unitId) ?? unknown) - (position.get(b.unitId) ?? unknown) ||
    (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0) ||
    // Week ids sort by time as text, and `final` (a letter) after them.
    (a.period.id < b.period.id ? -1 : a.period.id > b.period.id ? 1 : 0);
}

/** A list's summaries, and whether they are all that match (false: the read stopped at its limit). */
export interface ListedReports {
  readonly reports: ReportSummary[];
  readonly complete: boolean;
}

export class ReportAccess {
  constructor(private readonly deps: ReportAccessDeps) {}

  /** The campaign's catalogue; RegistryError not_found when there is no such campaign. */
  view(campaignId: string): Promise<CatalogView> {
    return requireCampaign(this.deps.catalog, campaignId);
  }

  /**
   * The summaries the grants let their holder read, in tree order: one unit's own (`unitId`, which
   * the caller has checked is readable), or every readable unit's, optionally of one period. With
   * `limit`, at most that many are read from a campaign-wide Query; `complete` is false when the read
   * reached it (so more may match: a caller sets it one past the most it answers).
   */
  async list(
    view: CatalogView,
    grants: readonly Grant[],
    filter: { readonly unitId?: string | undefined; readonly period?: string | undefined },
    limit?: number,
  ): Promise<ListedReports> {
    const { unitId, period } = filter;
    const bounded = limit === undefined ? {} : { limit };
    const found =
      unitId !== undefined
        ? await this.deps.reports.list(view.campaign.id, {
            unitId,
            ...(period !== undefined && { period }),
            ...bounded,
          })
        : await this.readable(view, grants, period, bounded);
    // The store answers by key; the scope is checked again here, on what is answered.
    const reports = found.filter((r) => canReadReports(view, r.unitId, grants)).sort(treeOrder(view));
    return { reports, complete: limit === undefined || found.length < limit };
  }

  /** One report (its unit's readability checked by the caller before, so a sibling's is not even read). */
  get(campaignId: string, reportId: string): Promise<UnitReport | null> {
    return this.deps.reports.get(campaignId, reportId);
  }

  /** The summaries of every unit the grants cover, without reading other subtrees' reports. */
  private async readable(
    view: CatalogView,
    grants: readonly Grant[],
    period: string | undefined,
    bounded: { readonly limit?: number },
  ): Promise<ReportSummary[]> {
    const campaignId = view.campaign.id;
    const { hierarchy } = view;
    const filter = period === undefined ? {} : { period };
    const granted = unitsGrantedIn(grants, campaignId);
    // A campaign-wide Query: read at most `limit` (the only list whose size the catalogue does not bound).
    if (granted === 'all') return this.deps.reports.list(campaignId, { ...filter, ...bounded });
    if (granted.has(hierarchy.root.id)) {
      // The whole tree; reports of units the catalogue no longer has are for `*` only. They count
      // towards the limit too (they are read), so `complete` is judged on what was read, not kept.
      const read = await this.deps.reports.list(campaignId, { ...filter, ...bounded });
      if (bounded.limit !== undefined && read.length >= bounded.limit) return read;
      return read.filter((r) => hierarchy.has(r.unitId));
    }
    const unitIds = [
      ...hierarchy.units.filter((u) => grantsCoverUnit(grants, campaignId, u.id, hierarchy)).map((u) => u.id),
      // A granted id the catalogue does not know (a removed unit) still names its own reports.
      ...[...granted].filter((id) => !hierarchy.has(id)),
    ];
    if (unitIds.length === 0) return [];
    return this.deps.reports.listForUnits(campaignId, unitIds, filter);
  }
}

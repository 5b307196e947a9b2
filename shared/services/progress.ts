/**
 * The progress read plan (docs/ARCHITECTURE.md): what GET progress, children and daily read, and
 * how. The catalogue from memory (CatalogCache), then one Query of DAY items per unit shown (the
 * unit, or each child, concurrently): a unit's running total is not stored but summed from its DAY
 * items (shared/store/totals-store.ts), so the total, today, the last 14 days, the 7 days pace
 * observes and the sub-targets all come from that one read, and a total never includes a batch its
 * daily series lacks. About 100 DAY items of under 1 KB by the end of a campaign: one 1 MB page,
 * about 12 read units (eventually consistent).
 * - progress: the unit's Query; children: one Query per child (16 in flight), which also gives each
 *   child's last 14 days for the dashboard's sparklines; daily: one Query of the range.
 * With an `asOf` the figures are those through asOf's local day: the same Queries, bounded there.
 *
 * Pace and risk (shared/domain/risk.ts) are evaluated by the request itself, at asOf or now; only
 * `risk.since` comes from the risk job's stored state (`riskStates`, one batch for all units read),
 * and is null without it. Authorisation is the caller's (functions/progress.ts): `unit()` asks it
 * once the campaign is read, before telling whether the unit exists.
 */
import { addDays, localDate } from '../domain/calendar.js';
import type { CatalogView } from '../domain/intake.js';
import {
  childSummaryOf,
  dailySeries,
  type Evaluation,
  progressOf,
  sumDays,
  type UnitFigures,
  worstFirst,
} from '../domain/progress.js';
import type { RiskStateSnapshot } from '../domain/risk.js';
import type { Unit } from '../schemas/campaign.js';
import type { ChildrenResponse, DailyResponse, DayCount } from '../schemas/progress.js';
import { RECENT_DAYS } from '../schemas/values.js';
import type { MigrationState } from '../store/migration-store.js';
import { RegistryError } from '../store/recipient-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';
import type { CampaignCatalog } from './campaign-view.js';

/** Queries in flight for children: a province's ~10 districts in one round. */
const DAYS_CONCURRENCY = 16;

/**
 * The risk job's stored level per unit and since when it holds (its RISK items). Only `risk.since`
 * needs it: the level itself is evaluated by the request.
 */
export interface RiskStateSource {
  get(campaignId: string, unitIds: readonly string[]): Promise<Map<string, RiskStateSnapshot>>;
}

export interface ProgressReadsDeps {
  readonly catalog: CampaignCatalog;
  readonly totals: TotalsReader;
  /** Absent: every `risk.since` is null. */
  readonly riskStates?: RiskStateSource;
  /** Units whose totals a reorganisation still changes (`reorganisingUnits`); absent: none. */
  readonly reorganising?: (campaignId: string) => Promise<ReadonlySet<string>>;
}

/**
 * The units of a reorganisation that has not converged (shared/store/migration-store.ts), asked at
 * most every 2 s per campaign: a page shows `reorganising` while its totals may still move.
 */
export function reorganisingUnits(
  migrations: { get(campaignId: string): Promise<Pick<MigrationState, 'status' | 'affected'> | null> },
  now: () => number = Date.now,
): (campaignId: string) => Promise<ReadonlySet<string>> {
  const cache = new Map<string, { at: number; units: Promise<ReadonlySet<string>> }>();
  return (campaignId) => {
    const hit = cache.get(campaignId);
    if (hit && now() - hit.at < 2_000) return hit.units;
    const units = migrations
      .get(campaignId)
      .then((s): ReadonlySet<string> => (s && s.status !== 'converged' ? new Set(s.affected) : new Set()));
    cache.set(campaignId, { at: now(), units });
    units.catch(() => cache.delete(campaignId));
    return units;
  };
}

/** A request's unit, checked: the campaign and unit exist, and the caller may read it. */
export interface UnitRequest {
  readonly view: CatalogView;
  readonly unit: Unit;
  readonly at: Evaluation;
  /** Whether asOf was given: totals then come from DAY items through its local day. */
  readonly historical: boolean;
}

/** The days a daily request covers (shared/http/params.ts `dateRange`). */
export interface DayRange {
  readonly from: string;
  readonly to: string;
  readonly readThrough: string | null;
}

export class ProgressReads {
  constructor(private readonly deps: ProgressReadsDeps) {}

  /**
   * The unit asked for, at `asOf` (`historical` when the request named it). `authorize` runs once
   * the campaign is read and before the unit's existence is told (it throws to refuse). RegistryError
   * not_found for an unknown campaign or unit.
   */
  async unit(
    campaignId: string,
    unitId: string,
    asOf: { readonly instant: Date; readonly historical: boolean },
    authorize: (view: CatalogView) => void,
  ): Promise<UnitRequest> {
    const view = await this.deps.catalog.get(campaignId);
    if (!view) throw new RegistryError('not_found', `No campaign "${campaignId}"`);
    authorize(view);
    const unit = view.hierarchy.get(unitId);
    if (!unit) throw new RegistryError('not_found', `Campaign "${campaignId}" has no unit "${unitId}"`);
    return {
      view,
      unit,
      historical: asOf.historical,
      at: {
        campaignId,
        today: localDate(asOf.instant, view.campaign.timeZone),
        asOf: asOf.instant.toISOString(),
        calendar: view.campaign,
      },
    };
  }

  /**
   * The unit's progress, pace and risk; `reorganising` while a reorganisation still moves its totals,
   * `mergedInto` on a merged unit (its figures are then its past).
   */
  async progress(request: UnitRequest) {
    const campaignId = request.at.campaignId;
    const [figures, stored, moving] = await Promise.all([
      this.figuresOf(campaignId, request.unit.id, this.through(request)),
      this.storedRisk(campaignId, [request.unit.id]),
      this.deps.reorganising ? this.deps.reorganising(campaignId) : new Set<string>(),
    ]);
    return {
      ...progressOf(request.unit, figures, request.at, stored.get(request.unit.id)),
      ...(moving.has(request.unit.id) && { reorganising: true as const }),
      ...(request.unit.mergedInto !== undefined && { mergedInto: request.unit.mergedInto }),
    };
  }

  /** The unit's children, worst first, each with its last 14 days. */
  async children(request: UnitRequest): Promise<ChildrenResponse> {
    const { campaignId, today, asOf } = request.at;
    const units = request.view.hierarchy.childrenOf(request.unit.id);
    // A leaf reads nothing.
    if (units.length === 0) return { campaignId, unitId: request.unit.id, asOf, children: [] };
    const reading: Promise<{ unit: Unit; figures: UnitFigures }[]> = mapConcurrent(
      units,
      DAYS_CONCURRENCY,
      async (unit) => ({ unit, figures: await this.figuresOf(campaignId, unit.id, this.through(request)) }),
    );
    const [read, stored] = await Promise.all([
      reading,
      this.storedRisk(
        campaignId,
        units.map((u) => u.id),
      ),
    ]);
    const summaries = read.map(({ unit, figures }) => ({
      ...childSummaryOf(unit, figures, request.at, stored.get(unit.id)),
      last14Days: childRecentDays(figures, today),
    }));
    return { campaignId, unitId: request.unit.id, asOf, children: worstFirst(summaries) };
  }

  /** The unit's daily series over `range`. */
  async daily(request: UnitRequest, range: DayRange): Promise<DailyResponse> {
    const { campaignId, asOf } = request.at;
    const days =
      range.readThrough === null
        ? []
        : await this.deps.totals.getDays(campaignId, request.unit.id, range.from, range.readThrough);
    return {
      campaignId,
      unitId: request.unit.id,
      from: range.from,
      to: range.to,
      asOf,
      days: dailySeries(range.from, range.to, days),
    };
  }

  /** Through asOf's local day when asOf was given; everything otherwise. */
  private through(request: UnitRequest): string | undefined {
    return request.historical ? request.at.today : undefined;
  }

  /** A unit's DAY items and their sum: one Query, so the total is exactly the sum of the days it returns. */
  private async figuresOf(campaignId: string, unitId: string, through: string | undefined) {
    const days = await this.deps.totals.getDays(campaignId, unitId, undefined, through);
    return { totals: sumDays(days), days };
  }

  /** The stored risk states of units (none without a source, or without units). */
  private async storedRisk(campaignId: string, unitIds: readonly string[]) {
    if (!this.deps.riskStates || unitIds.length === 0) return new Map<string, RiskStateSnapshot>();
    return this.deps.riskStates.get(campaignId, unitIds);
  }
}

/** Each child's last 14 days for the sparklines, from the DAY items already read (days before the start are 0). */
function childRecentDays(figures: UnitFigures, today: string): DayCount[] {
  const counts = new Map((figures.days ?? []).map((d) => [d.day, d.totals.count]));
  return Array.from({ length: RECENT_DAYS }, (_, i) => {
    const day = addDays(today, i - (RECENT_DAYS - 1));
    return { day, count: counts.get(day) ?? 0 };
  });
}

/**
 * The campaign a service works in, from the catalogue: refusals are RegistryErrors (not_found for
 * the campaign, invalid for a unit it lacks), which the handlers answer as problem+json
 * (shared/http/registry-problem.ts) and the CLIs print.
 */
import { CatalogCache } from '../catalog/catalog-cache.js';
import type { CatalogView } from '../domain/intake.js';
import type { CampaignStore } from '../store/campaign-store.js';
import { RegistryError } from '../store/recipient-store.js';

export interface CampaignCatalog {
  get(campaignId: string): Promise<CatalogView | null>;
}

/** What a service keeping one campaign's records is given: the catalogue, and a clock and ids for tests. */
export interface CampaignRecordsDeps {
  readonly catalog: CampaignCatalog;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

/**
 * What a handler over one campaign's records (recipients, silences, acknowledgements) is given besides
 * its own store: the campaigns, a clock and ids for tests, and how long the unit tree is cached.
 */
export interface CampaignRecordsHandlerDeps {
  readonly campaigns: CampaignStore;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** How long the unit tree is kept in memory. Default 60 s. */
  readonly catalogTtlMs?: number;
}

/** The service's deps from the handler's: the catalogue cached for `catalogTtlMs`, the clock and ids given. */
export function campaignRecordsDeps(deps: CampaignRecordsHandlerDeps): CampaignRecordsDeps {
  return {
    catalog: new CatalogCache(deps.campaigns, deps.catalogTtlMs ?? 60_000),
    ...(deps.clock && { clock: deps.clock }),
    ...(deps.newId && { newId: deps.newId }),
  };
}

/** A service keeping one campaign's records (recipients, silences): its clock, its ids, the campaign. */
export abstract class CampaignRecords<D extends CampaignRecordsDeps> {
  protected readonly clock: () => Date;
  protected readonly newId: () => string;

  constructor(
    protected readonly deps: D,
    defaultNewId: () => string,
  ) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? defaultNewId;
  }

  /** The campaign's catalogue; RegistryError not_found when there is no such campaign. */
  view(campaignId: string): Promise<CatalogView> {
    return requireCampaign(this.deps.catalog, campaignId);
  }
}

/** The campaign's catalogue; RegistryError not_found when there is no such campaign. */
export async function requireCampaign(catalog: CampaignCatalog, campaignId: string): Promise<CatalogView> {
  const view = await catalog.get(campaignId);
  if (!view) throw new RegistryError('not_found', `No campaign "${campaignId}"`);
  return view;
}

/** The campaign's catalogue; RegistryError invalid (on `unitId`) when the campaign has no such unit. */
export async function requireUnitOf(
  catalog: CampaignCatalog,
  campaignId: string,
  unitId: string,
): Promise<CatalogView> {
  const view = await requireCampaign(catalog, campaignId);
  if (!view.hierarchy.has(unitId)) {
    throw new RegistryError('invalid', `Campaign "${campaignId}" has no unit "${unitId}"`, [
      { path: 'unitId', message: `is not a unit of campaign ${campaignId}` },
    ]);
  }
  return view;
}

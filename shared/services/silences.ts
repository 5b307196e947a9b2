/**
 * Silences (docs/ARCHITECTURE.md §4): what the HTTP handler (functions/silences.ts) and the CLI
 * (infra/local/cli/silences.ts) do with them, checked against the catalogue and the clock. Storage:
 * shared/store/silence-store.ts.
 */
import type { CatalogView } from '../domain/intake.js';
import type { SilenceInput, SilenceRecord } from '../schemas/recipients.js';
import { newSilenceId } from '../schemas/values.js';
import { RegistryError } from '../store/recipient-store.js';
import type { SilenceStore } from '../store/silence-store.js';
import { type CampaignCatalog, requireCampaign, requireUnitOf } from './campaign-view.js';

export interface SilenceServiceDeps {
  readonly store: SilenceStore;
  readonly catalog: CampaignCatalog;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

/** What the handler and the CLI do with silences: checked against the catalogue and the clock. */
export class SilenceService {
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: SilenceServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? newSilenceId;
  }

  /** The campaign's catalogue; RegistryError not_found when there is no such campaign. */
  view(campaignId: string): Promise<CatalogView> {
    return requireCampaign(this.deps.catalog, campaignId);
  }

  async add(campaignId: string, input: SilenceInput, createdBy: string): Promise<SilenceRecord> {
    await requireUnitOf(this.deps.catalog, campaignId, input.unitId);
    const now = this.clock();
    const until = new Date(input.until);
    if (until.getTime() <= now.getTime()) {
      throw new RegistryError('invalid', `until ${input.until} is not in the future`, [
        { path: 'until', message: `must be later than now (${now.toISOString()})` },
      ]);
    }
    const silence: SilenceRecord = {
      id: this.newId(),
      campaignId,
      unitId: input.unitId,
      until: until.toISOString(),
      reason: input.reason,
      createdBy,
      createdAt: now.toISOString(),
    };
    await this.deps.store.create(silence);
    return silence;
  }

  async listActive(campaignId: string): Promise<SilenceRecord[]> {
    await this.view(campaignId);
    return this.deps.store.listActive(campaignId, this.clock());
  }

  get(campaignId: string, silenceId: string): Promise<SilenceRecord | null> {
    return this.deps.store.get(campaignId, silenceId);
  }

  async remove(campaignId: string, silenceId: string): Promise<void> {
    if (!(await this.deps.store.delete(campaignId, silenceId))) {
      throw new RegistryError('not_found', `No silence ${silenceId} in campaign ${campaignId}`);
    }
  }
}

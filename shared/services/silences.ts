import type { SilenceInput, SilenceRecord } from '../schemas/recipients.js';
import { newSilenceId } from '../schemas/values.js';
import { RegistryError } from '../store/recipient-store.js';
import type { SilenceStore } from '../store/silence-store.js';
import { CampaignRecords, type CampaignRecordsDeps, requireUnitOf } from './campaign-view.js';

export interface SilenceServiceDeps extends CampaignRecordsDeps {
  readonly store: SilenceStore;
}

/** What the handler and the CLI do with silences: checked against the catalogue and the clock. */
export class SilenceService extends CampaignRecords<SilenceServiceDeps> {
  constructor(deps: SilenceServiceDeps) {
    super(deps, newSilenceId);
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

/** An in-memory CampaignStore for handler unit tests (the DynamoDB adapter has its own integration tests). */
import { importCampaign } from '../../shared/catalog/import.js';
import { type Campaign, CampaignFile } from '../../shared/schemas/campaign.js';
import type { CampaignStore, ImportProgress, StoredUnit } from '../../shared/store/campaign-store.js';
import { aCampaignFile } from './builders.js';

export class MemoryCampaignStore implements CampaignStore {
  readonly campaigns = new Map<string, Campaign>();
  readonly units = new Map<string, Map<string, StoredUnit>>();
  writes = 0;
  private readonly versions = new Map<string, number>();

  async catalogVersion(id: string) {
    return this.campaigns.has(id) ? String(this.versions.get(id) ?? 0) : null;
  }
  async getCampaign(id: string) {
    return this.campaigns.get(id) ?? null;
  }
  async listCampaigns() {
    return [...this.campaigns.values()];
  }
  async putCampaign(campaign: Campaign) {
    this.writes++;
    this.campaigns.set(campaign.id, structuredClone(campaign));
    this.versions.set(campaign.id, (this.versions.get(campaign.id) ?? 0) + 1);
  }
  async listUnits(campaignId: string) {
    return [...(this.units.get(campaignId)?.values() ?? [])];
  }
  async putUnits(campaignId: string, units: readonly StoredUnit[], onProgress?: ImportProgress) {
    const map = this.units.get(campaignId) ?? new Map<string, StoredUnit>();
    this.units.set(campaignId, map);
    units.forEach((u, i) => {
      this.writes++;
      map.set(u.id, structuredClone(u));
      onProgress?.(i + 1, units.length);
    });
  }
  async deleteUnits(campaignId: string, unitIds: readonly string[]) {
    for (const id of unitIds) {
      this.writes++;
      this.units.get(campaignId)?.delete(id);
    }
  }
}

/** A MemoryCampaignStore holding the test campaign (aCampaignFile), imported as the CLI imports it. */
export async function anImportedCampaignStore(): Promise<MemoryCampaignStore> {
  const campaigns = new MemoryCampaignStore();
  await importCampaign(campaigns, CampaignFile.parse(aCampaignFile()));
  return campaigns;
}

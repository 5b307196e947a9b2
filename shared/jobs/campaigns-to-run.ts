/** Which campaigns a scheduled job runs for: the one its input names (unknown: an error), else all. */
import type { Campaign } from '../schemas/campaign.js';

export async function campaignsToRun(
  store: {
    getCampaign(campaignId: string): Promise<Campaign | null>;
    listCampaigns(): Promise<Campaign[]>;
  },
  campaignId: string | undefined,
): Promise<Campaign[]> {
  if (!campaignId) return store.listCampaigns();
  const campaign = await store.getCampaign(campaignId);
  if (!campaign) throw new Error(`Unknown campaign "${campaignId}"`);
  return [campaign];
}

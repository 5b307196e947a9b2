/** The campaign's settings, read once per page load and shared by the unit page's panels. */
import type { CampaignDetail } from '../../../../shared/schemas/dashboard.js';
import { useApp, useAsync } from '../../context.js';

const campaignCache = new Map<string, Promise<CampaignDetail>>();
export function campaignDetail(api: ReturnType<typeof useApp>['api'], campaignId: string) {
  let p = campaignCache.get(campaignId);
  if (!p) {
    p = api.campaign(campaignId);
    p.catch(() => campaignCache.delete(campaignId));
    campaignCache.set(campaignId, p);
  }
  return p;
}

/** The campaigns' default zone, until the campaign's own is known. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The campaign's time zone (its settings read once per page load, shared). */
export function useTimeZone(campaignId: string): string {
  const { api } = useApp();
  const detail = useAsync(() => campaignDetail(api, campaignId), [campaignId]);
  return detail.data?.campaign.timeZone ?? DEFAULT_TIME_ZONE;
}

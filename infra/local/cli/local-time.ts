/**
 * Times as an administrator reads them: in the campaign's time zone (docs/ARCHITECTURE.md §10: a
 * campaign's days are its local days) with the offset, `2021-03-20 07:00 (+07:00)`. For the human
 * lines of the CLIs only; what scripts read (ids, JSON) keeps ISO 8601.
 */
import type { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import { localDate, localTime, offsetText } from '../../../shared/domain/calendar.js';
import { DEFAULT_TIME_ZONE } from '../../../shared/schemas/campaign.js';

/**
 * `2021-03-20 07:00 (+07:00)`: the instant (ISO 8601 or a Date) at its local time in the zone, with
 * the zone's offset at that instant. A text that is no instant is returned as it is.
 */
export function localDateTime(instant: string | Date, timeZone: string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return String(instant);
  return `${localDate(at, timeZone)} ${localTime(at, timeZone)} (${offsetText(at, timeZone)})`;
}

/** The campaign's time zone from the stored campaign (through the CLI's catalogue), else the default. */
export async function campaignTimeZone(catalog: CatalogCache, campaignId: string): Promise<string> {
  return (await catalog.get(campaignId))?.campaign.timeZone ?? DEFAULT_TIME_ZONE;
}

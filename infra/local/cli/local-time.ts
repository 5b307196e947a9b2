/**
 * Times as an administrator reads them: in the campaign's time zone (docs/ARCHITECTURE.md §10: a
 * campaign's days are its local days) with the offset, `2021-03-20 07:00 (+07:00)`. For the human
 * lines of the CLIs only; what scripts read (ids, JSON) keeps ISO 8601.
 */
import type { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import { DEFAULT_TIME_ZONE } from '../../../shared/schemas/campaign.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * `2021-03-20 07:00 (+07:00)`: the instant (ISO 8601 or a Date) at its local time in the zone, with
 * the zone's offset at that instant as Intl gives it. A text that is no instant is returned as it is.
 */
export function localDateTime(instant: string | Date, timeZone: string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) return String(instant);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  // longOffset is "GMT+07:00", or "GMT" alone for UTC itself.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${offset})`;
}

/** The campaign's time zone from the stored campaign (through the CLI's catalogue), else the default. */
export async function campaignTimeZone(catalog: CatalogCache, campaignId: string): Promise<string> {
  return (await catalog.get(campaignId))?.campaign.timeZone ?? DEFAULT_TIME_ZONE;
}

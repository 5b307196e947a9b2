/**
 * Local calendar arithmetic in a campaign's IANA time zone. A "day" is a local calendar day
 * (docs/ARCHITECTURE.md §10). Works for any zone, with or without daylight saving, using only Intl.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The local wall-clock time (HH:MM) of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** The zone's offset from UTC at an instant as ISO 8601 writes it: `+07:00`, `-04:00`, `+05:30`. */
export function offsetText(instant: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant, timeZone) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Offset of the zone from UTC at an instant, in milliseconds (UTC+7 → 25,200,000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which a local wall-clock time occurs (the earlier one if a DST fold repeats it). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // Two passes settle the offset across a DST transition.
  let guess = wall - zoneOffsetMs(new Date(wall), timeZone);
  guess = wall - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The instant local midnight begins a date. */
export const startOfLocalDay = (date: string, timeZone: string): Date =>
  zonedInstant(date, '00:00', timeZone);

/**
 * date + n calendar days (YYYY-MM-DD arithmetic, zone-free). Throws a RangeError rather than return
 * something that is not a YYYY-MM-DD day (9999-12-31 + 1 would be "+010000-01-01", which sorts
 * before "9999-12-31" and would keep a `day <= to` loop going for ever).
 */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  const day = Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new RangeError(`${date} + ${n} days is not a day of years 0000-9999`);
  return day;
}

/** Every day from `from` through `to`, oldest first (none when from > to); bounded by their distance. */
export function eachDay(from: string, to: string): string[] {
  const count = daysBetween(from, to) + 1;
  if (!Number.isFinite(count)) throw new RangeError(`${from}..${to} is not a range of days`);
  const days: string[] = [];
  for (let i = 0; i < count; i++) days.push(addDays(from, i));
  return days;
}

/** Calendar days from a to b (b − a); 0 when equal. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

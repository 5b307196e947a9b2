/**
 * The read routes' query values as plain rules (no zod): `QueryDate` and `QueryAsOf` of query.ts are
 * built from these, and `plainQuery` reads a query string by them, so a read route with a valid query
 * string starts and answers without evaluating zod (bench: the coldstart rows). The rules accept
 * exactly what the schemas accept, with the same output; a query they refuse goes to the schema,
 * which gives the messages (test/unit/shared/schemas/query-rules.test.ts checks both agree).
 */

export const MIN_DATE = '2000-01-01';
export const MAX_DATE = '2100-12-31';

export const inBounds = (day: string): boolean => day >= MIN_DATE && day <= MAX_DATE;

/** The UTC day of an instant, or '' when it is not one. */
export function utcDay(instant: string): string {
  const t = Date.parse(instant);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
}

/** How an ISO date is written (IsoDate of campaign.ts checks this, then that the day exists). */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The day exists in the calendar (2021-02-29 does not). */
export function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * zod's `z.iso.datetime({ offset: true })` pattern (zod 4's regexes.datetime): a real calendar date,
 * `T`, hours and minutes, seconds with any fraction, then `Z` or a ±HH:MM offset.
 */
export const ISO_DATETIME_WITH_OFFSET =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/**
 * An unencoded `+` in a query string arrives as a space ("…T10:00:00 07:00"): read it back as the
 * offset it was meant to be, so `?asOf=2021-03-13T10:00:00+07:00` typed by hand works.
 */
export const restorePlus = (value: unknown): unknown =>
  typeof value === 'string' ? value.replace(/ (\d{2}(:?\d{2})?)$/, '+$1') : value;

/** A page cursor (the `next` of a previous answer), as `CorrectionsQuery`'s `cursor` reads it. */
export const CURSOR_MAX_LENGTH = 1000;
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * A query value's kind: `date` as `QueryDate`, `asOf` as `QueryAsOf`, `cursor` as a page cursor
 * (`CURSOR_PATTERN`, at most `CURSOR_MAX_LENGTH` characters) read it.
 */
export type QueryValueKind = 'date' | 'asOf' | 'cursor';

/** The value as the kind's schema outputs it, or undefined when the schema would refuse it. */
export function plainQueryValue(kind: QueryValueKind, value: unknown): string | undefined {
  if (kind === 'cursor') {
    return typeof value === 'string' && value.length <= CURSOR_MAX_LENGTH && CURSOR_PATTERN.test(value)
      ? value
      : undefined;
  }
  if (kind === 'date') {
    if (typeof value !== 'string' || !ISO_DATE_PATTERN.test(value)) return undefined;
    return isRealDate(value) && inBounds(value) ? value : undefined;
  }
  const restored = restorePlus(value);
  if (typeof restored !== 'string' || !ISO_DATETIME_WITH_OFFSET.test(restored)) return undefined;
  return inBounds(utcDay(restored)) ? restored : undefined;
}

/**
 * A query string read as a strict object of optional values (`z.strictObject({ from: QueryDate.optional(), … })`):
 * the object that schema outputs, or undefined when the schema would refuse it (an unknown name, a bad value).
 */
export function plainQuery<K extends string>(
  raw: Readonly<Record<string, string | undefined>>,
  fields: Readonly<Record<K, QueryValueKind>>,
): Partial<Record<K, string>> | undefined {
  const out: Partial<Record<K, string>> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!Object.hasOwn(fields, name)) return undefined;
    const key = name as K;
    if (value === undefined) {
      out[key] = undefined;
      continue;
    }
    const read = plainQueryValue(fields[key], value);
    if (read === undefined) return undefined;
    out[key] = read;
  }
  return out;
}

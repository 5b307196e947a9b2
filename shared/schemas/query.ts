/**
 * Bounded query values shared by every read route (see shared/http/params.ts): days between
 * 2000-01-01 and 2100-12-31, so that day arithmetic on them always ends, and `asOf` instants.
 */
import * as z from 'zod';
import { IsoDate } from './campaign.js';
import { lazySchema } from './lazy.js';

export { MAX_AS_OF_AHEAD_MS, MAX_RANGE_DAYS } from './values.js';

export const MIN_DATE = '2000-01-01';
export const MAX_DATE = '2100-12-31';

const inBounds = (day: string) => day >= MIN_DATE && day <= MAX_DATE;
/** The UTC day of an instant, or '' when it is not one. */
function utcDay(instant: string): string {
  const t = Date.parse(instant);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
}

/** A calendar day between 2000-01-01 and 2100-12-31. */
export const QueryDate = lazySchema(() =>
  IsoDate.refine(inBounds, {
    error: `must be a day between ${MIN_DATE} and ${MAX_DATE}`,
  }),
);

/**
 * An unencoded `+` in a query string arrives as a space ("…T10:00:00 07:00"): read it back as the
 * offset it was meant to be, so `?asOf=2021-03-13T10:00:00+07:00` typed by hand works.
 */
const restorePlus = (value: unknown) =>
  typeof value === 'string' ? value.replace(/ (\d{2}(:?\d{2})?)$/, '+$1') : value;

/** An ISO 8601 date-time with an offset, between 2000 and 2100 (`asOfInstant` also bounds it by now). */
export const QueryAsOf = lazySchema(() =>
  z.preprocess(
    restorePlus,
    z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 date-time with an offset, e.g. 2021-03-13T22:30:00+07:00',
        abort: true,
      })
      .refine((s) => inBounds(utcDay(s)), {
        error: `must lie between ${MIN_DATE} and ${MAX_DATE}`,
      }),
  ),
);

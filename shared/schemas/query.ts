/**
 * Bounded query values shared by every read route (see shared/http/params.ts): days between
 * 2000-01-01 and 2100-12-31, so that day arithmetic on them always ends, and `asOf` instants.
 */
import * as z from 'zod';
import { IsoDate } from './campaign.js';
import { lazySchema } from './lazy.js';
import { inBounds, MAX_DATE, MIN_DATE, restorePlus, utcDay } from './query-rules.js';

export { MAX_DATE, MIN_DATE } from './query-rules.js';
export { MAX_AS_OF_AHEAD_MS, MAX_RANGE_DAYS } from './values.js';

/** A calendar day between 2000-01-01 and 2100-12-31. */
export const QueryDate = lazySchema(() =>
  IsoDate.refine(inBounds, {
    error: `must be a day between ${MIN_DATE} and ${MAX_DATE}`,
  }),
);

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

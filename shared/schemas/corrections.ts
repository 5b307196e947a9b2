/**
 * GET /v1/campaigns/{campaignId}/units/{unitId}/corrections: the corrections of a unit and the
 * units below it, received from `from` through `to` (local days of receivedAt), oldest first.
 */
import * as z from 'zod';
import { IsoDate, UnitId } from './campaign.js';
import { lazySchema } from './lazy.js';
import { UnitDays } from './progress.js';
import { QueryDate } from './query.js';

export { MAX_CORRECTIONS_PER_PAGE } from './values.js';

export const CorrectionsQuery = lazySchema(() =>
  z.strictObject({
    from: QueryDate.optional(),
    to: QueryDate.optional(),
    /** The `next` of the previous answer. */
    cursor: z
      .string()
      .max(1000)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be the `next` of a previous answer')
      .optional(),
  }),
);
export type CorrectionsQuery = z.infer<typeof CorrectionsQuery>;

export const CorrectionEntry = lazySchema(() =>
  z.object({
    /** The correction's own eventId. */
    eventId: z.string(),
    /** The eventId of the event it corrects. */
    corrects: z.string(),
    unitId: UnitId,
    /** The corrected event's local day (the day whose totals moved). */
    day: IsoDate,
    /** The count in force before this correction; null until the roll-up has admitted it. */
    from: z.number().int().nullable(),
    /** The count this correction states (0: voided). */
    to: z.number().int().min(0),
    /** What the totals moved by (to − from for the latest correction; 0 for one older than the count in force); null until admitted. */
    delta: z.number().int().nullable(),
    reason: z.string(),
    /** Who sent it (the token's `sub`). */
    sub: z.string(),
    receivedAt: z.string(),
    occurredAt: z.string(),
  }),
);
export type CorrectionEntry = z.infer<typeof CorrectionEntry>;

export const CorrectionsResponse = lazySchema(() =>
  z.object({
    ...UnitDays,
    corrections: z.array(CorrectionEntry),
    /** Pass as `cursor` for the rest; null when there is none. */
    next: z.string().nullable(),
  }),
);
export type CorrectionsResponse = z.infer<typeof CorrectionsResponse>;

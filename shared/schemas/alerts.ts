/**
 * Acknowledgements and the unit alerts feed (HTTP bodies and answers). The OpenAPI document is
 * generated from these schemas.
 */
import * as z from 'zod';
import { untilRecordHead } from './campaign.js';
import { ID_RULES } from './ids.js';
import { lazySchema } from './lazy.js';
import { QueryDate } from './query.js';

export {
  ACK_DEFAULT_DAYS,
  ACK_MAX_DAYS,
  FEED_DEFAULT_DAYS,
  FEED_MAX_DAYS,
  newAcknowledgementId,
} from './values.js';

export const AcknowledgementId = lazySchema(() =>
  z.string().regex(ID_RULES.acknowledgementId.pattern, ID_RULES.acknowledgementId.message),
);

/** POST …/units/{unitId}/acknowledgements */
export const AcknowledgementInput = lazySchema(() =>
  z.strictObject({
    note: z.string().trim().min(1, 'must not be empty when given').max(500).optional(),
    until: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 date-time with an offset, e.g. 2021-03-20T18:00:00+07:00',
      })
      .optional(),
  }),
);
export type AcknowledgementInput = z.infer<typeof AcknowledgementInput>;

/** An acknowledgement as stored and returned (shared/domain/alert-policy.ts's Acknowledgement). */
export const AcknowledgementRecord = lazySchema(() =>
  z.object({
    ...untilRecordHead(AcknowledgementId),
    note: z.string().optional(),
    deletedAt: z.iso.datetime({ offset: true }).optional(),
    deletedBy: z.string().optional(),
  }),
);
export type AcknowledgementRecord = z.infer<typeof AcknowledgementRecord>;

/** GET …/units/{unitId}/alerts?from=&to= (local days of the campaign, inclusive). */
export const AlertsFeedQuery = lazySchema(() =>
  z.strictObject({ from: QueryDate.optional(), to: QueryDate.optional() }),
);

export const FEED_KINDS = [
  'alert',
  'report',
  'notice',
  'acknowledgement',
  'acknowledgement_withdrawn',
  'silence',
  'sms_budget',
] as const;

export const AlertsFeedItem = lazySchema(() =>
  z.object({
    /** When it happened (ISO 8601, UTC). */
    at: z.iso.datetime({ offset: true }),
    kind: z.enum(FEED_KINDS),
    severity: z.enum(['at_risk', 'critical', 'resolved', 'info']).optional(),
    channel: z.enum(['sms', 'email']).optional(),
    /** The leader it went to; `endpoint` masked unless the caller has `admin`. */
    recipient: z.object({ id: z.string(), name: z.string(), endpoint: z.string() }).optional(),
    subject: z.string().optional(),
    body: z.string().optional(),
    /** Who acknowledged or silenced. */
    by: z.string().optional(),
    note: z.string().optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** The acknowledgement's or silence's id (to withdraw it). */
    id: z.string().optional(),
  }),
);
export type AlertsFeedItem = z.infer<typeof AlertsFeedItem>;

export const AlertsFeed = lazySchema(() => z.object({ alerts: z.array(AlertsFeedItem) }));
export type AlertsFeed = z.infer<typeof AlertsFeed>;

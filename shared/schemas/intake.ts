/**
 * The intake contract: POST /v1/intake-events takes one IntakeEvent or
 * { events: [IntakeEvent, …] } (1 to 100) and answers one result per event, in order.
 */
import * as z from 'zod';
import { CampaignId, Code, UnitId } from './campaign.js';
import { EVENT_ID_PATTERN } from './intake-rules.js';
import { lazyObject, lazySchema } from './lazy.js';
import { INTAKE_CHANNELS, MAX_EVENTS_PER_REQUEST, MAX_REASON_LENGTH } from './values.js';

// The plain values and rules (no zod) live in values.ts and intake-rules.ts; importers keep these names.
export { isCorrectionInput } from './intake-rules.js';
export {
  MAX_CLOCK_AHEAD_MS,
  MAX_EVENTS_PER_REQUEST,
  MAX_FUTURE_SKEW_MS,
  MAX_INTAKE_BODY_BYTES,
  MAX_REASON_LENGTH,
} from './values.js';

export const EventId = lazySchema(() =>
  z
    .string()
    .regex(EVENT_ID_PATTERN, 'must be 8 to 64 characters: letters, digits, "_" or "-" (a UUID is typical)'),
);

/** Where an application was taken in: a fixed intake post or a mobile team (not the alerts' sms|email `ContactChannel`). */
export const IntakeChannel = lazySchema(() => z.enum(INTAKE_CHANNELS));
export type IntakeChannel = z.infer<typeof IntakeChannel>;

/** What every event, a correction too, opens with: its id, the unit of the campaign it counts for, and when. */
const EventHead = lazyObject(() => ({
  eventId: EventId,
  campaignId: CampaignId,
  unitId: UnitId,
  occurredAt: z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with an offset, e.g. 2021-03-13T09:30:00+07:00',
  }),
}));

export const IntakeEvent = lazySchema(() =>
  z.strictObject({
    ...EventHead,
    count: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .default(1),
    kind: Code,
    channel: IntakeChannel.default('fixed'),
    group: Code.optional(),
  }),
);
export type IntakeEvent = z.infer<typeof IntakeEvent>;
export type IntakeEventInput = z.input<typeof IntakeEvent>;

/**
 * A correction (docs/ARCHITECTURE.md, corrections): an event that names the event it corrects in
 * `corrects`, states the corrected `count` (0 voids it) and why. Kind, channel and group are the
 * corrected event's; a correction may leave them out, and is rejected if it sends different ones.
 */
export const CorrectionEvent = lazySchema(() =>
  z.strictObject({
    ...EventHead,
    corrects: EventId,
    count: z
      .number({ error: 'must be the corrected count, 0 to 1000 (0 voids the event)' })
      .int('must be a whole number')
      .min(0, 'must be at least 0 (0 voids the event)')
      .max(1000, 'must be at most 1000'),
    reason: z
      .string({ error: 'must say why, in 1 to 200 characters' })
      .trim()
      .min(1, 'must say why, in 1 to 200 characters')
      .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`),
    kind: Code.optional(),
    channel: IntakeChannel.optional(),
    group: Code.optional(),
  }),
);
export type CorrectionEvent = z.infer<typeof CorrectionEvent>;
export type CorrectionEventInput = z.input<typeof CorrectionEvent>;

/** The body's outer shape; each event is checked on its own so that one bad event rejects only itself. */
export const IntakeBatch = lazySchema(() =>
  z.strictObject({
    events: z
      .array(z.unknown())
      .min(1, 'must hold at least one event')
      .max(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events`),
  }),
);

export const IntakeStatus = lazySchema(() => z.enum(['accepted', 'duplicate', 'conflict', 'rejected']));
export type IntakeStatus = z.infer<typeof IntakeStatus>;

export const IntakeResult = lazySchema(() =>
  z.object({
    /** The event's eventId as sent (null when it had none usable). */
    eventId: z.string().nullable(),
    status: IntakeStatus,
    error: z.string().optional(),
    /** Accepted, with something the client should fix (its clock, when occurredAt was ahead of the server's). */
    warning: z.string().optional(),
  }),
);
export type IntakeResult = z.infer<typeof IntakeResult>;

export const IntakeResponse = lazySchema(() => z.object({ results: z.array(IntakeResult) }));
export type IntakeResponse = z.infer<typeof IntakeResponse>;

/**
 * 503 body (problem+json plus `results`): storage was unavailable for some events. Each event says
 * what happened; `failed` ones were not stored and must be re-sent with the same eventId.
 */
export const IntakeFailedResult = lazySchema(() =>
  z.object({
    eventId: z.string().nullable(),
    status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected', 'failed']),
    error: z.string().optional(),
    warning: z.string().optional(),
  }),
);
export type IntakeFailedResult = z.infer<typeof IntakeFailedResult>;

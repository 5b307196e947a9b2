/**
 * The values of the schema modules that need no zod: defaults, limits, id makers. Each schema module
 * re-exports its own, so their importers are unchanged; a module that needs only these (a store, the
 * domain) imports them from here and does not load zod with them, so a function whose own paths run
 * no zod (the scheduled jobs) starts without evaluating it (bench: the coldstart rows).
 */
import { randomBytes } from 'node:crypto';

// campaign.ts
/** Days after an event during which it may be corrected, unless the campaign sets its own. */
export const DEFAULT_CORRECTION_WINDOW_DAYS = 30;

// intake.ts
/** How an intake was made (IntakeChannel). */
export const INTAKE_CHANNELS = ['fixed', 'mobile'] as const;
export const MAX_EVENTS_PER_REQUEST = 100;
/** Bodies over this are refused with 413 before parsing: 100 events fit in about 30 KB. */
export const MAX_INTAKE_BODY_BYTES = 256 * 1024;
/** How far ahead occurredAt may be without a warning (ordinary clock skew of tablets). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/**
 * How far ahead of the server's clock occurredAt may be at all: a device clock is often wrong (a
 * wrong zone, a dead battery), and its applications must not be lost. Such an event is counted on
 * the server's local day, with a warning; further ahead it is rejected.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;
/** The longest reason a correction gives. */
export const MAX_REASON_LENGTH = 200;

// query.ts
/** The longest explicit date range, and the length of the default one. */
export const MAX_RANGE_DAYS = 400;
/** How far ahead of the server's clock `asOf` may be. */
export const MAX_AS_OF_AHEAD_MS = 24 * 60 * 60 * 1000;

// progress.ts
/** Longest series `daily` answers in one response: a whole campaign (about 110 days) fits easily. */
export const MAX_DAILY_RANGE_DAYS = MAX_RANGE_DAYS;
/** Days in `last14Days`, ending with today. */
export const RECENT_DAYS = 14;

// alerts.ts
export const newAcknowledgementId = () => `a-${randomBytes(8).toString('hex')}`;
/** Default length of an acknowledgement, and the longest allowed. */
export const ACK_DEFAULT_DAYS = 3;
export const ACK_MAX_DAYS = 30;
/** Longest range the alerts feed answers for, in days. */
export const FEED_MAX_DAYS = 92;
/** Default range: the last 30 days. */
export const FEED_DEFAULT_DAYS = 30;

// reports.ts
export const reportIdOf = (unitId: string, periodId: string) => `${unitId}:${periodId}`;

// recipients.ts
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** `prefix` + 10 random characters of [a-z0-9] (about 51 bits). */
function randomId(prefix: string, length = 10): string {
  return prefix + [...randomBytes(length)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}
/** A new recipient id such as r-7k2m9q4x1b. */
export const newRecipientId = () => randomId('r-');
/** A new silence id such as s-4n8p2r6t0v. */
export const newSilenceId = () => randomId('s-');

// identity.ts
/** Splits a scope text into names: "intake:write  admin" → ["intake:write", "admin"]. */
export const scopeNames = (text: string) => text.split(/\s+/).filter((s) => s.length > 0);

// corrections.ts
/** At most this many corrections per answer (GET …/corrections); `next` resumes after the last one. */
export const MAX_CORRECTIONS_PER_PAGE = 200;

/** Most report summaries one list answers (GET /v1/campaigns/{campaignId}/reports). */
export const MAX_LISTED_REPORTS = 10_000;

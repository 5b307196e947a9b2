/**
 * What an app queues and what it gets back from the intake client: events and corrections (made
 * once, with their eventId), and one outcome per event.
 */
import {
  type CorrectionEventInput,
  type IntakeEventInput,
  type IntakeStatus,
  MAX_REASON_LENGTH,
} from '../../schemas/intake.js';

export type { CorrectionEventInput, IntakeEventInput };

/** What an app queues: an intake event, or a correction of one (see {@link correct}). */
export type QueuedEvent = IntakeEventInput | CorrectionEventInput;

export const isCorrection = (event: QueuedEvent): event is CorrectionEventInput => 'corrects' in event;

/**
 * A correction of `original` (the event as the app queued it): the count it should have had
 * (0 voids it) and why. Call it ONCE, when the officer makes the correction, and queue the result
 * like any event: its eventId is made here and must be kept, so that every retry sends the same one.
 * Kind, channel and group stay the original's (the server takes them from the stored event).
 *
 * @example
 * ```ts
 * await queue.add(correct(queuedTally, 37, 'typed 370 for 37'));
 * ```
 * @throws RangeError when the count is not a whole number from 0 to 1000 or the reason is empty or
 * over 200 characters (the server would reject it).
 */
export function correct(
  original: Pick<IntakeEventInput, 'eventId' | 'campaignId' | 'unitId'>,
  newCount: number,
  reason: string,
  options: { readonly occurredAt?: Date; readonly eventId?: string } = {},
): CorrectionEventInput {
  if (!Number.isInteger(newCount) || newCount < 0 || newCount > 1000) {
    throw new RangeError('a corrected count is a whole number from 0 (void) to 1000');
  }
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_REASON_LENGTH) {
    throw new RangeError(`a correction needs a reason of 1 to ${MAX_REASON_LENGTH} characters`);
  }
  return {
    eventId: options.eventId ?? newEventId(),
    campaignId: original.campaignId,
    unitId: original.unitId,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    corrects: original.eventId,
    count: newCount,
    reason: trimmed,
  };
}

/** What became of one event after {@link IntakeClient.post}. */
export type IntakeOutcomeStatus = IntakeStatus | 'failed';

export interface IntakeOutcome {
  /** The event's eventId, as the caller gave it. */
  readonly eventId: string;
  /**
   * - `accepted`: stored now. `duplicate`: already stored (an earlier attempt got through). Both
   *   mean stored exactly once: remove it from the queue ({@link isStored}).
   * - `rejected`: the server will never store it as it is (see `error`). `conflict`: this eventId is
   *   already stored with a different payload. Both are final: re-sending the same event won't help.
   * - `failed`: not delivered after every attempt; keep it queued and send it later, unchanged.
   */
  readonly status: IntakeOutcomeStatus;
  /** Why, for `rejected`, `conflict` and `failed`. */
  readonly error?: string;
  /** How many requests carried this event (0: never sent, e.g. after an {@link IntakeAuthError}). */
  readonly attempts: number;
  /**
   * Set on `failed` when the server asked to wait longer than `maxDelayMs` (Retry-After): the
   * client stops instead of blocking; the app should not send again before this many ms.
   */
  readonly retryAfterMs?: number;
}

/** True when the event is stored exactly once on the server (`accepted` or `duplicate`). */
export function isStored(outcome: Pick<IntakeOutcome, 'status'>): boolean {
  return outcome.status === 'accepted' || outcome.status === 'duplicate';
}

/**
 * A new eventId (a UUID). Call it ONCE, when the app records the application, and store it with
 * the event; never on a retry, or a lost response becomes a second application on the server.
 */
export function newEventId(): string {
  return crypto.randomUUID();
}

/** How the intake client says a whole call stopped (the outcomes of every event come with it). */
import type { IntakeOutcome } from './events.js';

/**
 * The whole call stopped: retrying cannot help until something outside the client changes.
 * `outcomes` holds one outcome per input event, in input order: events settled before the stop
 * keep their outcome (so stored ones can leave the queue), every other one is `failed`.
 */
export class IntakeClientError extends Error {
  constructor(
    message: string,
    /** The HTTP status that stopped the call, when there was one. */
    readonly status: number | undefined,
    readonly outcomes: readonly IntakeOutcome[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IntakeClientError';
  }
}

/**
 * 401 or 403 (or the token function threw). Thrown rather than retried or reported as `failed`:
 * the same token gets the same answer, and the app has to act (refresh or sign in again, or fix
 * the device's units/scope), which a quiet `failed` on every event would hide. Nothing is lost:
 * unsettled events come back `failed` in `outcomes` and stay in the app's queue.
 */
export class IntakeAuthError extends IntakeClientError {
  constructor(
    message: string,
    status: 401 | 403 | undefined,
    outcomes: readonly IntakeOutcome[],
    options?: { cause?: unknown },
  ) {
    super(message, status, outcomes, options);
    this.name = 'IntakeAuthError';
  }
}

/** Carries a batch's partial outcomes from `sendBatch` up to `post`, which throws the public error. */
export class BatchStopped extends Error {
  constructor(
    readonly status: number | undefined,
    readonly outcomes: readonly IntakeOutcome[],
    options?: { cause?: unknown },
  ) {
    super('batch stopped', options);
  }
}

/**
 * A typed client for `POST /v1/intake-events`, for the apps on intake tablets and
 * mobile teams' phones: batches of at most 100, retries with backoff on a bad connection, and one
 * outcome per event so the app knows what may leave its local queue.
 *
 * Exactly once rests on the eventId: the app makes it once, when the application is recorded
 * ({@link newEventId}), keeps it with the event in its queue, and every attempt (by this client or a
 * later `post()` of the same queue) sends the same one. A response lost after the server stored the
 * event only turns a later `accepted` into `duplicate`; both mean "stored, once" ({@link isStored}).
 *
 * Responses are checked against the server's own zod schemas (shared/schemas/intake.ts), so a
 * malformed answer is caught here and retried rather than trusted.
 *
 * @example
 * ```ts
 * import { IntakeClient, isStored, newEventId } from './shared/client/index.js';
 *
 * const client = new IntakeClient({ baseUrl: 'https://api.example.gov.vn', token: () => auth.accessToken() });
 * // When the officer records an application: make the id ONCE and queue the event with it.
 * await queue.add({ eventId: newEventId(), campaignId, unitId, occurredAt: new Date().toISOString(), kind: 'new' });
 * // Whenever the connection allows:
 * const outcomes = await client.post(await queue.all());
 * for (const o of outcomes) {
 *   if (isStored(o)) await queue.remove(o.eventId);        // accepted or duplicate
 *   else if (o.status !== 'failed') await queue.park(o);  // rejected / conflict: show o.error
 * }                                                       // failed: stays queued for next time
 * ```
 */
import { MAX_EVENTS_PER_REQUEST } from '../schemas/intake.js';
import { BatchStopped, IntakeAuthError, IntakeClientError } from './intake/errors.js';
import {
  type CorrectionEventInput,
  type IntakeOutcome,
  isCorrection,
  isStored,
  type QueuedEvent,
} from './intake/events.js';
import { type AttemptResult, interpretResponse, type Settled } from './intake/response.js';

export { IntakeAuthError, IntakeClientError } from './intake/errors.js';
export {
  type CorrectionEventInput,
  correct,
  type IntakeEventInput,
  type IntakeOutcome,
  type IntakeOutcomeStatus,
  isStored,
  newEventId,
  type QueuedEvent,
} from './intake/events.js';
export { MAX_EVENTS_PER_REQUEST };

/** The subset of `fetch` the client uses; `globalThis.fetch` fits. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface IntakeClientOptions {
  /** The API's root, e.g. `https://api.example.gov.vn` (a trailing `/` is fine). */
  readonly baseUrl: string;
  /** A bearer token, or a function called before every attempt so that it can be refreshed. */
  readonly token: string | (() => string | Promise<string>);
  /** Defaults to `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Requests per batch, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** The first backoff's ceiling; it doubles per retry (full jitter). Default 500 ms. */
  readonly baseDelayMs?: number;
  /** The longest wait between two attempts. Default 30 000 ms. */
  readonly maxDelayMs?: number;
  /** One attempt (request and response body) is abandoned after this long. Default 15 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Injectable for tests. Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests: a number in [0, 1). Default: Math.random. */
  readonly random?: () => number;
}

/**
 * Posts intake events with retries. One instance per app is enough; it holds no queue of its own
 * (the app's queue is the source of truth, and `post()` tells it what may leave).
 *
 * Batches go one after another, not in parallel: a tablet's uplink is the bottleneck, so parallel
 * requests would not finish sooner but would time out together; one in flight also keeps the
 * outcomes in the queue's order and lets a 429 or 503 slow down everything that follows.
 *
 * @example
 * ```ts
 * const client = new IntakeClient({ baseUrl, token: () => auth.accessToken() });
 * const outcomes = await client.post(queuedEvents); // one per event, in order
 * const stored = outcomes.filter(isStored).map((o) => o.eventId);
 * ```
 */
export class IntakeClient {
  private readonly url: string;
  private readonly token: () => string | Promise<string>;
  private readonly fetch: FetchLike;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: IntakeClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/v1/intake-events`;
    const token = options.token;
    this.token = typeof token === 'string' ? () => token : token;
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 6));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 500);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 30_000);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends the events in batches of {@link MAX_EVENTS_PER_REQUEST}, one batch after another, and
   * resolves with one outcome per event, in input order. The events are sent as given (never
   * changed, never given a new eventId). Resolves even when some events end `failed`.
   *
   * A correction whose original is among `events` is sent after every other event, and only once
   * the original is stored: the server rejects a correction in the same request as its original.
   * If the original ends `failed`, so does the correction (unsent: keep both queued).
   *
   * @throws {@link IntakeAuthError} on 401/403; {@link IntakeClientError} on a status the contract
   * doesn't name (404: wrong baseUrl…). Both carry `outcomes` for every event.
   */
  async post(events: readonly QueuedEvent[]): Promise<IntakeOutcome[]> {
    const ids = new Set(events.map((e) => e.eventId));
    const waits = (e: QueuedEvent) => isCorrection(e) && ids.has(e.corrects);
    if (!events.some(waits)) return this.postInOrder(events);
    const outcomes = new Map<number, IntakeOutcome>();
    const unsent = (i: number, error: string): IntakeOutcome => ({
      eventId: events[i]?.eventId ?? '',
      status: 'failed',
      error,
      attempts: 0,
    });
    /** Sends the events at `indexes`; on an error, rethrows it with every event's outcome in input order. */
    const send = async (indexes: number[], later: number[]) => {
      try {
        const got = await this.postInOrder(indexes.map((i) => events[i] as QueuedEvent));
        indexes.forEach((i, k) => {
          outcomes.set(i, got[k] ?? unsent(i, 'not sent'));
        });
      } catch (error) {
        if (!(error instanceof IntakeClientError)) throw error;
        indexes.forEach((i, k) => {
          outcomes.set(i, error.outcomes[k] ?? unsent(i, 'not sent'));
        });
        for (const i of later) outcomes.set(i, unsent(i, `not sent: ${error.message}`));
        const all = events.map((_, i) => outcomes.get(i) ?? unsent(i, 'not sent'));
        if (error instanceof IntakeAuthError) {
          throw new IntakeAuthError(error.message, error.status as 401 | 403 | undefined, all, {
            cause: error.cause,
          });
        }
        throw new IntakeClientError(error.message, error.status, all, { cause: error.cause });
      }
    };
    const firstIdx = events.flatMap((e, i) => (waits(e) ? [] : [i]));
    const laterIdx = events.flatMap((e, i) => (waits(e) ? [i] : []));
    await send(firstIdx, laterIdx);
    const stored = new Set([...outcomes.values()].filter(isStored).map((o) => o.eventId));
    const ready: number[] = [];
    for (const i of laterIdx) {
      if (stored.has((events[i] as CorrectionEventInput).corrects)) ready.push(i);
      else
        outcomes.set(
          i,
          unsent(i, 'not sent: the event it corrects is not stored yet; send both again later'),
        );
    }
    await send(ready, []);
    return events.map((_, i) => outcomes.get(i) ?? unsent(i, 'not sent'));
  }

  private async postInOrder(events: readonly QueuedEvent[]): Promise<IntakeOutcome[]> {
    const outcomes: IntakeOutcome[] = [];
    for (let start = 0; start < events.length; start += MAX_EVENTS_PER_REQUEST) {
      const batch = events.slice(start, start + MAX_EVENTS_PER_REQUEST);
      try {
        outcomes.push(...(await this.sendBatch(batch)));
      } catch (error) {
        if (!(error instanceof BatchStopped)) throw error;
        const reason = error.cause instanceof Error ? error.cause.message : 'the call was stopped';
        const notSent = events.slice(start + batch.length).map(
          (event): IntakeOutcome => ({
            eventId: event.eventId,
            status: 'failed',
            error: `not sent: ${reason}`,
            attempts: 0,
          }),
        );
        const all = [...outcomes, ...error.outcomes, ...notSent];
        const status = error.status;
        if (status === undefined || status === 401 || status === 403) {
          throw new IntakeAuthError(reason, status, all, { cause: error.cause });
        }
        throw new IntakeClientError(reason, status, all, { cause: error.cause });
      }
    }
    return outcomes;
  }

  private async sendBatch(batch: readonly QueuedEvent[]): Promise<IntakeOutcome[]> {
    const settled: (Settled | undefined)[] = batch.map(() => undefined);
    const attempts = batch.map(() => 0);
    let pending = batch.map((event, index) => ({ event, index }));
    let lastError = 'not sent';
    let retryAfterMs: number | undefined;
    let stoppedForRetryAfter = false;

    const outcomesSoFar = (): IntakeOutcome[] =>
      batch.map((event, index) => {
        const result = settled[index];
        const attemptCount = attempts[index] ?? 0;
        if (result) return { eventId: event.eventId, ...result, attempts: attemptCount };
        return {
          eventId: event.eventId,
          status: 'failed',
          error: lastError,
          attempts: attemptCount,
          ...(stoppedForRetryAfter && retryAfterMs !== undefined && { retryAfterMs }),
        };
      });

    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (retryAfterMs !== undefined && retryAfterMs > this.maxDelayMs) {
          // Honour the server without blocking the app for long: stop, and say when to try again.
          stoppedForRetryAfter = true;
          lastError = `${lastError} (the server asked to retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
          break;
        }
        await this.sleep(this.delayBefore(attempt, retryAfterMs));
      }

      let token: string;
      try {
        token = await this.token();
      } catch (cause) {
        lastError = 'the token function failed';
        throw new BatchStopped(undefined, outcomesSoFar(), {
          cause: new Error(`${lastError}: ${errorMessage(cause)}`, { cause }),
        });
      }

      const sent = pending;
      for (const { index } of sent) attempts[index] = (attempts[index] ?? 0) + 1;
      const result = await this.attempt(
        sent.map(({ event }) => event),
        token,
      );

      switch (result.kind) {
        case 'settled':
        case 'partial':
          for (const [i, { index }] of sent.entries()) settled[index] = result.results[i];
          pending = sent.filter(({ index }) => settled[index] === undefined);
          if (result.kind === 'partial') {
            lastError = result.error;
            retryAfterMs = result.retryAfterMs;
          }
          break;
        case 'retry':
          lastError = result.error;
          retryAfterMs = result.retryAfterMs;
          break;
        case 'refused':
          for (const { index } of sent) settled[index] = { status: 'rejected', error: result.error };
          pending = [];
          break;
        case 'stop':
          lastError = `not delivered: ${result.error}`;
          throw new BatchStopped(result.status, outcomesSoFar(), { cause: new Error(result.error) });
      }
    }
    return outcomesSoFar();
  }

  /** Full jitter: a uniform wait up to the doubling ceiling, but never less than Retry-After. */
  private delayBefore(attempt: number, retryAfterMs: number | undefined): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 2));
    const jittered = Math.floor(this.random() * ceiling);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  /** One request; never throws (every failure is a kind of result). */
  private async attempt(events: readonly QueuedEvent[], token: string): Promise<AttemptResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.requestTimeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
        },
        body: JSON.stringify({ events }),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (cause) {
      const error = controller.signal.aborted
        ? `no response within ${this.requestTimeoutMs} ms`
        : `network error: ${errorMessage(cause)}`;
      return { kind: 'retry', error, retryAfterMs: undefined };
    } finally {
      clearTimeout(timer);
    }

    return interpretResponse(response.status, text, response.headers.get('retry-after'), events);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
import * as z from 'zod';
import {
  type CorrectionEventInput,
  type IntakeEventInput,
  IntakeFailedResult,
  IntakeResponse,
  type IntakeStatus,
  MAX_EVENTS_PER_REQUEST,
  MAX_REASON_LENGTH,
} from '../schemas/intake.js';

export type { CorrectionEventInput, IntakeEventInput };
export { MAX_EVENTS_PER_REQUEST };

/** What an app queues: an intake event, or a correction of one (see {@link correct}). */
export type QueuedEvent = IntakeEventInput | CorrectionEventInput;

const isCorrection = (event: QueuedEvent): event is CorrectionEventInput => 'corrects' in event;

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

/** The 503 body: problem+json plus one result per event; `failed` ones were not stored. */
const PartialFailureBody = z.object({ results: z.array(IntakeFailedResult) });
/** problem+json from the functions, or API Gateway's own `{"message":"Unauthorized"}` (its authorizer, unmatched routes). */
const ProblemBody = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What one attempt settled, by position in the events it carried. */
type Settled = { readonly status: IntakeStatus; readonly error?: string };

type AttemptResult =
  /** Every event settled. */
  | { readonly kind: 'settled'; readonly results: readonly Settled[] }
  /** Some settled (503 with results); `undefined` ones must be sent again. */
  | {
      readonly kind: 'partial';
      readonly results: readonly (Settled | undefined)[];
      readonly error: string;
      readonly retryAfterMs: number | undefined;
    }
  /** Nothing settled; the same events may be sent again. */
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs: number | undefined }
  /** 400/413: the body was refused; re-sending it won't help. */
  | { readonly kind: 'refused'; readonly error: string }
  /** 401/403, or a status the contract doesn't name: stop the whole call. */
  | { readonly kind: 'stop'; readonly status: number; readonly error: string };

/** Carries a batch's partial outcomes from `sendBatch` up to `post`, which throws the public error. */
class BatchStopped extends Error {
  constructor(
    readonly status: number | undefined,
    readonly outcomes: readonly IntakeOutcome[],
    options?: { cause?: unknown },
  ) {
    super('batch stopped', options);
  }
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

    const status = response.status;
    const body = parseJson(text);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));

    if (status === 200) {
      const parsed = IntakeResponse.safeParse(body);
      if (!parsed.success || !matches(parsed.data.results, events)) {
        return {
          kind: 'retry',
          error: 'protocol error: the results do not match the events sent',
          retryAfterMs,
        };
      }
      return { kind: 'settled', results: parsed.data.results.map(settledFrom) };
    }
    const detail = problemDetail(body);
    if (status === 400 || status === 413) {
      return { kind: 'refused', error: detail ?? `HTTP ${status}` };
    }
    const error = detail === undefined ? `HTTP ${status}` : `HTTP ${status}: ${detail}`;
    if (status === 503) {
      const parsed = PartialFailureBody.safeParse(body);
      if (parsed.success && matches(parsed.data.results, events)) {
        const results = parsed.data.results.map((r) =>
          r.status === 'failed' ? undefined : settledFrom({ ...r, status: r.status }),
        );
        return { kind: 'partial', results, error, retryAfterMs };
      }
    }
    if (status >= 500 || status === 429 || status === 408) {
      return { kind: 'retry', error, retryAfterMs };
    }
    // 401/403, and statuses the contract doesn't name (404: a wrong baseUrl…): calling again won't help.
    return { kind: 'stop', status, error };
  }
}

function settledFrom(result: { status: IntakeStatus; error?: string | undefined }): Settled {
  return result.error === undefined
    ? { status: result.status }
    : { status: result.status, error: result.error };
}

/** One result per event, in order (eventId null: the server found none usable in that event). */
function matches(results: readonly { eventId: string | null }[], events: readonly QueuedEvent[]): boolean {
  return (
    results.length === events.length &&
    results.every((r, i) => r.eventId === null || r.eventId === events[i]?.eventId)
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in delta-seconds, as the contract sends it; anything else is ignored. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value.trim()) * 1000;
}

/** A problem+json body's detail (or title; API Gateway's message), with its field errors when it lists any. */
function problemDetail(body: unknown): string | undefined {
  const problem = ProblemBody.safeParse(body);
  if (!problem.success) return undefined;
  const { detail, title, message, errors } = problem.data;
  const text = detail ?? title ?? message;
  if (!errors || errors.length === 0) return text;
  const fields = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return text === undefined ? fields : `${text} (${fields})`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

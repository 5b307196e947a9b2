/**
 * What one intake response means for the events it carried, checked against the server's own zod
 * schemas (shared/schemas/intake.ts): settled, partly settled (503 with results), to retry, refused,
 * or a stop. Pure: the client's retry loop acts on it.
 */
import * as z from 'zod';
import { IntakeFailedResult, IntakeResponse, type IntakeStatus } from '../../schemas/intake.js';
import type { QueuedEvent } from './events.js';

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
export type Settled = { readonly status: IntakeStatus; readonly error?: string };

export type AttemptResult =
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

/** Reads one response (status, body text, Retry-After header) to the request that carried `events`. */
export function interpretResponse(
  status: number,
  text: string,
  retryAfter: string | null,
  events: readonly QueuedEvent[],
): AttemptResult {
  const body = parseJson(text);
  const retryAfterMs = parseRetryAfter(retryAfter);

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

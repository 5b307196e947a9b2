/** A fake intake server behind an injected fetch, and a client on it, for the tests of shared/client/intake-client.ts. */
import { z } from 'zod';
import {
  type FetchLike,
  IntakeClient,
  type IntakeClientOptions,
  type IntakeEventInput,
  newEventId,
} from '../../shared/client/index.js';

/** An event as the app records it: a fresh eventId, made once. */
export function anAppEvent(overrides: Partial<IntakeEventInput> = {}): IntakeEventInput {
  return {
    eventId: newEventId(),
    campaignId: 'cccd-2021-test',
    unitId: '12001',
    occurredAt: '2021-03-13T09:30:00+07:00',
    kind: 'new',
    ...overrides,
  };
}

export function someEvents(n: number): IntakeEventInput[] {
  return Array.from({ length: n }, () => anAppEvent());
}

/**
 * What the fake server does with one request (faults are used up one per request; then it behaves):
 * - `ok`: behaves (to place a later fault on a later request).
 * - `network`: the request never arrives (fetch throws).
 * - `http-500`: answers 500, stores nothing.
 * - `drop-after-store`: stores the events, then the response is lost (fetch throws).
 * - `partial-503`: stores every other event and answers 503 with `failed` for the rest.
 * - an object: that status, headers and body, storing nothing.
 */
export type Fault =
  | 'ok'
  | 'network'
  | 'http-500'
  | 'drop-after-store'
  | 'partial-503'
  | { status: number; retryAfter?: string; body?: unknown };

interface SentRequest {
  url: string;
  authorization: string | null;
  eventIds: string[];
}

interface FakeServerOptions {
  /** Events this returns a reason for are `rejected` (and not stored). */
  reject?: (event: { eventId: string }) => string | undefined;
}

const RequestBody = z.object({ events: z.array(z.looseObject({ eventId: z.string() })) });

/** A small intake server behind an injected fetch: an append-only store deduplicated by eventId. */
export function fakeIntakeServer(faults: readonly Fault[] = [], options: FakeServerOptions = {}) {
  const stored: { eventId: string; payload: string }[] = [];
  const requests: SentRequest[] = [];
  const queue = [...faults];

  const store = (event: { eventId: string }) => {
    const reason = options.reject?.(event);
    if (reason !== undefined) return { eventId: event.eventId, status: 'rejected', error: reason };
    const payload = JSON.stringify(event);
    const existing = stored.find((s) => s.eventId === event.eventId);
    if (!existing) {
      stored.push({ eventId: event.eventId, payload });
      return { eventId: event.eventId, status: 'accepted' };
    }
    return existing.payload === payload
      ? { eventId: event.eventId, status: 'duplicate' }
      : { eventId: event.eventId, status: 'conflict', error: 'this eventId is stored with another payload' };
  };

  const fetch: FetchLike = async (url, init) => {
    const { events } = RequestBody.parse(JSON.parse(String(init.body)));
    requests.push({
      url,
      authorization: new Headers(init.headers).get('authorization'),
      eventIds: events.map((e) => e.eventId),
    });
    const fault = queue.shift();
    if (fault === 'network') throw new TypeError('fetch failed');
    if (fault === 'http-500') return problem(500, 'Internal error');
    if (fault === 'drop-after-store') {
      events.forEach(store);
      throw new TypeError('fetch failed: socket hang up');
    }
    if (fault === 'partial-503') {
      const results = events.map((e, i) =>
        i % 2 === 0 ? store(e) : { eventId: e.eventId, status: 'failed', error: 'storage unavailable' },
      );
      return problem(503, 'Storage unavailable for some events', { results });
    }
    if (fault !== undefined && fault !== 'ok') {
      const headers = new Headers({ 'content-type': 'application/problem+json' });
      if (fault.retryAfter !== undefined) headers.set('retry-after', fault.retryAfter);
      return new Response(JSON.stringify(fault.body ?? {}), { status: fault.status, headers });
    }
    return Response.json({ results: events.map(store) });
  };

  return { fetch, stored, requests };
}

function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: detail, status, detail, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** A client on the fake, recording its sleeps instead of waiting; jitter fixed at half the ceiling. */
export function aClient(fetch: FetchLike, overrides: Partial<IntakeClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = new IntakeClient({
    baseUrl: 'https://api.test/',
    token: 'tok',
    fetch,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

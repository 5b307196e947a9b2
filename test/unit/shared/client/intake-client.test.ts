import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type FetchLike,
  IntakeAuthError,
  IntakeClient,
  IntakeClientError,
  type IntakeClientOptions,
  type IntakeEventInput,
  isStored,
  newEventId,
} from '../../../../shared/client/index.js';

/** An event as the app records it: a fresh eventId, made once. */
function anIntakeEvent(overrides: Partial<IntakeEventInput> = {}): IntakeEventInput {
  return {
    eventId: newEventId(),
    campaignId: 'cccd-2021-test',
    unitId: '12001',
    occurredAt: '2021-03-13T09:30:00+07:00',
    kind: 'new',
    ...overrides,
  };
}

function someEvents(n: number): IntakeEventInput[] {
  return Array.from({ length: n }, () => anIntakeEvent());
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
type Fault =
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
function fakeIntakeServer(faults: readonly Fault[] = [], options: FakeServerOptions = {}) {
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
function aClient(fetch: FetchLike, overrides: Partial<IntakeClientOptions> = {}) {
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

describe('newEventId()', () => {
  it('makes ids the contract accepts, a new one each call', () => {
    // Act
    const ids = [newEventId(), newEventId()];
    // Assert
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('isStored()', () => {
  it.each([
    ['accepted', true],
    ['duplicate', true],
    ['conflict', false],
    ['rejected', false],
    ['failed', false],
  ] as const)('%s → %s', (status, expected) => {
    expect(isStored({ status })).toBe(expected);
  });
});

describe('IntakeClient', () => {
  describe('post()', () => {
    it('sends 250 events as 100/100/50, one after another, and answers in input order', async () => {
      // Arrange
      const server = fakeIntakeServer();
      const { client } = aClient(server.fetch);
      const events = someEvents(250);
      // Act
      const outcomes = await client.post(events);
      // Assert
      expect(server.requests.map((r) => r.eventIds.length)).toEqual([100, 100, 50]);
      expect(server.requests.flatMap((r) => r.eventIds)).toEqual(events.map((e) => e.eventId));
      expect(server.requests[0]?.url).toBe('https://api.test/v1/intake-events');
      expect(outcomes.map((o) => o.eventId)).toEqual(events.map((e) => e.eventId));
      expect(outcomes.every((o) => o.status === 'accepted' && o.attempts === 1)).toBe(true);
    });

    it('sends nothing for no events', async () => {
      // Arrange
      const server = fakeIntakeServer();
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post([]);
      // Assert
      expect(outcomes).toEqual([]);
      expect(server.requests).toHaveLength(0);
    });

    it('retries after a network error, asking the token function again for each attempt', async () => {
      // Arrange
      const server = fakeIntakeServer(['network']);
      let issued = 0;
      const { client, sleeps } = aClient(server.fetch, { token: () => `tok-${++issued}` });
      const events = someEvents(3);
      // Act
      const outcomes = await client.post(events);
      // Assert
      expect(outcomes.map((o) => [o.status, o.attempts])).toEqual([
        ['accepted', 2],
        ['accepted', 2],
        ['accepted', 2],
      ]);
      expect(server.requests.map((r) => r.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
      expect(sleeps).toHaveLength(1);
    });

    it('abandons an attempt that gets no response within requestTimeoutMs, then retries', async () => {
      // Arrange
      const server = fakeIntakeServer();
      let calls = 0;
      const hangsOnce: FetchLike = (url, init) => {
        if (++calls > 1) return server.fetch(url, init);
        return new Promise((_, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        });
      };
      const { client } = aClient(hangsOnce, { requestTimeoutMs: 5 });
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
      expect(calls).toBe(2);
    });

    it('stores each event exactly once when the first two responses are lost after storing', async () => {
      // Arrange
      const server = fakeIntakeServer(['drop-after-store', 'drop-after-store']);
      const { client } = aClient(server.fetch);
      const events = someEvents(5).map((e) => Object.freeze(e));
      const before = structuredClone(events);
      // Act
      const outcomes = await client.post(events);
      // Assert
      expect(outcomes.every(isStored)).toBe(true);
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('duplicate'));
      expect(server.stored.map((s) => s.eventId)).toEqual(events.map((e) => e.eventId));
      expect(server.requests).toHaveLength(3);
      for (const request of server.requests) expect(request.eventIds).toEqual(events.map((e) => e.eventId));
      expect(events).toEqual(before);
    });

    it('on a 503 with results, keeps the settled events and re-sends only the failed ones', async () => {
      // Arrange
      const server = fakeIntakeServer(['partial-503']);
      const { client } = aClient(server.fetch);
      const events = someEvents(4);
      const ids = events.map((e) => e.eventId);
      // Act
      const outcomes = await client.post(events);
      // Assert
      expect(server.requests.map((r) => r.eventIds)).toEqual([ids, [ids[1], ids[3]]]);
      expect(outcomes.map((o) => [o.eventId, o.status, o.attempts])).toEqual([
        [ids[0], 'accepted', 1],
        [ids[1], 'accepted', 2],
        [ids[2], 'accepted', 1],
        [ids[3], 'accepted', 2],
      ]);
      expect(server.stored).toHaveLength(4);
    });

    it.each([
      [503, '7', 7_000],
      [429, '2', 2_000],
      [500, '3', 3_000],
    ])('honours Retry-After on %i (%s s)', async (status, retryAfter, expectedSleep) => {
      // Arrange
      const server = fakeIntakeServer([{ status, retryAfter, body: { title: 'Slow down', status } }]);
      const { client, sleeps } = aClient(server.fetch);
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(sleeps).toEqual([expectedSleep]);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    });

    it('keeps the jittered backoff when it is longer than Retry-After', async () => {
      // Arrange
      const server = fakeIntakeServer([{ status: 429, retryAfter: '0' }]);
      const { client, sleeps } = aClient(server.fetch, { random: () => 0.8 });
      // Act
      await client.post(someEvents(1));
      // Assert
      expect(sleeps).toEqual([400]);
    });

    it('stops rather than wait when Retry-After exceeds maxDelayMs, and says when to come back', async () => {
      // Arrange
      const server = fakeIntakeServer([{ status: 503, retryAfter: '120' }]);
      const { client, sleeps } = aClient(server.fetch, { maxDelayMs: 30_000 });
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(server.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(outcomes.map((o) => [o.status, o.attempts, o.retryAfterMs])).toEqual([
        ['failed', 1, 120_000],
        ['failed', 1, 120_000],
      ]);
    });

    it('backs off exponentially with full jitter, capped at maxDelayMs', async () => {
      // Arrange
      const server = fakeIntakeServer(['http-500', 'network', 'http-500', 'network', 'http-500']);
      const { client, sleeps } = aClient(server.fetch, { baseDelayMs: 500, maxDelayMs: 1_500 });
      // Act
      const outcomes = await client.post(someEvents(1));
      // Assert
      expect(sleeps).toEqual([250, 500, 750, 750, 750]);
      expect(outcomes[0]).toMatchObject({ status: 'accepted', attempts: 6 });
    });

    it('gives up after maxAttempts: the events come back failed, with the last error', async () => {
      // Arrange
      const server = fakeIntakeServer(Array<Fault>(10).fill('http-500'));
      const { client } = aClient(server.fetch, { maxAttempts: 4 });
      const events = someEvents(2);
      // Act
      const outcomes = await client.post(events);
      // Assert
      expect(server.requests).toHaveLength(4);
      expect(outcomes).toEqual(
        events.map((e) => ({
          eventId: e.eventId,
          status: 'failed',
          error: 'HTTP 500: Internal error',
          attempts: 4,
        })),
      );
      expect(server.stored).toHaveLength(0);
    });

    it('retries a 200 whose results do not match the batch (protocol error)', async () => {
      // Arrange
      const server = fakeIntakeServer([{ status: 200, body: { results: [] } }]);
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(server.requests).toHaveLength(2);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    });

    it('does not retry rejected or conflicting events', async () => {
      // Arrange
      const conflicting = anIntakeEvent();
      const server = fakeIntakeServer([], {
        reject: (e) => (e.eventId === 'bad-event-1' ? 'unit 99999 is outside your units' : undefined),
      });
      await aClient(server.fetch).client.post([{ ...conflicting, count: 2 }]);
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post([anIntakeEvent({ eventId: 'bad-event-1' }), conflicting]);
      // Assert
      expect(server.requests).toHaveLength(2);
      expect(outcomes).toEqual([
        {
          eventId: 'bad-event-1',
          status: 'rejected',
          error: 'unit 99999 is outside your units',
          attempts: 1,
        },
        {
          eventId: conflicting.eventId,
          status: 'conflict',
          error: 'this eventId is stored with another payload',
          attempts: 1,
        },
      ]);
    });

    it('marks the batch rejected with the problem detail on 400, without retrying', async () => {
      // Arrange
      const detail = 'The body must be { events: [...] } with 1 to 100 events';
      const server = fakeIntakeServer([
        { status: 400, body: { title: 'Invalid request', status: 400, detail } },
      ]);
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(server.requests).toHaveLength(1);
      expect(outcomes.map((o) => [o.status, o.error, o.attempts])).toEqual([
        ['rejected', detail, 1],
        ['rejected', detail, 1],
      ]);
    });

    it.each([401, 403])(
      'throws IntakeAuthError on %i, keeping the earlier batches’ outcomes',
      async (status) => {
        // Arrange
        const server = fakeIntakeServer([
          'network',
          'drop-after-store',
          'ok',
          { status, body: { title: 'Unauthorized', status, detail: 'token expired' } },
        ]);
        const { client } = aClient(server.fetch);
        const events = someEvents(250);
        // Act
        const error = await client.post(events).catch((e: unknown) => e);
        // Assert
        expect(error).toBeInstanceOf(IntakeAuthError);
        if (!(error instanceof IntakeAuthError)) return;
        expect(error.status).toBe(status);
        expect(error.message).toBe(`HTTP ${status}: token expired`);
        expect(server.requests).toHaveLength(4);
        expect(error.outcomes.map((o) => o.eventId)).toEqual(events.map((e) => e.eventId));
        expect(error.outcomes.slice(0, 100).every((o) => o.status === 'duplicate')).toBe(true);
        expect(error.outcomes.slice(100).every((o) => o.status === 'failed')).toBe(true);
        expect(error.outcomes.slice(100, 200).every((o) => o.attempts === 1)).toBe(true);
        expect(error.outcomes.slice(200).every((o) => o.attempts === 0)).toBe(true);
      },
    );

    it.each([
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
    ])('reads API Gateway\'s own %i body {"message":…} as well as problem+json', async (status, message) => {
      // Arrange: the JWT authorizer answers before the function, without problem+json
      const server = fakeIntakeServer([{ status, body: { message } }]);
      const { client } = aClient(server.fetch);
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeAuthError);
      expect((error as IntakeAuthError).status).toBe(status);
      expect((error as IntakeAuthError).message).toBe(`HTTP ${status}: ${message}`);
    });

    it('throws IntakeAuthError when the token function fails, before sending anything', async () => {
      // Arrange
      const server = fakeIntakeServer();
      const { client } = aClient(server.fetch, {
        token: () => Promise.reject(new Error('refresh token revoked')),
      });
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeAuthError);
      expect(server.requests).toHaveLength(0);
    });

    it('throws IntakeClientError on a status the contract does not name (404: wrong baseUrl)', async () => {
      // Arrange
      const server = fakeIntakeServer([{ status: 404, body: { title: 'Not found', status: 404 } }]);
      const { client } = aClient(server.fetch);
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeClientError);
      expect(error).not.toBeInstanceOf(IntakeAuthError);
      expect(server.requests).toHaveLength(1);
    });

    it('stores every event exactly once for any run of failures shorter than maxAttempts', async () => {
      const failure = fc.constantFrom<Fault>('network', 'http-500', 'drop-after-store', 'partial-503');
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 230 }),
          fc.array(failure, { maxLength: 5 }),
          async (n, faults) => {
            // Arrange
            const server = fakeIntakeServer(faults);
            const { client } = aClient(server.fetch, { maxAttempts: 6 });
            const events = someEvents(n);
            const ids = events.map((e) => e.eventId);
            // Act
            const outcomes = await client.post(events);
            // Assert
            expect(outcomes.map((o) => o.eventId)).toEqual(ids);
            expect(outcomes.every(isStored)).toBe(true);
            expect(server.stored.map((s) => s.eventId).sort()).toEqual([...ids].sort());
            const sent = new Set(server.requests.flatMap((r) => r.eventIds));
            expect([...sent].sort()).toEqual([...ids].sort());
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});

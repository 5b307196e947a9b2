import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../../../shared/client/index.js';
import { aClient, type Fault, fakeIntakeServer, someEvents } from '../../../../support/fake-intake-server.js';

describe('IntakeClient', () => {
  describe('post()', () => {
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
  });
});

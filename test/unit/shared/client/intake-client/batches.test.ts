import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStored, newEventId } from '../../../../../shared/client/index.js';
import { aClient, type Fault, fakeIntakeServer, someEvents } from '../../../../support/fake-intake-server.js';

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

import { describe, expect, it } from 'vitest';
import {
  correct,
  type FetchLike,
  IntakeClient,
  type IntakeEventInput,
  newEventId,
  type QueuedEvent,
} from '../../../../shared/client/index.js';

const tally = (overrides: Partial<IntakeEventInput> = {}): IntakeEventInput => ({
  eventId: newEventId(),
  campaignId: 'cccd-2021-test',
  unitId: '12001',
  occurredAt: '2021-03-13T09:30:00+07:00',
  count: 370,
  kind: 'new',
  ...overrides,
});

/** A server with the real rule: a correction is rejected unless its original was stored by an earlier request. */
function fakeServer(options: { failOriginals?: boolean } = {}) {
  const stored = new Map<string, string>();
  const requests: string[][] = [];
  const fetch: FetchLike = async (_url, init) => {
    const { events } = JSON.parse(String(init.body)) as { events: (QueuedEvent & { corrects?: string })[] };
    requests.push(events.map((e) => e.eventId));
    if (options.failOriginals && events.some((e) => e.corrects === undefined))
      throw new TypeError('fetch failed');
    const before = new Set(stored.keys());
    const results = events.map((e) => {
      if (e.corrects !== undefined && !before.has(e.corrects)) {
        return { eventId: e.eventId, status: 'rejected', error: 'original not stored yet' };
      }
      const payload = JSON.stringify(e);
      const had = stored.get(e.eventId);
      if (had === undefined) {
        stored.set(e.eventId, payload);
        return { eventId: e.eventId, status: 'accepted' };
      }
      return { eventId: e.eventId, status: had === payload ? 'duplicate' : 'conflict' };
    });
    return Response.json({ results });
  };
  return { fetch, stored, requests };
}

const client = (fetch: FetchLike) =>
  new IntakeClient({
    baseUrl: 'https://api.test',
    token: 'tok',
    fetch,
    sleep: async () => {},
    maxAttempts: 2,
  });

describe('correct()', () => {
  it('builds the correction once, naming the original, with its own eventId kept for every retry', () => {
    const original = tally();
    const fix = correct(original, 37, '  typed 370 for 37 ', {
      occurredAt: new Date('2021-03-14T01:00:00Z'),
    });
    expect(fix).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      campaignId: original.campaignId,
      unitId: original.unitId,
      occurredAt: '2021-03-14T01:00:00.000Z',
      corrects: original.eventId,
      count: 37,
      reason: 'typed 370 for 37',
    });
    expect(correct(original, 37, 'x').eventId).not.toBe(fix.eventId);
  });

  it('refuses what the server would reject: a count outside 0..1000 or not whole, an empty or long reason', () => {
    const original = tally();
    expect(correct(original, 0, 'void').count).toBe(0);
    for (const n of [-1, 1001, 2.5]) expect(() => correct(original, n, 'why')).toThrow(RangeError);
    expect(() => correct(original, 1, '  ')).toThrow(RangeError);
    expect(() => correct(original, 1, 'x'.repeat(201))).toThrow(RangeError);
  });
});

describe('IntakeClient.post() with corrections', () => {
  it('sends a correction after its original when both are queued, and answers in input order', async () => {
    const server = fakeServer();
    const original = tally();
    const fix = correct(original, 37, 'typed 370 for 37');
    const other = tally({ count: 2 });
    const outcomes = await client(server.fetch).post([original, fix, other]);
    expect(outcomes.map((o) => [o.eventId, o.status])).toEqual([
      [original.eventId, 'accepted'],
      [fix.eventId, 'accepted'],
      [other.eventId, 'accepted'],
    ]);
    expect(server.requests).toEqual([[original.eventId, other.eventId], [fix.eventId]]);
    // Sent again (a lost answer): duplicates, the same ids
    const again = await client(server.fetch).post([original, fix, other]);
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('keeps the correction unsent (failed) when its original could not be stored', async () => {
    const server = fakeServer({ failOriginals: true });
    const original = tally();
    const fix = correct(original, 37, 'typed 370 for 37');
    const outcomes = await client(server.fetch).post([original, fix]);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(outcomes[1]).toMatchObject({ attempts: 0, error: expect.stringMatching(/not stored yet/) });
    expect(server.requests.flat()).not.toContain(fix.eventId);
  });

  it('sends a correction of an event stored earlier in the same request as other events', async () => {
    const server = fakeServer();
    const original = tally();
    await client(server.fetch).post([original]);
    const fix = correct(original, 40, 'recount');
    const outcomes = await client(server.fetch).post([tally(), fix]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(server.requests).toHaveLength(2);
  });
});

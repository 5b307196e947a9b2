/**
 * Corrections persistence against DynamoDB Local: admission on the state item under concurrency
 * (optimistic version, ALL_OLD on conflict), the sparse index of corrections and the subtree filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supersedes } from '../../shared/domain/corrections.js';
import { DynamoCorrectionStore } from '../../shared/store/correction-store.js';
import { DynamoIntakeEventStore, type StoredIntakeEvent } from '../../shared/store/intake-store.js';
import { campaignTable, intakeEventsTable } from '../../shared/store/tables.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

const original = { campaignId: 'c-int', unitId: '12001', originalId: 'tally-370-01' };

describe('DynamoCorrectionStore', () => {
  let campaign: TestTable;
  let events: TestTable;
  let store: DynamoCorrectionStore;
  beforeAll(async () => {
    [campaign, events] = await Promise.all([
      createTestTable(campaignTable),
      createTestTable(intakeEventsTable),
    ]);
    store = new DynamoCorrectionStore(campaign.db, campaign.name, events.name);
  });
  afterAll(async () => Promise.all([campaign.drop(), events.drop()]));

  it('admits concurrent corrections one at a time: their deltas sum to the latest count − the original, each recorded once', async () => {
    // Arrange: 12 corrections of one event, admitted all at once, each twice (a redelivery racing itself)
    const corrections = Array.from({ length: 12 }, (_, i) => ({
      eventId: `fix-${String(i).padStart(2, '0')}`,
      occurredAt: new Date(Date.UTC(2021, 2, 14, 1, (i * 7) % 12)).toISOString(),
      count: 10 * i,
    }));
    // Act
    const admissions = await Promise.all(
      [...corrections, ...corrections].map((c) => store.admit(original, c, 370)),
    );
    // Assert
    const latest = corrections.reduce((a, b) => (supersedes(b, a) ? b : a));
    const first = admissions.slice(0, 12);
    expect(admissions.slice(12)).toEqual(first);
    expect(first.reduce((sum, a) => sum + a.delta, 0)).toBe(latest.count - 370);
    const states = await store.getStates('c-int', [{ unitId: '12001', originalId: 'tally-370-01' }]);
    const state = states.get('tally-370-01');
    expect(state?.version).toBe(12);
    expect(state?.latest).toEqual(latest);
    expect(Object.keys(state?.admitted ?? {}).sort()).toEqual(corrections.map((c) => c.eventId));
    // Admitted again later: the recorded delta, nothing changes
    expect(await store.admit(original, corrections[3] as (typeof corrections)[number], 370)).toEqual(
      first[3],
    );
    expect(
      (await store.getStates('c-int', [{ unitId: '12001', originalId: 'tally-370-01' }])).get('tally-370-01')
        ?.version,
    ).toBe(12);
  });

  it("lists a unit's subtree's corrections by receivedAt from the sparse index, in pages with an exact cursor", async () => {
    // Arrange: 5 corrections in district 323 (two communes), 1 in 324, and an ordinary event
    const intake = new DynamoIntakeEventStore(events.db, events.name);
    const item = (
      eventId: string,
      unitId: string,
      path: string[],
      minute: number,
      corrects?: string,
    ): StoredIntakeEvent => ({
      eventId,
      campaignId: 'c-list',
      unitId,
      occurredAt: '2021-03-14T01:00:00.000Z',
      day: '2021-03-13',
      count: 5,
      kind: 'new',
      channel: 'fixed',
      path,
      payloadHash: eventId,
      receivedAt: `2021-03-14T02:${String(minute).padStart(2, '0')}:00.000Z`,
      sub: 'officer',
      ingestId: eventId,
      ...(corrects !== undefined && {
        corrects,
        reason: 'recount',
        originalCount: 7,
        originalOccurredAt: '2021-03-13T01:00:00.000Z',
      }),
    });
    await intake.putIfAbsent(item('plain-0001', '12001', ['33', '323'], 0));
    for (let i = 0; i < 5; i++) {
      const unit = i % 2 === 0 ? '12001' : '12002';
      await intake.putIfAbsent(item(`fix-l-${i}`, unit, ['33', '323'], 10 + i, `orig-${i}`));
    }
    await intake.putIfAbsent(item('fix-other', '12101', ['33', '324'], 12, 'orig-x'));
    const range = { fromInstant: '2021-03-14T00:00:00.000Z', toInstant: '2021-03-14T23:59:59.999Z' };
    // Act: pages of 2
    const seen: string[] = [];
    let cursor: Record<string, string> | undefined;
    let pages = 0;
    do {
      const page = await store.listCorrections('c-list', '323', range, 2, cursor);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => String(i.eventId)));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    // Assert
    expect(seen).toEqual(['fix-l-0', 'fix-l-1', 'fix-l-2', 'fix-l-3', 'fix-l-4']);
    const commune = await store.listCorrections('c-list', '12002', range, 100);
    expect(commune.items.map((i) => i.eventId)).toEqual(['fix-l-1', 'fix-l-3']);
    const province = await store.listCorrections(
      'c-list',
      '33',
      { ...range, toInstant: '2021-03-14T02:11:59.999Z' },
      100,
    );
    expect(province.items.map((i) => i.eventId)).toEqual(['fix-l-0', 'fix-l-1']);
  });
});

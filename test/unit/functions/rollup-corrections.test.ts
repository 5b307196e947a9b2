import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/rollup.js';
import { MemoryCorrectionStore } from '../../support/memory-correction-store.js';
import { MemoryTotalsWriter } from '../../support/memory-totals-writer.js';
import { aStreamRecord } from '../../support/stream-records.js';

const stored = {
  campaignId: 'c1',
  unitId: '12001',
  path: ['33', '323'],
  day: '2021-03-13',
  kind: 'new',
  channel: 'fixed',
  group: 'official',
  receivedAt: '2021-03-13T02:30:01.000Z',
  sub: 'officer',
  payloadHash: 'h',
  ingestId: 'i',
};
const originalImage = {
  ...stored,
  eventId: 'tally-370-01',
  occurredAt: '2021-03-13T02:30:00.000Z',
  count: 370,
};
const correctionImage = (eventId: string, count: number, occurredAt: string) => ({
  ...stored,
  eventId,
  occurredAt,
  count,
  corrects: 'tally-370-01',
  reason: 'typed 370 for 37',
  originalCount: 370,
  originalOccurredAt: '2021-03-13T02:30:00.000Z',
  correctionCampaignId: 'c1',
});

function aRollup() {
  const totals = new MemoryTotalsWriter();
  const corrections = new MemoryCorrectionStore();
  const poisoned: string[] = [];
  const metrics: Record<string, number> = {};
  const handler = makeHandler({
    totals,
    corrections,
    poison: {
      quarantine: async (r) => {
        poisoned.push(r.reason);
      },
    },
    metrics: {
      addMetric: (name: string, _unit: unknown, value: number) => {
        metrics[name] = (metrics[name] ?? 0) + value;
      },
      publishStoredMetrics: () => {},
    } as never,
  });
  return { handler, totals, poisoned, metrics };
}

describe('rollup handler: corrections', () => {
  it('reads correction items from the stream and moves every level by the admitted delta, once', async () => {
    const { handler, totals, metrics } = aRollup();
    await handler({ shardId: 'shard-a', Records: [aStreamRecord('1', originalImage)] });
    const batch = {
      shardId: 'shard-b',
      Records: [aStreamRecord('5', correctionImage('fix-1', 37, '2021-03-14T01:00:00+07:00'))],
    };
    const first = await handler(batch);
    await handler(batch); // redelivered
    expect(first.batchItemFailures).toEqual([]);
    for (const unit of ['12001', '323', '33']) {
      expect(totals.total('c1', unit)).toEqual({
        count: 37,
        byKind: { new: 37 },
        byChannel: { fixed: 37 },
        byGroup: { official: 37 },
      });
    }
    expect(metrics.correctionsAdmitted).toBe(2);
    expect(metrics.negativeTotals ?? 0).toBe(0);
  });

  it('counts a total taken below zero (a correction before its original) in negativeTotals, unclamped', async () => {
    const { handler, totals, metrics } = aRollup();
    await handler({
      shardId: 'shard-b',
      Records: [aStreamRecord('5', correctionImage('fix-0', 0, '2021-03-14T01:00:00Z'))],
    });
    expect(metrics.negativeTotals).toBe(3);
    expect(totals.total('c1', '33').count).toBe(-370);
    await handler({ shardId: 'shard-a', Records: [aStreamRecord('1', originalImage)] });
    expect(totals.total('c1', '33').count).toBe(0);
  });

  it('sets aside a malformed correction item as poison, without touching any total', async () => {
    const { handler, totals, poisoned } = aRollup();
    const bad = { ...correctionImage('fix-bad', 37, '2021-03-14T01:00:00Z'), originalCount: undefined };
    const response = await handler({ shardId: 'shard-b', Records: [aStreamRecord('5', bad)] });
    expect(response.batchItemFailures).toEqual([]);
    expect(poisoned).toHaveLength(1);
    expect(poisoned[0]).toMatch(/originalCount/);
    expect(totals.items.size).toBe(0);
  });
});

/**
 * Roll-up write amplification: the real applyBatch (shared/rollup/apply.ts) against a counting
 * in-memory TotalsWriter with DynamoDB's conditional semantics, for 10,000 events over the national
 * campaign in batches of the topology's size, beside the naive pattern counted on the same events.
 */
import { functions } from '../../infra/topology.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { RollupRecord } from '../../shared/domain/rollup.js';
import { applyBatch } from '../../shared/rollup/apply.js';
import { CountingTotalsWriter, maxOf, naiveRollup, previousDesignWrites } from '../lib/counting-totals.js';
import { type GeneratedEvent, generateEvents, largestChildOfRoot } from '../lib/load.js';
import { BENCH_SHARD, nationalModel, sequenceNumber } from '../lib/national.js';
import { row, type Section } from '../lib/types.js';

const EVENTS = 10_000;
const SKEW_SHARE = 0.8;

export function rollupBatchSize(): number {
  const size = functions.find((f) => f.stream)?.stream?.batchSize;
  if (!size) throw new Error('the topology has no stream-triggered function');
  return size;
}

/** Runs the events through applyBatch in batches of `batchSize` on one shard; returns the writer. */
export async function applyInBatches(
  events: readonly GeneratedEvent[],
  batchSize: number,
  writer = new CountingTotalsWriter(),
  shard = BENCH_SHARD,
  firstSeq = 0,
): Promise<CountingTotalsWriter> {
  for (let i = 0; i < events.length; i += batchSize) {
    const records: RollupRecord[] = events
      .slice(i, i + batchSize)
      .map((e, j) => ({ seq: sequenceNumber(firstSeq + i + j), event: e.rolled }));
    const result = await applyBatch(records, shard, writer);
    if (result.failedFrom !== null) throw new Error(`applyBatch failed from ${result.failedFrom}`);
  }
  return writer;
}

const label = (id: string) => {
  const [, unit, day] = id.split('|');
  return `${unit ?? '?'} ${day ?? ''}`.trim();
};

export const amplification: Section = {
  name: 'amplification',
  title: 'Roll-up write amplification',
  async run(ctx) {
    const model = nationalModel(ctx.seed);
    const batchSize = rollupBatchSize();
    const province = largestChildOfRoot(model);
    const loads = [
      {
        name: 'uniform',
        events: generateEvents(model, {
          count: EVENTS,
          random: mulberry32(ctx.seed),
          idPrefix: 'amp-u',
          day: '2021-03-13',
        }),
        note: 'events spread over all communes by target',
      },
      {
        name: 'skewed',
        events: generateEvents(model, {
          count: EVENTS,
          random: mulberry32(ctx.seed + 1),
          idPrefix: 'amp-s',
          day: '2021-03-13',
          skew: { unitId: province, share: SKEW_SHARE },
        }),
        note: `${SKEW_SHARE * 100} % of events into province ${province} (the largest), the rest by target`,
      },
    ];
    const rows = [];
    const details: Record<string, unknown> = { batchSize, events: EVENTS, units: model.hierarchy.size };
    for (const load of loads) {
      const writer = await applyInBatches(load.events, batchSize);
      const naive = naiveRollup(load.events.map((e) => e.rolled));
      const batches = Array.from({ length: Math.ceil(load.events.length / batchSize) }, (_, b) =>
        load.events.slice(b * batchSize, (b + 1) * batchSize).map((e) => e.rolled),
      );
      const previous = previousDesignWrites(batches);
      const per10k = (n: number) => (n * 10_000) / load.events.length;
      // The item written most; among ties, the one the naive pattern writes most (the highest in the tree).
      const most = writer.busiestItem().writes;
      const busiestId =
        [...writer.writesByItem]
          .filter(([, w]) => w === most)
          .sort(([a], [b]) => (naive.writesByItem.get(b) ?? 0) - (naive.writesByItem.get(a) ?? 0))[0]?.[0] ??
        '';
      const busiest = { id: busiestId, writes: most };
      const naiveBusiest = maxOf(naive.writesByItem);
      const depth = model.leaves[0]?.path.length ?? 0;
      ctx.measured.naiveWritesPerEvent = naive.writes / load.events.length;
      rows.push(
        row(
          `amplification.${load.name}.writesPer10k`,
          `roll-up writes per 10k events, ${load.name} load`,
          per10k(writer.writes),
          'writes',
          'naive: 1 ADD per event per item',
          per10k(naive.writes),
          `${load.note}; real applyBatch, ${load.events.length / batchSize} batches of ${batchSize} (topology) on one shard, ` +
            `national campaign seed ${ctx.seed} (${model.hierarchy.size.toLocaleString('en-US')} units, communes at depth ${depth}); ` +
            `${writer.items.size.toLocaleString('en-US')} items touched; ${per10k(writer.wru).toLocaleString('en-US')} WRU by item size ` +
            `(naive: ${(naive.writes / load.events.length).toFixed(0)} writes per event = (depth+1) × TOTAL+DAY); ` +
            `only DAY items are written (previous design, TOTAL + DAY: ${per10k(previous.writes).toLocaleString('en-US')} writes, ` +
            `${(previous.writes / naive.writes).toFixed(3)}× naive); target ≤ 0.25× naive; ` +
            `${writer.conditionFailures} condition failures`,
        ),
        row(
          `amplification.${load.name}.busiestItemWrites`,
          `most writes to one item, ${load.name} load`,
          busiest.writes,
          'writes',
          'naive: same item',
          naiveBusiest.writes,
          `busiest item ${label(busiest.id)} (naive: ${label(naiveBusiest.id)}), per ${load.events.length.toLocaleString('en-US')} events`,
        ),
      );
      details[load.name] = {
        writes: writer.writes,
        wru: writer.wru,
        itemsTouched: writer.items.size,
        busiest,
        naiveWrites: naive.writes,
        previousDesignWrites: previous.writes,
        naiveBusiest,
      };
    }
    return { rows, details };
  },
};

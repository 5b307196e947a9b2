/**
 * Handler CPU per event, with in-memory fakes (process.cpuUsage around the calls, after a warm-up):
 * the intake handler (functions/intake.ts makeHandler) on posts of 100 events and of one event, and
 * the roll-up handler (functions/rollup.ts makeHandler) on stream batches of 1,000 records.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, AttributeValue } from 'aws-lambda';
import { makeHandler as makeIntakeHandler } from '../../functions/intake.js';
import { makeHandler as makeRollupHandler, type RollupEvent } from '../../functions/rollup.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import { aStreamRecord } from '../../test/support/stream-records.js';
import { CountingTotalsWriter } from '../lib/counting-totals.js';
import { itemSize } from '../lib/dynamo-size.js';
import { httpPost, LeanIntakeStore, storedItem } from '../lib/fakes.js';
import { type GeneratedEvent, generateEvents } from '../lib/load.js';
import { BENCH_SHARD, nationalModel, sequenceNumber } from '../lib/national.js';
import { cpuMs } from '../lib/stats.js';
import { row, type Section } from '../lib/types.js';

const NOW = new Date('2021-03-13T15:00:00Z');
const CLAIMS = { sub: 'bench-post', scope: 'intake:write', units: ['*'] };
const PATH = '/v1/intake-events';

function posts(events: readonly GeneratedEvent[], perPost: number): APIGatewayProxyEventV2[] {
  const requests: APIGatewayProxyEventV2[] = [];
  for (let i = 0; i < events.length; i += perPost) {
    const slice = events.slice(i, i + perPost).map((e) => e.input);
    const body = perPost === 1 ? JSON.stringify(slice[0]) : JSON.stringify({ events: slice });
    requests.push(httpPost(PATH, body, CLAIMS));
  }
  return requests;
}

/** The naive roll-up's work per record, in memory: unmarshall, then one ADD per item (unit and ancestors × TOTAL and DAY). */
function naiveRollup(records: RollupEvent['Records'], totals: Map<string, number>) {
  for (const record of records) {
    const image = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue> as never) as {
      campaignId: string;
      unitId: string;
      path: string[];
      day: string;
      count: number;
    };
    for (const unit of [image.unitId, ...image.path]) {
      for (const day of ['TOTAL', image.day]) {
        const key = `${image.campaignId}|${unit}|${day}`;
        totals.set(key, (totals.get(key) ?? 0) + image.count);
      }
    }
  }
}

export const cpu: Section = {
  name: 'cpu',
  title: 'Handler CPU per event (in-memory fakes)',
  async run(ctx) {
    const model = nationalModel(ctx.seed);
    const catalog = { get: async () => ({ campaign: model.file.campaign, hierarchy: model.hierarchy }) };
    const store = new LeanIntakeStore();
    const intake = makeIntakeHandler({ catalog, events: store, clock: () => NOW });
    const sizes = ctx.quick
      ? { warm100: 5, posts100: 50, warm1: 200, posts1: 1000, warmBatches: 1, batches: 4 }
      : { warm100: 20, posts100: 200, warm1: 500, posts1: 3000, warmBatches: 2, batches: 10 };

    const generate = (count: number, prefix: string, seedOffset: number) =>
      generateEvents(model, {
        count,
        random: mulberry32(ctx.seed + seedOffset),
        idPrefix: prefix,
        day: '2021-03-13',
      });
    const call = async (requests: readonly APIGatewayProxyEventV2[]) => {
      for (const request of requests) {
        const response = await intake(request);
        if (response.statusCode !== 200)
          throw new Error(`intake answered ${response.statusCode}: ${response.body}`);
      }
    };
    const jsonFloor = async (requests: readonly APIGatewayProxyEventV2[], repeat: number) =>
      (await cpuMs(() => {
        for (let r = 0; r < repeat; r++) {
          for (const request of requests) JSON.stringify(JSON.parse(request.body ?? 'null'));
        }
      })) / repeat;

    // Intake, posts of 100.
    await call(posts(generate(sizes.warm100 * 100, 'cpu-w100', 20), 100));
    const batch100 = posts(generate(sizes.posts100 * 100, 'cpu-b100', 21), 100);
    const sample = await intake(batch100[0] as APIGatewayProxyEventV2);
    const accepted = (JSON.parse(sample.body ?? '{}') as { results: { status: string }[] }).results.filter(
      (r) => r.status === 'accepted',
    ).length;
    if (accepted !== 100) throw new Error(`expected 100 accepted events in a sample post, got ${accepted}`);
    const intake100Ms = await cpuMs(() => call(batch100.slice(1)));
    const events100 = (batch100.length - 1) * 100;
    const json100Ms = await jsonFloor(batch100.slice(1), 5);

    // Intake, single-event posts.
    await call(posts(generate(sizes.warm1, 'cpu-w1', 22), 1));
    const single = posts(generate(sizes.posts1, 'cpu-s1', 23), 1);
    const intake1Ms = await cpuMs(() => call(single));
    const json1Ms = await jsonFloor(single, 5);

    const item = store.last;
    if (!item) throw new Error('the intake handler stored nothing');
    ctx.measured.intakeItemBytes = itemSize(storedItem(item));
    ctx.measured.intakeUsPerEvent100 = (intake100Ms * 1000) / events100;
    ctx.measured.intakeUsPerEvent1 = (intake1Ms * 1000) / single.length;

    // Roll-up: the items the intake run stored, as stream batches of 1,000.
    const stored = [...store.items.values()].map(storedItem);
    const batchSize = 1000;
    const needed = (sizes.warmBatches + sizes.batches) * batchSize;
    if (stored.length < needed) throw new Error(`need ${needed} stored items, have ${stored.length}`);
    const events: RollupEvent[] = [];
    for (let b = 0; b < sizes.warmBatches + sizes.batches; b++) {
      const records = stored
        .slice(b * batchSize, (b + 1) * batchSize)
        .map((it, i) => aStreamRecord(sequenceNumber(b * batchSize + i), it));
      events.push({ Records: records, shardId: BENCH_SHARD, state: {} });
    }
    const writer = new CountingTotalsWriter({ sizes: false });
    const rollup = makeRollupHandler({
      totals: writer,
      poison: {
        quarantine: async () => {
          throw new Error('no record should be poison here');
        },
      },
    });
    const runRollup = async (list: readonly RollupEvent[]) => {
      for (const event of list) {
        const response = await rollup(event);
        if (response.batchItemFailures.length > 0) throw new Error('the roll-up reported a failure');
      }
    };
    await runRollup(events.slice(0, sizes.warmBatches));
    const measuredBatches = events.slice(sizes.warmBatches);
    const rollupMs = await cpuMs(() => runRollup(measuredBatches));
    const rollupEvents = measuredBatches.length * batchSize;
    const naiveTotals = new Map<string, number>();
    naiveRollup(events[0]?.Records ?? [], naiveTotals); // warm-up
    const naiveMs = await cpuMs(() => {
      for (const event of measuredBatches) naiveRollup(event.Records, naiveTotals);
    });
    ctx.measured.rollupUsPerEvent = (rollupMs * 1000) / rollupEvents;
    ctx.measured.naiveRollupUsPerEvent = (naiveMs * 1000) / rollupEvents;

    const common =
      'process.cpuUsage (user+sys) after a warm-up; in-memory fakes (no AWS SDK marshalling, HTTP or TLS, which ' +
      `add to the real figure); logs SILENT, metrics off; x86 here, Graviton (arm64) in AWS`;
    const rows = [
      row(
        'cpu.intake.posts100.usPerEvent',
        'intake handler CPU per event, posts of 100',
        ctx.measured.intakeUsPerEvent100,
        'µs',
        'JSON.parse + stringify of the same body',
        (json100Ms * 1000) / events100,
        `${batch100.length - 1} posts of 100 events over the national catalogue (${model.hierarchy.size.toLocaleString('en-US')} units); ${common}`,
      ),
      row(
        'cpu.intake.posts1.usPerEvent',
        'intake handler CPU per event, single-event posts',
        ctx.measured.intakeUsPerEvent1,
        'µs',
        'JSON.parse + stringify of the same body',
        (json1Ms * 1000) / single.length,
        `${single.length.toLocaleString('en-US')} posts of one event; measured as the row above`,
      ),
      row(
        'cpu.rollup.usPerEvent',
        'roll-up handler CPU per event, batches of 1,000',
        ctx.measured.rollupUsPerEvent,
        'µs',
        'naive: unmarshall + 1 in-memory ADD per item',
        ctx.measured.naiveRollupUsPerEvent,
        `${measuredBatches.length} stream batches of ${batchSize} IntakeEvents images (as intake stored them): parse, ` +
          `aggregate, conditional writes to a counting in-memory writer (${writer.writes.toLocaleString('en-US')} writes); the naive baseline's ` +
          `real cost is its ${ctx.measured.naiveWritesPerEvent ?? 8} UpdateItem requests per event, free in memory; measured as the intake rows`,
      ),
    ];
    return {
      rows,
      details: {
        intake100: { posts: batch100.length - 1, cpuMs: intake100Ms, jsonFloorMs: json100Ms },
        intake1: { posts: single.length, cpuMs: intake1Ms, jsonFloorMs: json1Ms },
        rollup: {
          batches: measuredBatches.length,
          cpuMs: rollupMs,
          naiveCpuMs: naiveMs,
          writes: writer.writes,
        },
        intakeItemBytes: ctx.measured.intakeItemBytes,
      },
    };
  },
};

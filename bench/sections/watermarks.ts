/**
 * The watermark projection, measured: a long run of the real roll-up (applyBatch + DynamoTotalsStore)
 * on DynamoDB Local across simulated days, with simulated AWS shard ids that roll over (4 shards open
 * at a time, each replaced every 4 h, 28-digit sequence numbers), the store's clock following the
 * simulation. Every batch touches every unit (the worst case: each item is as hot as the root), 5 %
 * of events are late uploads of the day before. After each simulated hour the root's DAY items are
 * read back as stored and sized by DynamoDB's published rules (bench/lib/dynamo-size.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../infra/local/dynamodb.js';
import { ensureTables } from '../../infra/local/tables.js';
import { addDays } from '../../shared/domain/calendar.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { RolledEvent, RollupRecord } from '../../shared/domain/rollup.js';
import { applyBatch } from '../../shared/rollup/apply.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { campaignTable } from '../../shared/store/tables.js';
import { DynamoTotalsStore, watermarksOf } from '../../shared/store/totals-store.js';
import { WATERMARK_PRUNE_AFTER_HOURS } from '../../shared/store/watermark.js';
import { itemSize, writeUnits } from '../lib/dynamo-size.js';
import { row, type Section } from '../lib/types.js';
import { ASSUMED_SHARDS, SHARD_ROLLOVER_HOURS } from './hotkey.js';

/** As long as the national campaign's id, so the keys weigh what they will. */
const CAMPAIGN = 'cccd-2021-national';
const PATHS: Record<string, string[]> = { C1: ['VN', 'P1'], C2: ['VN', 'P1'] };
const START_DAY = '2021-03-01';
const START = Date.parse(`${START_DAY}T00:00:00Z`) / 1000;
const EVENTS_PER_BATCH = 40;

export const watermarks: Section = {
  name: 'watermarks',
  title: 'Watermarks across shard rollover on DynamoDB Local',
  async run(ctx) {
    const days = ctx.quick ? 2 : 5;
    const dir = mkdtempSync(join(tmpdir(), 'quota-bench-watermarks-'));
    const dynamo = await startDynamoDbLocal({ dbPath: dir });
    try {
      const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
      await ensureTables(client, [{ def: campaignTable, name: 'Campaign-watermarks' }]);
      client.destroy();
      const db = createDocumentClient(localClientConfig(dynamo.endpoint));
      let now = START;
      const store = new DynamoTotalsStore(db, 'Campaign-watermarks', () => now);
      const random = mulberry32(ctx.seed + 60);
      const expected = new Map<string, number>();
      const bytesByDay: number[] = [];
      let maxWatermarks = 0;
      let writes = 0;
      let shards: { id: string; next: bigint }[] = [];
      const started = performance.now();
      for (let hour = 0; hour < days * 24; hour++) {
        if (hour % SHARD_ROLLOVER_HOURS === 0) {
          shards = Array.from({ length: ASSUMED_SHARDS }, (_, i) => ({
            id: `shardId-${String((START + hour * 3600) * 1000 + i).padStart(20, '0')}-${(((hour * 4 + i) * 2_654_435_761) >>> 0).toString(16).padStart(8, '0')}`,
            next: 4_421_584_500_000_000_017_450_439_091n + BigInt(hour) * 10n ** 12n + BigInt(i) * 10n ** 9n,
          }));
        }
        now = START + hour * 3600 + 1800;
        const today = addDays(START_DAY, Math.floor(hour / 24));
        for (const shard of shards) {
          const records: RollupRecord[] = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => {
            const unitId = `C${1 + (i % 2)}`;
            const day = hour >= 24 && random() < 0.05 ? addDays(today, -1) : today;
            const event: RolledEvent = {
              campaignId: CAMPAIGN,
              unitId,
              path: PATHS[unitId] ?? [],
              day,
              count: 1 + Math.floor(random() * 5),
              kind: random() < 0.8 ? 'new' : 'renewal',
              channel: random() < 0.8 ? 'fixed' : 'mobile',
              ...(random() < 0.1 && { group: 'official' }),
            };
            expected.set(day, (expected.get(day) ?? 0) + event.count);
            shard.next += BigInt(1 + Math.floor(random() * 100));
            return { seq: shard.next.toString(), event };
          });
          const result = await applyBatch(records, shard.id, store);
          if (result.failedFrom !== null) throw new Error(`applyBatch failed: ${String(result.errors[0])}`);
          writes += result.writes;
        }
        for (const day of [today, addDays(today, -1)]) {
          const item = await store.getDayItem(CAMPAIGN, 'VN', day);
          if (!item) continue;
          const dayIndex = Math.floor(hour / 24);
          bytesByDay[dayIndex] = Math.max(bytesByDay[dayIndex] ?? 0, itemSize(item));
          maxWatermarks = Math.max(maxWatermarks, watermarksOf(item).size);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      // Exact at the end: the root's running total is the sum of every event.
      const total = (await store.getTotal(CAMPAIGN, 'VN')).count;
      const sum = [...expected.values()].reduce((a, b) => a + b, 0);
      if (total !== sum) throw new Error(`the root total is ${total}, expected ${sum}`);
      db.destroy();

      const maxBytes = Math.max(...bytesByDay);
      const wru = writeUnits(maxBytes);
      ctx.measured.measuredDayItemWru = wru;
      const firstDay = bytesByDay[0] ?? 0;
      const lastDay = bytesByDay.at(-1) ?? 0;
      const setting =
        `${days} simulated days on DynamoDB Local (real applyBatch and DynamoTotalsStore), ${ASSUMED_SHARDS} shards ` +
        `replaced every ${SHARD_ROLLOVER_HOURS} h with AWS-style ids and 28-digit sequence numbers, one batch of ` +
        `${EVENTS_PER_BATCH} events per shard per simulated hour touching every unit (root → province → 2 communes), ` +
        `5 % late uploads of the day before; ${writes.toLocaleString('en-US')} writes in ${seconds.toFixed(0)} s; ` +
        `the root's DAY items read back as stored after each hour and sized by DynamoDB's rules; totals exact`;
      return {
        rows: [
          row(
            'watermarks.dayItem.maxBytes',
            'largest root DAY item over the run (measured size)',
            maxBytes,
            'B',
            '1 write unit (1 KB)',
            1024,
            `${setting}; at most ${maxWatermarks} watermarks on one item (pruned after ${WATERMARK_PRUNE_AFTER_HOURS} h); ` +
              `${wru} WRU per write`,
          ),
          row(
            'watermarks.dayItem.lastDayVsFirst',
            `largest root DAY item on day ${days} (measured)`,
            lastDay,
            'B',
            'on day 1',
            firstDay,
            'the size does not grow with the campaign: an item names only the shards of the last day or so',
          ),
        ],
        details: { days, writes, seconds, bytesByDay, maxWatermarks, wru },
      };
    } finally {
      await dynamo.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Totals items: one DAY item per unit and local day (layout in keys.ts), written by the roll-up with
 * conditional increments, and read by the progress API, the risk job and reports. A unit's running
 * total is not stored: it is the sum of its DAY items, read in one Query (see getTotals). So a total
 * never includes a batch its daily series lacks, and the watermarks live only on items that stop
 * being written a day or so after their day.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addTotals, emptyTotals, type Totals } from '../domain/totals.js';
import { mapConcurrent } from '../util/concurrency.js';
import { batchGetAll } from './batch.js';
import { DAY_SK_PREFIX, dayKey, unitIdOfPartition } from './keys.js';
import { queryAll } from './query-all.js';
import {
  decodeWatermark,
  encodeSeq,
  shardKey,
  WATERMARK_PRUNE_AFTER_HOURS,
  watermarkAgeHours,
  watermarkValue,
} from './watermark.js';

export interface TotalsKey {
  readonly campaignId: string;
  readonly unitId: string;
  /** The local day (campaign time zone) of the events counted. */
  readonly day: string;
}

/** Outcome of a watermarked increment. */
export type ApplyOutcome =
  | {
      readonly applied: true;
      /** The counts of the item (`n`, `k:…`, `c:…`, `g:…`) below zero after the write: a bug to surface, never clamped. */
      readonly negative?: readonly string[];
    }
  | { readonly applied: false; readonly appliedThrough: string | null };

export interface TotalsWriter {
  /**
   * Adds `delta` to the DAY item unless records of `shard` up to `fromSeq` or later were already
   * applied: succeeds only when the item's watermark for the shard is absent or below `fromSeq` (or,
   * when `expected` is given, holds exactly it; null: absent), and then sets it to `toSeq`. Otherwise
   * returns the stored watermark, so the caller can add only the records after it.
   */
  applyDelta(
    key: TotalsKey,
    delta: Totals,
    watermark: { shard: string; fromSeq: string; toSeq: string; expected?: string | null },
    /** The part of `delta` per catalogue epoch ≥ 1, also added to `e<epoch>:…` (shared/domain/reorganise.ts). */
    byEpoch?: ReadonlyMap<number, Totals>,
  ): Promise<ApplyOutcome>;
}

export interface TotalsReader {
  /**
   * Totals of units. Without `day`: each unit's running total, the sum of its DAY items (one Query per
   * unit, concurrently). With `day`: the DAY items of that day, in BatchGetItem requests of 100 (zeros
   * where none).
   */
  getTotals(campaignId: string, unitIds: readonly string[], day?: string): Promise<Map<string, Totals>>;
  /** Daily totals of a unit from `from` through `to` (inclusive; either open), oldest first: one Query. */
  getDays(
    campaignId: string,
    unitId: string,
    from?: string,
    to?: string,
  ): Promise<{ day: string; totals: Totals }[]>;
}

/** Queries in flight when totals of several units are derived. */
const READ_CONCURRENCY = 16;

type Item = Record<string, unknown>;

export function totalsFromItem(item: Item | undefined): Totals {
  const totals = {
    count: 0,
    byKind: {} as Record<string, number>,
    byChannel: {} as Record<string, number>,
    byGroup: {} as Record<string, number>,
  };
  if (!item) return totals;
  totals.count = Number(item.n ?? 0);
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (name.startsWith('k:')) totals.byKind[name.slice(2)] = value;
    else if (name.startsWith('c:')) totals.byChannel[name.slice(2)] = value;
    else if (name.startsWith('g:')) totals.byGroup[name.slice(2)] = value;
  }
  return totals;
}

/**
 * The counts of an item (as written, ALL_NEW) that are below zero. Only corrections subtract: a
 * correction applied before its original (another shard) may do so for a moment; anything else is
 * a bug. Checked on every write, reported by the roll-up as an error and the metric negativeTotals.
 */
export function negativeCounts(item: Item | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(item ?? {})) {
    if (typeof value !== 'number' || value >= 0) continue;
    if (name === 'n' || name.startsWith('k:') || name.startsWith('c:') || name.startsWith('g:'))
      out.push(name);
  }
  return out;
}

/** The watermark attributes of an item (its Binary values), by name. */
export function watermarksOf(item: Item | undefined): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (value instanceof Uint8Array && decodeWatermark(value)) out.set(name, value);
  }
  return out;
}

export class DynamoTotalsStore implements TotalsWriter, TotalsReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async applyDelta(
    key: TotalsKey,
    delta: Totals,
    watermark: { shard: string; fromSeq: string; toSeq: string; expected?: string | null },
    byEpoch?: ReadonlyMap<number, Totals>,
  ): Promise<ApplyOutcome> {
    const names: Record<string, string> = { '#w': shardKey(watermark.shard), '#u': 'u' };
    const values: Record<string, unknown> = {
      ':n': delta.count,
      ':to': watermarkValue(watermark.toSeq, this.nowSeconds()),
      ':one': 1,
    };
    // `u` counts every write, so a reorganisation's transfer can condition on "unchanged since read".
    const adds = ['n :n', '#u :one'];
    let i = 0;
    // The epoch-tagged copies (`e<epoch>:n`, `e<epoch>:k:…`) of the parts of epoch ≥ 1.
    const tagged: [string, Totals][] = [
      ['', delta],
      ...[...(byEpoch ?? [])].map(([e, t]): [string, Totals] => [`e${e}:`, t]),
    ];
    for (const [tag, part] of tagged) {
      if (tag !== '') {
        names[`#a${i}`] = `${tag}n`;
        values[`:a${i}`] = part.count;
        adds.push(`#a${i} :a${i}`);
        i++;
      }
      for (const [prefix, counts] of [
        ['k:', part.byKind],
        ['c:', part.byChannel],
        ['g:', part.byGroup],
      ] as const) {
        for (const [code, n] of Object.entries(counts)) {
          names[`#a${i}`] = `${tag}${prefix}${code}`;
          values[`:a${i}`] = n;
          adds.push(`#a${i} :a${i}`);
          i++;
        }
      }
    }
    let condition: string;
    if (watermark.expected === undefined) {
      condition = 'attribute_not_exists(#w) OR #w < :from';
      values[':from'] = encodeSeq(watermark.fromSeq);
    } else if (watermark.expected === null) {
      condition = 'attribute_not_exists(#w)';
    } else {
      // Exactly `expected`, whatever the hour suffix (see watermark.ts).
      condition = '#w >= :lo AND #w < :hi';
      values[':lo'] = encodeSeq(watermark.expected);
      values[':hi'] = encodeSeq(BigInt(watermark.expected) + 1n);
    }
    const itemKey = dayKey(key.campaignId, key.unitId, key.day);
    let item: Item | undefined;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: `SET #w = :to ADD ${adds.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      item = result.Attributes;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = decodeWatermark(error.Item?.[names['#w'] as string]?.B);
      return { applied: false, appliedThrough: stored === null ? null : stored.seq };
    }
    await this.pruneWatermarks(itemKey, item);
    const negative = negativeCounts(item);
    return negative.length > 0 ? { applied: true, negative } : { applied: true };
  }

  /** Removes the watermarks no shard has written for WATERMARK_PRUNE_AFTER_HOURS (see watermark.ts). */
  private async pruneWatermarks(itemKey: Record<string, unknown>, item: Item | undefined) {
    const now = this.nowSeconds();
    const stale = [...watermarksOf(item)].filter(
      ([, value]) => (watermarkAgeHours(value, now) ?? 0) >= WATERMARK_PRUNE_AFTER_HOURS,
    );
    if (stale.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    stale.forEach(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      conditions.push(`#s${i} = :s${i}`);
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: `REMOVE ${stale.map((_, i) => `#s${i}`).join(', ')}`,
          // Only if untouched since read: a shard that wrote meanwhile keeps its watermark.
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getTotals(
    campaignId: string,
    unitIds: readonly string[],
    day?: string,
  ): Promise<Map<string, Totals>> {
    const unique = [...new Set(unitIds)];
    if (day === undefined) {
      const sums = await mapConcurrent(unique, READ_CONCURRENCY, async (id) =>
        sumOf(await this.getDays(campaignId, id)),
      );
      return new Map(unique.map((id, i) => [id, sums[i] ?? emptyTotals()]));
    }
    const result = new Map<string, Totals>(unique.map((id) => [id, emptyTotals()]));
    const keys = unique.map((id) => dayKey(campaignId, id, day));
    for (const item of await batchGetAll(this.db, this.tableName, keys)) {
      result.set(unitIdOfPartition(String(item.pk)), totalsFromItem(item));
    }
    return result;
  }

  async getDays(campaignId: string, unitId: string, from?: string, to?: string, consistent = false) {
    const { pk } = dayKey(campaignId, unitId, '');
    const low = `${DAY_SK_PREFIX}${from ?? ''}`;
    const high = `${DAY_SK_PREFIX}${to ?? '9999-12-31'}`;
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': pk, ':low': low, ':high': high },
      ...(consistent && { ConsistentRead: true }),
    });
    return items.map((item) => ({
      day: String(item.sk).slice(DAY_SK_PREFIX.length),
      totals: totalsFromItem(item),
    }));
  }

  /** A unit's running total read strongly consistent (tests and tools): the sum of its DAY items. */
  async getTotal(campaignId: string, unitId: string): Promise<Totals> {
    return sumOf(await this.getDays(campaignId, unitId, undefined, undefined, true));
  }

  /** One DAY item as stored (watermarks included), read strongly consistent: tests and the bench. */
  async getDayItem(campaignId: string, unitId: string, day: string): Promise<Item | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: dayKey(campaignId, unitId, day),
        ConsistentRead: true,
      }),
    );
    return Item;
  }
}

const sumOf = (days: readonly { totals: Totals }[]): Totals =>
  days.reduce((sum, d) => addTotals(sum, d.totals), emptyTotals());

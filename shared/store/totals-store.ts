/**
 * Totals items (TOTAL and DAY#yyyy-mm-dd per unit; layout in keys.ts): conditional increments for
 * the roll-up, and reads for the progress API, the risk job and reports.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Totals } from '../domain/totals.js';
import { DAY_SK_PREFIX, totalsKey } from './keys.js';
import { queryAll } from './query-all.js';

export interface TotalsKey {
  readonly campaignId: string;
  readonly unitId: string;
  /** The local day, or null for the running TOTAL. */
  readonly day: string | null;
}

/** Outcome of a watermarked increment. */
export type ApplyOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly appliedThrough: string | null };

export interface TotalsWriter {
  /**
   * Adds `delta` to the item unless records of `shard` up to `fromSeq` or later were already applied:
   * succeeds only when the item's watermark for the shard is absent or below `fromSeq` (or, when
   * `expectedWatermark` is given, equal to it), and then sets it to `toSeq`. Otherwise returns the
   * stored watermark, so the caller can add only the records after it.
   */
  applyDelta(
    key: TotalsKey,
    delta: Totals,
    watermark: { shard: string; fromSeq: string; toSeq: string; expected?: string | null },
  ): Promise<ApplyOutcome>;
}

export interface TotalsReader {
  /**
   * Totals of units read in BatchGetItem requests of 100: their running TOTAL items, or with `day`
   * their DAY items of that day (zeros where none).
   */
  getTotals(campaignId: string, unitIds: readonly string[], day?: string): Promise<Map<string, Totals>>;
  /** Daily totals of a unit from `from` through `to` (inclusive; either open), oldest first. */
  getDays(
    campaignId: string,
    unitId: string,
    from?: string,
    to?: string,
  ): Promise<{ day: string; totals: Totals }[]>;
}

const WATERMARK_PREFIX = 'w:';
/** Zero-padded to 40 digits, sequence numbers compare as strings exactly as they compare as numbers. */
export const padSequence = (seq: string) => seq.padStart(40, '0');

/**
 * A watermark is stored as `<sequence, 40 digits>|<epoch seconds of the write>`. The suffix does not
 * change comparisons (`w < from` still compares the 40 digits first, and `begins_with` tests equality),
 * and it says when the shard last touched the item. Stream records live 24 h, so once a watermark has
 * not been written for WATERMARK_PRUNE_AFTER_SECONDS, no record at or below it can be delivered again:
 * it is removed, and items do not collect one attribute per shard forever (shards roll over every
 * few hours; without pruning the hottest items would grow by ~2 KB a day and each write would cost more).
 */
export const WATERMARK_PRUNE_AFTER_SECONDS = 30 * 3600;
const sequenceOf = (stored: string) => (stored.split('|')[0] ?? stored).replace(/^0+(?=\d)/, '');
const writtenAt = (stored: string): number | null => {
  const t = Number(stored.split('|')[1]);
  return Number.isFinite(t) && t > 0 ? t : null;
};

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
  ): Promise<ApplyOutcome> {
    const names: Record<string, string> = { '#w': `${WATERMARK_PREFIX}${watermark.shard}` };
    const values: Record<string, unknown> = {
      ':n': delta.count,
      ':to': `${padSequence(watermark.toSeq)}|${this.nowSeconds()}`,
      ':campaignId': key.campaignId,
      ':unitId': key.unitId,
    };
    const adds = ['n :n'];
    let i = 0;
    for (const [prefix, counts] of [
      ['k:', delta.byKind],
      ['c:', delta.byChannel],
      ['g:', delta.byGroup],
    ] as const) {
      for (const [code, n] of Object.entries(counts)) {
        names[`#a${i}`] = `${prefix}${code}`;
        values[`:a${i}`] = n;
        adds.push(`#a${i} :a${i}`);
        i++;
      }
    }
    const sets = ['#w = :to', 'campaignId = :campaignId', 'unitId = :unitId'];
    if (key.day !== null) {
      sets.push('#day = :day');
      names['#day'] = 'day';
      values[':day'] = key.day;
    }
    let condition: string;
    if (watermark.expected === undefined) {
      condition = 'attribute_not_exists(#w) OR #w < :from';
      values[':from'] = padSequence(watermark.fromSeq);
    } else if (watermark.expected === null) {
      condition = 'attribute_not_exists(#w)';
    } else {
      condition = 'begins_with(#w, :expected)';
      values[':expected'] = padSequence(watermark.expected);
    }
    const itemKey = totalsKey(key.campaignId, key.unitId, key.day);
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
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
      const stored = error.Item?.[names['#w'] as string]?.S;
      return { applied: false, appliedThrough: stored === undefined ? null : sequenceOf(stored) };
    }
    await this.pruneWatermarks(itemKey, item);
    return { applied: true };
  }

  /** Removes the watermarks no shard has written for WATERMARK_PRUNE_AFTER_SECONDS (see above). */
  private async pruneWatermarks(itemKey: Record<string, unknown>, item: Record<string, unknown> | undefined) {
    const cutoff = this.nowSeconds() - WATERMARK_PRUNE_AFTER_SECONDS;
    const stale = Object.entries(item ?? {}).filter(
      ([name, value]) =>
        name.startsWith(WATERMARK_PREFIX) &&
        typeof value === 'string' &&
        (writtenAt(value) ?? cutoff) < cutoff,
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
    const result = new Map<string, Totals>(unitIds.map((id) => [id, totalsFromItem(undefined)]));
    const unique = [...new Set(unitIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(i, i + 100)
        .map((id) => totalsKey(campaignId, id, day ?? null));
      for (let round = 0; keys && keys.length > 0; round++) {
        if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
        if (round > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
        const response: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          result.set(String(item.unitId), totalsFromItem(item));
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return result;
  }

  async getDays(campaignId: string, unitId: string, from?: string, to?: string) {
    const { pk } = totalsKey(campaignId, unitId, null);
    const low = `${DAY_SK_PREFIX}${from ?? ''}`;
    const high = `${DAY_SK_PREFIX}${to ?? '9999-12-31'}`;
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': pk, ':low': low, ':high': high },
    });
    return items.map((item) => ({
      day: String(item.sk).slice(DAY_SK_PREFIX.length),
      totals: totalsFromItem(item),
    }));
  }

  /** One TOTAL item, read strongly consistent (tests and tools). */
  async getTotal(campaignId: string, unitId: string): Promise<Totals> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: totalsKey(campaignId, unitId, null),
        ConsistentRead: true,
      }),
    );
    return totalsFromItem(Item);
  }
}

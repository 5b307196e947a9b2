/**
 * Records ordered by their end time, with an id pointer (silences, acknowledgements): the record's
 * sort key starts with its `until` (UTC), so the records still holding at a time are one Query
 * (`sk BETWEEN <prefix><time> AND <end>`) that never reads ended ones, and a pointer
 * (`<id>` → until) finds a record by id. Key layouts in keys.ts.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UntilOrderedKeys } from './keys.js';
import { queryAll } from './query-all.js';
import { transactWrite } from './transact.js';

type Item = Record<string, NativeAttributeValue>;

export interface UntilOrderedLayout extends UntilOrderedKeys {
  /** The `type` attribute of records and of pointers. */
  readonly type: string;
  readonly pointerType: string;
}

/** A stored record without its keys and type. */
function recordOf(item: Item): Item {
  const { pk: _pk, sk: _sk, type: _type, ...record } = item;
  return record;
}

export class UntilOrderedItems {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly layout: UntilOrderedLayout,
  ) {}

  /** Writes the record and its pointer in one transaction; both must be new. */
  async create(campaignId: string, id: string, untilUtc: string, record: Item): Promise<void> {
    const { layout } = this;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...record, ...layout.key(campaignId, untilUtc, id), type: layout.type },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...layout.pointerKey(campaignId, id), type: layout.pointerType, until: untilUtc },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async get(campaignId: string, id: string): Promise<Item | null> {
    const until = await this.untilOf(campaignId, id);
    if (until === null) return null;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.layout.key(campaignId, until, id),
        ConsistentRead: true,
      }),
    );
    return Item ? recordOf(Item) : null;
  }

  /** The records whose `until` is after `after`, soonest ending first. */
  async endingAfter(campaignId: string, after: Date): Promise<Item[]> {
    const from = after.toISOString();
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': this.layout.partition(campaignId),
        ':from': `${this.layout.skPrefix}${from}`,
        ':to': this.layout.skEnd,
      },
      ConsistentRead: true,
    });
    // BETWEEN is inclusive: a record ending exactly then is over.
    return items.map(recordOf).filter((r) => typeof r.until === 'string' && r.until > from);
  }

  /** Deletes the record and its pointer; false when there is no such record. */
  async delete(campaignId: string, id: string): Promise<boolean> {
    const until = await this.untilOf(campaignId, id);
    if (until === null) return false;
    return transactWrite(this.db, [
      {
        Delete: {
          TableName: this.tableName,
          Key: this.layout.key(campaignId, until, id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      { Delete: { TableName: this.tableName, Key: this.layout.pointerKey(campaignId, id) } },
    ]);
  }

  /** The record's `until`, from its pointer; null when there is no such record. */
  async untilOf(campaignId: string, id: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.layout.pointerKey(campaignId, id),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.until === 'string' ? Item.until : null;
  }
}

/**
 * Silences (docs/ARCHITECTURE.md §4): an administrator mutes a unit and its subtree until a time, with a reason.
 * The persistence port and its DynamoDB adapter (Campaign table; keys in keys.ts); the service the
 * HTTP handler and the CLI use is shared/services/silences.ts.
 *
 * The sort key starts with the end time (UTC), so a campaign's active silences are one Query
 * (`sk BETWEEN S#<now> AND S$`) that never reads expired ones; the risk job reads them that way once
 * per evaluation. An id pointer (`SID#<id>` → until) lets DELETE find a silence by id.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SilenceRecord } from '../schemas/recipients.js';
import {
  SILENCE_SK_END,
  SILENCE_SK_PREFIX,
  silenceKey,
  silencePointerKey,
  silencesPartition,
} from './keys.js';
import { queryAll } from './query-all.js';

export interface SilenceStore {
  create(silence: SilenceRecord): Promise<void>;
  get(campaignId: string, silenceId: string): Promise<SilenceRecord | null>;
  /** Silences whose `until` is after `now`, soonest ending first. */
  listActive(campaignId: string, now: Date): Promise<SilenceRecord[]>;
  /** False when there is no such silence. */
  delete(campaignId: string, silenceId: string): Promise<boolean>;
}

function toSilence(item: Record<string, unknown>): SilenceRecord {
  const { pk: _pk, sk: _sk, type: _type, ...silence } = item;
  return silence as SilenceRecord;
}

export class DynamoSilenceStore implements SilenceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(silence: SilenceRecord): Promise<void> {
    const until = new Date(silence.until).toISOString();
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...silence,
                until,
                ...silenceKey(silence.campaignId, until, silence.id),
                type: 'silence',
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...silencePointerKey(silence.campaignId, silence.id), type: 'silencePointer', until },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async get(campaignId: string, silenceId: string): Promise<SilenceRecord | null> {
    const until = await this.untilOf(campaignId, silenceId);
    if (until === null) return null;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: silenceKey(campaignId, until, silenceId),
        ConsistentRead: true,
      }),
    );
    return Item ? toSilence(Item) : null;
  }

  async listActive(campaignId: string, now: Date): Promise<SilenceRecord[]> {
    const nowIso = now.toISOString();
    const silences = (
      await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': silencesPartition(campaignId),
          ':from': `${SILENCE_SK_PREFIX}${nowIso}`,
          ':to': SILENCE_SK_END,
        },
        ConsistentRead: true,
      })
    ).map(toSilence);
    // BETWEEN is inclusive: a silence ending exactly now is over.
    return silences.filter((s) => s.until > nowIso);
  }

  async delete(campaignId: string, silenceId: string): Promise<boolean> {
    const until = await this.untilOf(campaignId, silenceId);
    if (until === null) return false;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: silenceKey(campaignId, until, silenceId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            { Delete: { TableName: this.tableName, Key: silencePointerKey(campaignId, silenceId) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  private async untilOf(campaignId: string, silenceId: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: silencePointerKey(campaignId, silenceId),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.until === 'string' ? Item.until : null;
  }
}

/**
 * The alert outbox: every message a job decides to send is first recorded here under a key that
 * the decision determines (evaluation time, scope, language, channel), with a conditional write,
 * so that a retried job cannot send anything twice. Messages are published when due (SMS held in
 * quiet hours has a later release time) and then marked sent.
 *
 * Items (partition `C#<campaignId>#OUTBOX`): `K#<key>` holds the message and its status for good;
 * `P#<releaseAt>#<key>` exists while it waits, so due messages are one Query, however many were sent.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry, SentEntry, SmsBudgetMonth } from '../domain/outbox.js';
import type { AlertMessage } from '../vocabulary/alerts.js';
import { feedCollection, outboxPk, smsBudgetKey } from './keys.js';
import { queryAll } from './query-all.js';
import { transactWrite } from './transact.js';

export type { OutboxEntry, SentEntry, SmsBudgetMonth } from '../domain/outbox.js';

/** The SMS budget's reads and marks (the count itself grows with `enqueue`). */
export interface SmsBudget {
  get(campaignId: string, month: string): Promise<SmsBudgetMonth>;
  /** Sets the time once (an earlier mark stays). */
  mark(campaignId: string, month: string, what: 'noticeAt' | 'cappedAt', at: Date): Promise<void>;
}

export interface Outbox {
  /** Records the entry unless its key is already known: 'exists' means a retry. */
  enqueue(entry: OutboxEntry): Promise<'enqueued' | 'exists'>;
  /** Pending entries whose release time has come, oldest first. */
  due(campaignId: string, now: Date): Promise<OutboxEntry[]>;
  markSent(entry: OutboxEntry, messageId: string, at: Date): Promise<void>;
}

const toEntry = (item: Record<string, unknown>): OutboxEntry => ({
  key: String(item.key),
  campaignId: String(item.campaignId),
  releaseAt: String(item.releaseAt),
  message: item.message as AlertMessage,
  ...(Array.isArray(item.about) && { about: item.about.map(String) }),
});

const toSentEntry = (item: Record<string, unknown>): SentEntry => ({
  ...toEntry(item),
  status: item.status as 'pending' | 'sent',
  ...(item.sentAt !== undefined && { sentAt: String(item.sentAt) }),
  ...(item.messageId !== undefined && { messageId: String(item.messageId) }),
});

const pendingSk = (e: Pick<OutboxEntry, 'releaseAt' | 'key'>) => `P#${e.releaseAt}#${e.key}`;

/**
 * A message's record is kept 400 days after its release (TTL `expiresAt`): long past any retry of
 * the job that decided it, and past the campaign, so the outbox does not grow without end.
 */
const RETENTION_SECONDS = 400 * 86_400;
const expiresAt = (releaseAt: string) => Math.floor(Date.parse(releaseAt) / 1000) + RETENTION_SECONDS;

export class DynamoOutbox implements Outbox, SmsBudget {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async enqueue(entry: OutboxEntry): Promise<'enqueued' | 'exists'> {
    const pk = outboxPk(entry.campaignId);
    const written = await transactWrite(
      this.db,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              pk,
              sk: `K#${entry.key}`,
              ...entry,
              status: 'pending',
              expiresAt: expiresAt(entry.releaseAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: { pk, sk: pendingSk(entry), ...entry } } },
        ...(entry.smsCost && entry.smsCost.count > 0
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key: smsBudgetKey(entry.campaignId, entry.smsCost.month),
                  UpdateExpression: 'ADD #n :n SET campaignId = :c',
                  ExpressionAttributeNames: { '#n': 'count' },
                  ExpressionAttributeValues: { ':n': entry.smsCost.count, ':c': entry.campaignId },
                },
              },
            ]
          : []),
      ],
      // Only the record's own condition (the first item) means it is there already.
      (error) =>
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed',
    );
    return written ? 'enqueued' : 'exists';
  }

  async due(campaignId: string, now: Date): Promise<OutboxEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: {
        ':pk': outboxPk(campaignId),
        ':low': 'P#',
        ':high': `P#${now.toISOString()}~`,
      },
      ConsistentRead: true,
    });
    return items.map(toEntry);
  }

  async markSent(entry: OutboxEntry, messageId: string, at: Date): Promise<void> {
    const pk = outboxPk(entry.campaignId);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: { pk, sk: pendingSk(entry) } } },
          // The unit's feed: a copy in its scope's partition, by the time it went out (read consistently).
          {
            Put: {
              TableName: this.tableName,
              Item: {
                pk: feedCollection(entry.campaignId, entry.message.attributes.scope),
                sk: `${at.toISOString()}#${entry.key}`,
                ...entry,
                status: 'sent',
                sentAt: at.toISOString(),
                messageId,
                expiresAt: expiresAt(entry.releaseAt),
              },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: { pk, sk: `K#${entry.key}` },
              UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':sent': 'sent', ':at': at.toISOString(), ':id': messageId },
            },
          },
        ],
      }),
    );
  }

  async get(campaignId: string, month: string): Promise<SmsBudgetMonth> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: smsBudgetKey(campaignId, month),
        ConsistentRead: true,
      }),
    );
    return {
      count: Number(Item?.count ?? 0),
      noticeAt: typeof Item?.noticeAt === 'string' ? Item.noticeAt : null,
      cappedAt: typeof Item?.cappedAt === 'string' ? Item.cappedAt : null,
    };
  }

  async mark(campaignId: string, month: string, what: 'noticeAt' | 'cappedAt', at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: smsBudgetKey(campaignId, month),
        UpdateExpression: 'SET #w = if_not_exists(#w, :at), campaignId = :c',
        ExpressionAttributeNames: { '#w': what },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':c': campaignId },
      }),
    );
  }

  /**
   * Messages sent to a unit's leaders in [from, to] (ISO): one Query of the copies markSent keeps in
   * the unit's feed partition (the alerts feed).
   */
  async forScope(campaignId: string, unitId: string, from: string, to: string): Promise<SentEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': feedCollection(campaignId, unitId),
        ':from': from,
        ':to': `${to}~`,
      },
      ConsistentRead: true,
    });
    return items.map(toSentEntry);
  }

  /** Every entry ever recorded for a campaign (operators and tests). */
  async all(campaignId: string): Promise<SentEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :k)',
      ExpressionAttributeValues: { ':pk': outboxPk(campaignId), ':k': 'K#' },
      ConsistentRead: true,
    });
    return items.map(toSentEntry);
  }
}

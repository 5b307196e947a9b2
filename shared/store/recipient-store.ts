/**
 * The leaders' registry: its persistence port and the DynamoDB adapter (Campaign table; key layout in
 * keys.ts). A campaign's recipients are one Query; a unit's are one Query on the `R#<unitId>#` prefix
 * (what the local SNS stand-in reads per publish). Every write is one transaction that also keeps
 *  - the id pointer (`RID#<id>` → unitId), so DELETE /recipients/{id} finds the item without a Scan;
 *  - one endpoint claim per phone number or e-mail address and campaign: within a campaign an
 *    endpoint belongs to one recipient; several campaigns may register it. SNS keeps one subscription
 *    per endpoint and topic, so the registry reads an endpoint's registrations in every campaign
 *    (`registrationsOf`, one Query on its claims) to compute that subscription's `$or` policy.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Recipient } from '../schemas/recipients.js';
import type { ContactChannel } from '../vocabulary/alerts.js';
import type { Problem } from '../vocabulary/problem.js';
import {
  ENDPOINT_CLAIM_SK_PREFIX,
  endpointClaimKey,
  endpointPartition,
  RECIPIENT_SK_PREFIX,
  recipientKey,
  recipientPointerKey,
  recipientsPartition,
  recipientUnitPrefix,
} from './keys.js';
import { queryAll } from './query-all.js';
import { isTransactionCancelled, type TransactItems, transactWrite } from './transact.js';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

const PROBLEMS: Record<RegistryError['kind'], Pick<Problem, 'status' | 'title'>> = {
  invalid: { status: 400, title: 'Invalid request' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  upstream: { status: 502, title: 'Upstream service failed' },
};

/**
 * A registry operation refused, for a reason the caller can act on. The HTTP handlers answer with
 * `problem`; the CLIs print the message.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'conflict' | 'upstream',
    message: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(message);
  }

  /** The HTTP answer: invalid 400, not_found 404, conflict 409, upstream 502. */
  get problem(): Problem {
    return { ...PROBLEMS[this.kind], detail: this.message, ...(this.errors && { errors: this.errors }) };
  }
}

export interface RecipientStore {
  get(campaignId: string, recipientId: string): Promise<Recipient | null>;
  /** A campaign's recipients, by unit then id. */
  list(campaignId: string): Promise<Recipient[]>;
  /** One unit's recipients (not its subtree's). */
  listByUnit(campaignId: string, unitId: string): Promise<Recipient[]>;
  /** Stores a new recipient. RegistryError conflict when its id exists or an endpoint is taken. */
  create(recipient: Recipient): Promise<void>;
  /**
   * Replaces `previous` (as read) by `next` (same id): RegistryError conflict when the stored item is
   * no longer `previous` (a concurrent change) or a new endpoint is taken.
   */
  replace(next: Recipient, previous: Recipient): Promise<void>;
  /** Deletes it; RegistryError not_found when it is not stored. */
  delete(recipient: Recipient): Promise<void>;
  /**
   * Every registration of a number or address, in every campaign (one per campaign at most): what
   * its one SNS subscription must serve. Internal to the registry: never shown to an administrator.
   */
  registrationsOf(protocol: ContactChannel, endpoint: string): Promise<Recipient[]>;
}

const PROTOCOLS: readonly ContactChannel[] = ['sms', 'email'];

function toRecipient(item: Record<string, unknown>): Recipient {
  const { pk: _pk, sk: _sk, type: _type, ...recipient } = item;
  return { subscriptions: {}, ...recipient } as Recipient;
}

/** The claim key of a channel, or null when the recipient has no endpoint there. */
function claimOf(recipient: Recipient, protocol: ContactChannel) {
  const endpoint = recipient[protocol];
  return endpoint === undefined ? null : endpointClaimKey(protocol, endpoint, recipient.campaignId);
}

export class DynamoRecipientStore implements RecipientStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(campaignId: string, recipientId: string): Promise<Recipient | null> {
    const { Item: pointer } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: recipientPointerKey(campaignId, recipientId),
        ConsistentRead: true,
      }),
    );
    if (!pointer || typeof pointer.unitId !== 'string') return null;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: recipientKey(campaignId, pointer.unitId, recipientId),
        ConsistentRead: true,
      }),
    );
    return Item ? toRecipient(Item) : null;
  }

  list(campaignId: string): Promise<Recipient[]> {
    return this.query(campaignId, RECIPIENT_SK_PREFIX);
  }

  listByUnit(campaignId: string, unitId: string): Promise<Recipient[]> {
    return this.query(campaignId, recipientUnitPrefix(unitId));
  }

  async registrationsOf(protocol: ContactChannel, endpoint: string): Promise<Recipient[]> {
    const claims = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': endpointPartition(protocol, endpoint),
        ':prefix': ENDPOINT_CLAIM_SK_PREFIX,
      },
      ConsistentRead: true,
    });
    const found = await Promise.all(claims.map((c) => this.get(String(c.campaignId), String(c.recipientId))));
    return found.filter((r): r is Recipient => r !== null);
  }

  async create(recipient: Recipient): Promise<void> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.item(recipient),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: this.pointer(recipient),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    const claims: ContactChannel[] = [];
    for (const protocol of PROTOCOLS) {
      const key = claimOf(recipient, protocol);
      if (!key) continue;
      claims.push(protocol);
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...key,
            type: 'endpointClaim',
            campaignId: recipient.campaignId,
            recipientId: recipient.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    await this.transact(items, recipient, [
      `recipient ${recipient.id} already exists`,
      `recipient ${recipient.id} already exists`,
      ...claims,
    ]);
  }

  async replace(next: Recipient, previous: Recipient): Promise<void> {
    if (next.id !== previous.id || next.campaignId !== previous.campaignId) {
      throw new Error('replace() keeps a recipient in its campaign under its id');
    }
    const changed = `recipient ${next.id} was changed by someone else meanwhile; read it again and retry`;
    const items: TransactItems = [];
    const reasons: (ContactChannel | string)[] = [];
    const sameUnit = next.unitId === previous.unitId;
    if (sameUnit) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: this.item(next),
          ConditionExpression: 'updatedAt = :previous',
          ExpressionAttributeValues: { ':previous': previous.updatedAt },
        },
      });
      reasons.push(changed);
    } else {
      items.push(
        {
          Delete: {
            TableName: this.tableName,
            Key: recipientKey(previous.campaignId, previous.unitId, previous.id),
            ConditionExpression: 'updatedAt = :previous',
            ExpressionAttributeValues: { ':previous': previous.updatedAt },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: this.item(next),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: this.pointer(next) } },
      );
      reasons.push(changed, changed, changed);
    }
    for (const protocol of PROTOCOLS) {
      const before = claimOf(previous, protocol);
      const after = claimOf(next, protocol);
      if (before?.pk === after?.pk) continue;
      if (before) {
        items.push({
          Delete: {
            TableName: this.tableName,
            Key: before,
            ConditionExpression: 'attribute_not_exists(pk) OR recipientId = :id',
            ExpressionAttributeValues: { ':id': previous.id },
          },
        });
        reasons.push(changed);
      }
      if (after) {
        items.push({
          Put: {
            TableName: this.tableName,
            Item: { ...after, type: 'endpointClaim', campaignId: next.campaignId, recipientId: next.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
        reasons.push(protocol);
      }
    }
    await this.transact(items, next, reasons);
  }

  async delete(recipient: Recipient): Promise<void> {
    const items: TransactItems = [
      {
        Delete: {
          TableName: this.tableName,
          Key: recipientKey(recipient.campaignId, recipient.unitId, recipient.id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      { Delete: { TableName: this.tableName, Key: recipientPointerKey(recipient.campaignId, recipient.id) } },
    ];
    for (const protocol of PROTOCOLS) {
      const key = claimOf(recipient, protocol);
      if (!key) continue;
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'attribute_not_exists(pk) OR recipientId = :id',
          ExpressionAttributeValues: { ':id': recipient.id },
        },
      });
    }
    if (!(await transactWrite(this.db, items))) {
      throw new RegistryError(
        'not_found',
        `No recipient ${recipient.id} in campaign ${recipient.campaignId}`,
      );
    }
  }

  private item(recipient: Recipient): Record<string, unknown> {
    return {
      ...recipient,
      ...recipientKey(recipient.campaignId, recipient.unitId, recipient.id),
      type: 'recipient',
    };
  }

  private pointer(recipient: Recipient): Record<string, unknown> {
    return {
      ...recipientPointerKey(recipient.campaignId, recipient.id),
      type: 'recipientPointer',
      unitId: recipient.unitId,
    };
  }

  /**
   * Runs the transaction; when a condition fails, says which one: `reasons[i]` is the message for
   * item i, or the protocol whose endpoint claim it is (then the holder is named).
   */
  private async transact(
    items: TransactItems,
    recipient: Recipient,
    reasons: readonly (ContactChannel | string)[],
  ): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isTransactionCancelled(error)) throw error;
      const codes = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const failed = codes.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      const reason = reasons[failed] ?? 'a concurrent change; retry';
      if (reason === 'sms' || reason === 'email') {
        const endpoint = recipient[reason] ?? '';
        const { Item } = await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: endpointClaimKey(reason, endpoint, recipient.campaignId),
            ConsistentRead: true,
          }),
        );
        // Claims are per campaign, so the holder is of the caller's own campaign; other campaigns'
        // registrations of the same endpoint never conflict and are never named.
        const holder = Item ? ` by recipient ${String(Item.recipientId)}` : '';
        throw new RegistryError(
          'conflict',
          `${reason} ${endpoint} is already registered in this campaign${holder}: within a campaign a ${reason === 'sms' ? 'number' : 'address'} belongs to one recipient`,
          [{ path: reason, message: `is already registered in this campaign${holder}` }],
        );
      }
      throw new RegistryError('conflict', reason);
    }
  }

  private async query(campaignId: string, prefix: string): Promise<Recipient[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': recipientsPartition(campaignId), ':prefix': prefix },
      ConsistentRead: true,
    });
    return items.map(toRecipient);
  }
}

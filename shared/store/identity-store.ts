/**
 * The users and clients registry: persistence port and DynamoDB adapter (Campaign table; key
 * layout in keys.ts). Creates are conditional (no second user with one e-mail), changes are
 * conditional on the item as read (a concurrent change is a conflict, never lost).
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientRecord, UserRecord } from '../domain/identity.js';
import { CLIENTS_PARTITION, clientKey, USERS_PARTITION, userKey } from './keys.js';
import { queryAll } from './query-all.js';
import { RegistryError } from './recipient-store.js';

export interface IdentityStore {
  getUser(email: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** RegistryError conflict when the e-mail is taken. */
  createUser(user: UserRecord): Promise<void>;
  /** RegistryError conflict when the stored item is no longer `previous`. */
  replaceUser(next: UserRecord, previous: UserRecord): Promise<void>;
  deleteUser(user: UserRecord): Promise<void>;
  getClient(clientId: string): Promise<ClientRecord | null>;
  listClients(): Promise<ClientRecord[]>;
  createClient(client: ClientRecord): Promise<void>;
  deleteClient(client: ClientRecord): Promise<void>;
}

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

export class DynamoIdentityStore implements IdentityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getUser(email: string): Promise<UserRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: userKey(email), ConsistentRead: true }),
    );
    return Item ? strip<UserRecord>(Item) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': USERS_PARTITION },
      ConsistentRead: true,
    });
    return items.map((i) => strip<UserRecord>(i));
  }

  async createUser(user: UserRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...userKey(user.email), ...user },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new RegistryError('conflict', `A user ${user.email} exists already`);
      throw error;
    }
  }

  async replaceUser(next: UserRecord, previous: UserRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...userKey(next.email), ...next },
          ConditionExpression: 'updatedAt = :previous',
          ExpressionAttributeValues: { ':previous': previous.updatedAt },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new RegistryError('conflict', `User ${next.email} was changed meanwhile; try again`);
      throw error;
    }
  }

  async deleteUser(user: UserRecord): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: userKey(user.email),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new RegistryError('not_found', `No user ${user.email}`);
      throw error;
    }
  }

  async getClient(clientId: string): Promise<ClientRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: clientKey(clientId), ConsistentRead: true }),
    );
    return Item ? strip<ClientRecord>(Item) : null;
  }

  async listClients(): Promise<ClientRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': CLIENTS_PARTITION },
      ConsistentRead: true,
    });
    return items.map((i) => strip<ClientRecord>(i));
  }

  async createClient(client: ClientRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...clientKey(client.clientId), ...client },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new RegistryError('conflict', `A client ${client.clientId} exists already`);
      throw error;
    }
  }

  async deleteClient(client: ClientRecord): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: clientKey(client.clientId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new RegistryError('not_found', `No client ${client.clientId}`);
      throw error;
    }
  }
}

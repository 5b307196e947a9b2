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

/**
 * One kind of record in its own partition, by id: read strongly consistent, listed by Query, and
 * written only on a condition whose failure says what happened (taken, changed meanwhile, gone).
 */
class RecordSet<T extends object> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly partition: string,
    private readonly keyOf: (id: string) => { pk: string; sk: string },
    /** `user`, `client`: how messages name the record. */
    private readonly noun: string,
  ) {}

  async get(id: string): Promise<T | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.keyOf(id), ConsistentRead: true }),
    );
    return Item ? strip<T>(Item) : null;
  }

  async list(): Promise<T[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.partition },
      ConsistentRead: true,
    });
    return items.map((i) => strip<T>(i));
  }

  async create(id: string, record: T): Promise<void> {
    await this.conditional(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...this.keyOf(id), ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      new RegistryError('conflict', `A ${this.noun} ${id} exists already`),
    );
  }

  /** Replaces the record only while it is still the one read (its `updatedAt`). */
  async replace(id: string, next: T, previousUpdatedAt: string): Promise<void> {
    const name = `${this.noun.charAt(0).toUpperCase()}${this.noun.slice(1)}`;
    await this.conditional(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...this.keyOf(id), ...next },
            ConditionExpression: 'updatedAt = :previous',
            ExpressionAttributeValues: { ':previous': previousUpdatedAt },
          }),
        ),
      new RegistryError('conflict', `${name} ${id} was changed meanwhile; try again`),
    );
  }

  async delete(id: string): Promise<void> {
    await this.conditional(
      () =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: this.keyOf(id),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      new RegistryError('not_found', `No ${this.noun} ${id}`),
    );
  }

  /** Sends a conditional write; a failed condition is `onFailure`. */
  private async conditional(send: () => Promise<unknown>, onFailure: RegistryError): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (isConditionFailure(error)) throw onFailure;
      throw error;
    }
  }
}

export class DynamoIdentityStore implements IdentityStore {
  private readonly users: RecordSet<UserRecord>;
  private readonly clients: RecordSet<ClientRecord>;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.users = new RecordSet<UserRecord>(db, tableName, USERS_PARTITION, userKey, 'user');
    this.clients = new RecordSet<ClientRecord>(db, tableName, CLIENTS_PARTITION, clientKey, 'client');
  }

  getUser(email: string): Promise<UserRecord | null> {
    return this.users.get(email);
  }

  listUsers(): Promise<UserRecord[]> {
    return this.users.list();
  }

  createUser(user: UserRecord): Promise<void> {
    return this.users.create(user.email, user);
  }

  replaceUser(next: UserRecord, previous: UserRecord): Promise<void> {
    return this.users.replace(next.email, next, previous.updatedAt);
  }

  deleteUser(user: UserRecord): Promise<void> {
    return this.users.delete(user.email);
  }

  getClient(clientId: string): Promise<ClientRecord | null> {
    return this.clients.get(clientId);
  }

  listClients(): Promise<ClientRecord[]> {
    return this.clients.list();
  }

  createClient(client: ClientRecord): Promise<void> {
    return this.clients.create(client.clientId, client);
  }

  deleteClient(client: ClientRecord): Promise<void> {
    return this.clients.delete(client.clientId);
  }
}

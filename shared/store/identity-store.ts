/**
 * The users and clients registry: persistence port and DynamoDB adapter (Campaign table; key
 * layout in keys.ts). Creates are conditional (no second user with one e-mail), changes and a
 * user's delete are conditional on the item as read (a concurrent change is a conflict, never lost).
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientRecord, UserRecord } from '../domain/identity.js';
import { CLIENTS_PARTITION, clientKey, USERS_PARTITION, userKey } from './keys.js';
import { queryAll } from './query-all.js';
import { RegistryError } from './recipient-store.js';

/** One kind of registry record, keyed by its id (a user's e-mail, a client's id). */
export interface RecordStore<T> {
  get(id: string): Promise<T | null>;
  list(): Promise<T[]>;
  /** RegistryError conflict when the id is taken. */
  create(record: T): Promise<void>;
  /** RegistryError not_found when there is no such record. */
  delete(record: T): Promise<void>;
}

/** Records that change in place (users): every change and the delete act only on the version read. */
export interface ReplaceableStore<T extends { readonly updatedAt: string }> extends RecordStore<T> {
  /** RegistryError conflict when the stored item is no longer `previous` (its `updatedAt`). */
  replace(next: T, previous: T): Promise<void>;
  /**
   * Deletes `record` only while the stored item is still that version (its `updatedAt`): RegistryError
   * conflict when it was changed meanwhile, not_found when it is gone.
   */
  delete(record: T): Promise<void>;
}

/** The registry's persistence: users (changed in place: disabled, grants) and machine clients. */
export interface IdentityStore {
  readonly users: ReplaceableStore<UserRecord>;
  readonly clients: RecordStore<ClientRecord>;
}

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/** Which records a RecordSet keeps: their partition, key and id, and how messages name them. */
interface RecordKind<T> {
  readonly partition: string;
  readonly keyOf: (id: string) => { pk: string; sk: string };
  readonly idOf: (record: T) => string;
  /** `user`, `client`. */
  readonly noun: string;
  /** Records carry `updatedAt` and are deleted only as the version read (users). */
  readonly versioned?: boolean;
}

/**
 * One kind of record in its own partition, by id: read strongly consistent, listed by Query, and
 * written only on a condition whose failure says what happened (taken, changed meanwhile, gone).
 */
class RecordSet<T extends object> implements RecordStore<T> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly kind: RecordKind<T>,
  ) {}

  private get name(): string {
    return `${this.kind.noun.charAt(0).toUpperCase()}${this.kind.noun.slice(1)}`;
  }

  async get(id: string): Promise<T | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.kind.keyOf(id), ConsistentRead: true }),
    );
    return Item ? strip<T>(Item) : null;
  }

  async list(): Promise<T[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.kind.partition },
      ConsistentRead: true,
    });
    return items.map((i) => strip<T>(i));
  }

  async create(record: T): Promise<void> {
    const id = this.kind.idOf(record);
    await this.putIf(record, { ConditionExpression: 'attribute_not_exists(pk)' }, [
      'conflict',
      `A ${this.kind.noun} ${id} exists already`,
    ]);
  }

  /** Replaces the record only while it is still the one read (its `updatedAt`). */
  async replace(next: T, previous: { readonly updatedAt: string }): Promise<void> {
    const condition = {
      ConditionExpression: 'updatedAt = :previous',
      ExpressionAttributeValues: { ':previous': previous.updatedAt },
    };
    await this.putIf(next, condition, [
      'conflict',
      `${this.name} ${this.kind.idOf(next)} was changed meanwhile; try again`,
    ]);
  }

  /**
   * Deletes the record; a versioned one only while it is still the version read (its `updatedAt`),
   * so that a user whose grants were widened after the caller's authority was checked on it is not
   * removed on the strength of that check (docs/ARCHITECTURE.md §5: the stored record decides).
   */
  async delete(record: T): Promise<void> {
    const id = this.kind.idOf(record);
    const version = (record as { readonly updatedAt?: unknown }).updatedAt;
    const condition =
      this.kind.versioned && typeof version === 'string'
        ? { ConditionExpression: 'updatedAt = :read', ExpressionAttributeValues: { ':read': version } }
        : { ConditionExpression: 'attribute_exists(pk)' };
    const command = new DeleteCommand({ TableName: this.tableName, Key: this.kind.keyOf(id), ...condition });
    const notFound = new RegistryError('not_found', `No ${this.kind.noun} ${id}`);
    try {
      await this.conditional(() => this.db.send(command), notFound);
    } catch (error) {
      // A failed version condition: gone (not_found) or changed meanwhile (conflict)? One read tells.
      if (error === notFound && this.kind.versioned && (await this.get(id))) {
        throw new RegistryError('conflict', `${this.name} ${id} was changed meanwhile; try again`);
      }
      throw error;
    }
  }

  /** Puts the record under its key if `condition` holds; otherwise a RegistryError of `failure`. */
  private putIf(
    record: T,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
    failure: ConstructorParameters<typeof RegistryError>,
  ): Promise<void> {
    const Item = { ...this.kind.keyOf(this.kind.idOf(record)), ...record };
    return this.conditional(
      () => this.db.send(new PutCommand({ TableName: this.tableName, Item, ...condition })),
      new RegistryError(...failure),
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

const USERS: RecordKind<UserRecord> = {
  partition: USERS_PARTITION,
  keyOf: userKey,
  idOf: (u) => u.email,
  noun: 'user',
  versioned: true,
};
const CLIENTS: RecordKind<ClientRecord> = {
  partition: CLIENTS_PARTITION,
  keyOf: clientKey,
  idOf: (c) => c.clientId,
  noun: 'client',
};

export class DynamoIdentityStore implements IdentityStore {
  readonly users: ReplaceableStore<UserRecord>;
  readonly clients: RecordStore<ClientRecord>;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.users = new RecordSet(db, tableName, USERS);
    this.clients = new RecordSet(db, tableName, CLIENTS);
  }
}

/**
 * A campaign's reorganisation (migration) state and the transfers that move history between DAY
 * items, exactly once (the argument is in shared/domain/reorganise.ts).
 *
 * | item      | pk             | sk        |
 * |-----------|----------------|-----------|
 * | migration | C#<campaignId> | MIGRATION |
 *
 * One item per campaign: the latest reorganisation. `importing` while the import writes the new
 * tree (a crash there is finished by importing the same file again), `pending` until a pass finds
 * nothing left to move after the settle time, then `converged`; passes go on (cheaply) for a day after
 * that, for events of the old epoch that reach the roll-up late.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  attributesOf,
  epochAttr,
  isZero,
  markerAttr,
  type Transfer,
  transferAmount,
} from '../domain/reorganise.js';
import { emptyTotals, type Totals } from '../domain/totals.js';
import { campaignKey, DAY_SK_PREFIX, dayKey } from './keys.js';
import { queryAll } from './query-all.js';
import { DynamoTotalsStore } from './totals-store.js';

export type MigrationStatus = 'importing' | 'pending' | 'converged';

export interface MigrationState {
  readonly campaignId: string;
  readonly epoch: number;
  readonly status: MigrationStatus;
  /** Identifies the imported structure, so an interrupted import is finished only by the same file. */
  readonly structureHash: string;
  readonly transfers: readonly Transfer[];
  /** Units whose totals change (boundary units, their targets, moved and merged units). */
  readonly affected: readonly string[];
  readonly startedAt: string;
  readonly passes: number;
  readonly moved: number;
  readonly lastPassAt?: string;
  readonly convergedAt?: string;
}

export interface PassResult {
  /** DAY items read. */
  readonly items: number;
  /** Transactions that moved something. */
  readonly transfers: number;
  /** Transactions retried after a concurrent write. */
  readonly retries: number;
}

/** Retries of one item's transaction after a concurrent write, before the pass gives up on it. */
const MAX_TRANSFER_ATTEMPTS = 8;

const migrationKey = (campaignId: string) => ({ pk: campaignKey(campaignId).pk, sk: 'MIGRATION' });

type Item = Record<string, unknown>;

export class DynamoMigrationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Test hook: called between an item's read and its transaction (to interleave a roll-up write). */
    private readonly beforeTransact?: (campaignId: string, unitId: string, day: string) => Promise<void>,
  ) {}

  async get(campaignId: string): Promise<MigrationState | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: migrationKey(campaignId), ConsistentRead: true }),
    );
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...state } = Item;
    return state as unknown as MigrationState;
  }

  /**
   * Starts migration `state.epoch` (status `importing`), only if no other migration is still
   * importing or pending (a concurrent import loses). Returns false when refused.
   */
  async begin(state: MigrationState): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...migrationKey(state.campaignId), ...state },
          ConditionExpression: 'attribute_not_exists(pk) OR #s = :converged',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':converged': 'converged' },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async setStatus(campaignId: string, epoch: number, status: MigrationStatus, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: migrationKey(campaignId),
        // `pending` starts the settle time: the new epoch took effect now.
        UpdateExpression:
          status === 'converged' ? 'SET #s = :s, convergedAt = :at' : 'SET #s = :s, startedAt = :at',
        ConditionExpression: 'epoch = :e',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':at': at, ':e': epoch },
      }),
    );
  }

  async recordPass(campaignId: string, epoch: number, moved: number, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: migrationKey(campaignId),
        UpdateExpression: 'SET lastPassAt = :at ADD passes :one, moved :m',
        ConditionExpression: 'epoch = :e',
        ExpressionAttributeValues: { ':at': at, ':one': 1, ':m': moved, ':e': epoch },
      }),
    );
  }

  /** One pass over every boundary unit's DAY items: moves what is left of each, exactly once. */
  async runPass(campaignId: string, epoch: number, transfers: readonly Transfer[]): Promise<PassResult> {
    let items = 0;
    let moved = 0;
    let retries = 0;
    for (const transfer of transfers) {
      const days = await this.dayItems(campaignId, transfer.unitId);
      for (const day of days) {
        items++;
        const outcome = await this.transferDay(campaignId, transfer, day, epoch);
        moved += outcome.moved ? 1 : 0;
        retries += outcome.retries;
      }
    }
    return { items, transfers: moved, retries };
  }

  /** The DAY items of a unit as stored (strongly consistent; their days only are needed here). */
  private async dayItems(campaignId: string, unitId: string): Promise<string[]> {
    const { pk } = dayKey(campaignId, unitId, '');
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
      ExpressionAttributeValues: { ':pk': pk, ':day': DAY_SK_PREFIX },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return items.map((i) => String(i.sk).slice(DAY_SK_PREFIX.length));
  }

  /**
   * Moves what migration `epoch` has left to move from one DAY item: read it, compute the amount
   * (old-epoch part minus marker), and in one transaction, conditional on the item's write counter,
   * add the amount to its marker and ±amount to each target's DAY item of that day (tagged with the
   * epoch there). A concurrent write cancels the transaction; it is then read and tried again.
   */
  async transferDay(
    campaignId: string,
    transfer: Transfer,
    day: string,
    epoch: number,
  ): Promise<{ moved: boolean; retries: number; amount: Totals }> {
    for (let attempt = 0; attempt < MAX_TRANSFER_ATTEMPTS; attempt++) {
      const source = dayKey(campaignId, transfer.unitId, day);
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: source, ConsistentRead: true }),
      );
      const amount = transferAmount(Item ?? {}, epoch);
      if (isZero(amount)) return { moved: attempt > 0, retries: attempt, amount: emptyTotals() };
      await this.beforeTransact?.(campaignId, transfer.unitId, day);
      const attrs = attributesOf(amount);
      const stored = (Item ?? {}) as Item;
      const sourceUpdate = this.addUpdate(source, markerAdds(attrs, epoch), {
        u: typeof stored.u === 'number' ? stored.u : undefined,
      });
      const targetUpdates = transfer.targets.map((t) =>
        this.addUpdate(dayKey(campaignId, t.unitId, day), targetAdds(attrs, epoch, t.sign)),
      );
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: sourceUpdate }, ...targetUpdates.map((u) => ({ Update: u }))],
          }),
        );
        return { moved: true, retries: attempt, amount };
      } catch (error) {
        if (
          !(error instanceof TransactionCanceledException) &&
          (error as Error).name !== 'TransactionCanceledException'
        ) {
          throw error;
        }
        // A roll-up (or another runner) wrote meanwhile, or a transaction conflict: read again.
      }
    }
    throw new Error(`transfer of ${transfer.unitId} ${day} kept conflicting with concurrent writes`);
  }

  /** An Update that ADDs the given attributes and counts the write in `u`; with `expect`, only if `u` is unchanged. */
  private addUpdate(
    key: { pk: string; sk: string },
    adds: ReadonlyMap<string, number>,
    expect?: { u: number | undefined },
  ) {
    const names: Record<string, string> = { '#u': 'u' };
    const values: Record<string, unknown> = { ':one': 1 };
    const parts = ['#u :one'];
    let i = 0;
    for (const [name, value] of adds) {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      parts.push(`#a${i} :a${i}`);
      i++;
    }
    let condition: string | undefined;
    if (expect) {
      if (expect.u === undefined) condition = 'attribute_not_exists(#u)';
      else {
        condition = '#u = :u';
        values[':u'] = expect.u;
      }
    }
    return {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition !== undefined && { ConditionExpression: condition }),
    };
  }
}

/** On the source: the marker says what this migration moved from it. */
function markerAdds(attrs: ReadonlyMap<string, number>, epoch: number): Map<string, number> {
  return new Map([...attrs].map(([a, v]) => [markerAttr(epoch, a), v]));
}

/** On a target: ±the amount, and the same tagged with the epoch (so it is never moved again). */
function targetAdds(attrs: ReadonlyMap<string, number>, epoch: number, sign: 1 | -1): Map<string, number> {
  const out = new Map<string, number>();
  for (const [a, v] of attrs) {
    out.set(a, sign * v);
    out.set(epochAttr(epoch, a), sign * v);
  }
  return out;
}

/** The reorganisation ports on the Campaign table, for importCampaign and the migration job. */
export function reorganisePorts(
  db: DynamoDBDocumentClient,
  table: string,
  options: { indexSettleMs?: number } = {},
) {
  const totals = new DynamoTotalsStore(db, table);
  return {
    migrations: new DynamoMigrationStore(db, table),
    totals: async (campaignId: string, unitIds: readonly string[]) =>
      new Map([...(await totals.getTotals(campaignId, unitIds))].map(([id, t]) => [id, t.count])),
    ...(options.indexSettleMs !== undefined && { indexSettleMs: options.indexSettleMs }),
  };
}

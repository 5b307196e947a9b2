/**
 * Acknowledgements (a leader says "we know, we are on it" about a unit): the persistence port, its
 * DynamoDB adapter (Campaign table; keys in keys.ts) and the service that the HTTP handler
 * (functions/acknowledgements.ts) and the CLI share.
 *
 * Items live in the campaign's `C#<campaignId>#ACKS` partition under `A#<until>#<id>`, so the risk
 * job reads the ones that may hold (until after now) in one Query that never reads ended ones, and
 * a unit's feed reads those ending after the start of its range. A withdrawn acknowledgement keeps
 * its item with `deletedAt`/`deletedBy` (the feed shows both), and an id pointer (`AID#<id>` → until)
 * finds it by id.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Acknowledgement } from '../domain/alert-policy.js';
import type { CatalogView } from '../domain/intake.js';
import type { AcknowledgementInput } from '../schemas/alerts.js';
import { ACK_DEFAULT_DAYS, ACK_MAX_DAYS, newAcknowledgementId } from '../schemas/values.js';
import { ACK_KEYS } from './keys.js';
import { RegistryError } from './recipient-store.js';
import { UntilOrderedItems } from './until-ordered.js';

export interface AcknowledgementStore {
  create(ack: Acknowledgement): Promise<void>;
  get(campaignId: string, id: string): Promise<Acknowledgement | null>;
  /** Acknowledgements whose `until` is after `after` (withdrawn ones included), soonest ending first. */
  endingAfter(campaignId: string, after: Date): Promise<Acknowledgement[]>;
  /** Marks it withdrawn; false when there is no such acknowledgement or it was already withdrawn. */
  withdraw(campaignId: string, id: string, by: string, at: Date): Promise<boolean>;
}

export class DynamoAcknowledgementStore implements AcknowledgementStore {
  private readonly items: UntilOrderedItems;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new UntilOrderedItems(db, tableName, {
      ...ACK_KEYS,
      type: 'acknowledgement',
      pointerType: 'acknowledgementPointer',
    });
  }

  async create(ack: Acknowledgement): Promise<void> {
    await this.items.create(ack.campaignId, ack.id, ack.until, { ...ack });
  }

  async get(campaignId: string, id: string): Promise<Acknowledgement | null> {
    return (await this.items.get(campaignId, id)) as Acknowledgement | null;
  }

  async endingAfter(campaignId: string, after: Date): Promise<Acknowledgement[]> {
    return (await this.items.endingAfter(campaignId, after)) as Acknowledgement[];
  }

  async withdraw(campaignId: string, id: string, by: string, at: Date): Promise<boolean> {
    const until = await this.items.untilOf(campaignId, id);
    if (until === null) return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ACK_KEYS.key(campaignId, until, id),
          UpdateExpression: 'SET deletedAt = :at, deletedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':by': by },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

export interface AcknowledgementServiceDeps {
  readonly store: AcknowledgementStore;
  readonly catalog: { get(campaignId: string): Promise<CatalogView | null> };
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

const DAY_MS = 86_400_000;

/** What the handler and the CLI do with acknowledgements, checked against the catalogue and the clock. */
export class AcknowledgementService {
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: AcknowledgementServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? newAcknowledgementId;
  }

  async view(campaignId: string): Promise<CatalogView> {
    const view = await this.deps.catalog.get(campaignId);
    if (!view) throw new RegistryError('not_found', `No campaign "${campaignId}"`);
    return view;
  }

  /** Records an acknowledgement of the unit by `by`; until defaults to 3 days from now, at most 30. */
  async add(
    campaignId: string,
    unitId: string,
    input: AcknowledgementInput,
    by: string,
  ): Promise<Acknowledgement> {
    const view = await this.view(campaignId);
    if (!view.hierarchy.has(unitId)) {
      throw new RegistryError('not_found', `Campaign "${campaignId}" has no unit "${unitId}"`);
    }
    const now = this.clock();
    const until = input.until ? new Date(input.until) : new Date(now.getTime() + ACK_DEFAULT_DAYS * DAY_MS);
    if (until.getTime() <= now.getTime()) {
      throw new RegistryError('invalid', `until ${input.until} is not in the future`, [
        { path: 'until', message: `must be later than now (${now.toISOString()})` },
      ]);
    }
    if (until.getTime() > now.getTime() + ACK_MAX_DAYS * DAY_MS) {
      throw new RegistryError('invalid', `until ${input.until} is more than ${ACK_MAX_DAYS} days ahead`, [
        { path: 'until', message: `must be at most ${ACK_MAX_DAYS} days ahead` },
      ]);
    }
    const ack: Acknowledgement = {
      id: this.newId(),
      campaignId,
      unitId,
      createdAt: now.toISOString(),
      createdBy: by,
      ...(input.note !== undefined && { note: input.note }),
      until: until.toISOString(),
    };
    await this.deps.store.create(ack);
    return ack;
  }

  get(campaignId: string, id: string): Promise<Acknowledgement | null> {
    return this.deps.store.get(campaignId, id);
  }

  /** Withdraws it (the caller's right to do so is the handler's to check). */
  async withdraw(campaignId: string, id: string, by: string): Promise<Acknowledgement> {
    const ack = await this.deps.store.get(campaignId, id);
    if (!ack) throw new RegistryError('not_found', `No acknowledgement ${id} in campaign ${campaignId}`);
    if (ack.deletedAt !== undefined || !(await this.deps.store.withdraw(campaignId, id, by, this.clock()))) {
      throw new RegistryError('conflict', `Acknowledgement ${id} was already withdrawn`);
    }
    return (await this.deps.store.get(campaignId, id)) ?? ack;
  }

  /** The unit's acknowledgements (withdrawn ones included) ending after `after`. */
  async ofUnit(campaignId: string, unitId: string, after: Date): Promise<Acknowledgement[]> {
    return (await this.deps.store.endingAfter(campaignId, after)).filter((a) => a.unitId === unitId);
  }
}

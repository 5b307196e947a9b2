/**
 * The campaign catalogue's persistence port and its DynamoDB adapter.
 * Nothing outside shared/store/ knows the table's keys (see keys.ts).
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredUnit } from '../domain/hierarchy.js';
import type { Campaign } from '../schemas/campaign.js';
import { DEFAULT_CORRECTION_WINDOW_DAYS } from '../schemas/values.js';
import { batchWriteAll, type WriteRequest } from './batch.js';
import {
  CAMPAIGNS_COLLECTION,
  campaignIndexKey,
  campaignKey,
  unitIndexKey,
  unitKey,
  unitsCollection,
} from './keys.js';
import { queryAll } from './query-all.js';
import { BY_COLLECTION_INDEX } from './tables.js';

export type { StoredUnit } from '../domain/hierarchy.js';

export type ImportProgress = (written: number, total: number) => void;

export interface CampaignStore {
  getCampaign(campaignId: string): Promise<Campaign | null>;
  listCampaigns(): Promise<Campaign[]>;
  /** Writes the campaign item with a new catalogue version; `state` sets the epoch (default: 0, not pending). */
  putCampaign(campaign: Campaign, state?: { epoch: number; pending: boolean }): Promise<void>;
  /** All units of a campaign, read in Query pages of the byCollection index. */
  listUnits(campaignId: string): Promise<StoredUnit[]>;
  /** Creates or replaces these units (batched, concurrent). */
  putUnits(campaignId: string, units: readonly StoredUnit[], onProgress?: ImportProgress): Promise<void>;
  deleteUnits(campaignId: string, unitIds: readonly string[], onProgress?: ImportProgress): Promise<void>;
  /**
   * The catalogue's version: changes with every import that changes anything (the campaign item is
   * written last, with a new random `catalogVersion`). One small GetItem, so a cache can ask every few seconds.
   * null when the campaign does not exist.
   */
  catalogVersion?(campaignId: string): Promise<string | null>;
  /**
   * The catalogue's structure epoch (bumped by each import that moves or merges units) and whether
   * such an import is half-written (`pending`: units in flux, caches keep their previous view).
   * One small GetItem; null when the campaign does not exist. Stores without it have epoch 0.
   */
  catalogState?(campaignId: string): Promise<CatalogState | null>;
}

export interface CatalogState {
  readonly version: string;
  readonly epoch: number;
  readonly pending: boolean;
}

const CONCURRENT_BATCHES = 8;

type CampaignItem = Campaign & { pk: string; sk: string; type: 'campaign' };
type UnitItem = Omit<StoredUnit, 'id'> & {
  pk: string;
  sk: string;
  type: 'unit';
  campaignId: string;
  unitId: string;
};

function toCampaign(item: Record<string, unknown>): Campaign {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g2,
    type: _t,
    updatedAt: _u,
    catalogVersion: _v,
    epoch: _e,
    epochPending: _p,
    ...campaign
  } = item;
  // Stored before the setting existed: its default, so that a re-import shows no change.
  return { correctionWindowDays: DEFAULT_CORRECTION_WINDOW_DAYS, ...campaign } as Campaign;
}

function toUnit(item: Record<string, unknown>): StoredUnit {
  const i = item as unknown as UnitItem;
  return {
    id: i.unitId,
    parentId: i.parentId ?? null,
    name: i.name,
    level: i.level,
    target: i.target,
    deadline: i.deadline,
    subTargets: i.subTargets ?? [],
    ...(i.mergedInto !== undefined && { mergedInto: i.mergedInto }),
    path: i.path ?? [],
    depth: i.depth,
  };
}

/** A unit's item as putUnits writes it (the bench sizes the listing's pages from it). */
export function unitItem(campaignId: string, unit: StoredUnit, updatedAt: string): Record<string, unknown> {
  const { id, ...rest } = unit;
  return {
    ...rest,
    ...unitKey(campaignId, id),
    ...unitIndexKey(campaignId, id),
    type: 'unit',
    campaignId,
    unitId: id,
    updatedAt,
  };
}

export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async getCampaign(campaignId: string): Promise<Campaign | null> {
    const item = await this.campaignItem(campaignId, { consistent: true });
    return item ? toCampaign(item) : null;
  }

  /** Eventually consistent (half a read unit): the catalogue cache asks it every few seconds. */
  async catalogVersion(campaignId: string): Promise<string | null> {
    const item = await this.campaignItem(campaignId, { projection: 'catalogVersion', consistent: false });
    return item ? String(item.catalogVersion ?? '') : null;
  }

  async catalogState(campaignId: string): Promise<CatalogState | null> {
    const item = await this.campaignItem(campaignId, {
      projection: 'catalogVersion, epoch, epochPending',
      consistent: true,
    });
    if (!item) return null;
    return {
      version: String(item.catalogVersion ?? ''),
      epoch: Number(item.epoch ?? 0),
      pending: item.epochPending === true,
    };
  }

  /** The campaign's item (only the attributes `projection` names, when given). */
  private async campaignItem(
    campaignId: string,
    { projection, consistent }: { readonly projection?: string; readonly consistent: boolean },
  ): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: campaignKey(campaignId),
        ...(projection !== undefined && { ProjectionExpression: projection }),
        ...(consistent && { ConsistentRead: true }),
      }),
    );
    return Item;
  }

  async listCampaigns(): Promise<Campaign[]> {
    const items = await this.queryCollection(CAMPAIGNS_COLLECTION);
    return items.map(toCampaign);
  }

  async putCampaign(campaign: Campaign, state?: { epoch: number; pending: boolean }): Promise<void> {
    const item: CampaignItem & Record<string, unknown> = {
      ...campaign,
      ...campaignKey(campaign.id),
      ...campaignIndexKey(campaign.id),
      type: 'campaign',
      updatedAt: this.clock().toISOString(),
      catalogVersion: randomUUID(),
      ...(state && state.epoch > 0 && { epoch: state.epoch }),
      ...(state?.pending && { epochPending: true }),
    };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async listUnits(campaignId: string): Promise<StoredUnit[]> {
    const items = await this.queryCollection(unitsCollection(campaignId));
    return items.map(toUnit);
  }

  async putUnits(
    campaignId: string,
    units: readonly StoredUnit[],
    onProgress?: ImportProgress,
  ): Promise<void> {
    const updatedAt = this.clock().toISOString();
    const requests = units.map((unit) => ({ PutRequest: { Item: unitItem(campaignId, unit, updatedAt) } }));
    await this.batchWrite(requests, onProgress);
  }

  async deleteUnits(
    campaignId: string,
    unitIds: readonly string[],
    onProgress?: ImportProgress,
  ): Promise<void> {
    const requests = unitIds.map((id) => ({ DeleteRequest: { Key: unitKey(campaignId, id) } }));
    await this.batchWrite(requests, onProgress);
  }

  private async queryCollection(collection: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: BY_COLLECTION_INDEX,
      KeyConditionExpression: 'gsi1pk = :c',
      ExpressionAttributeValues: { ':c': collection },
    });
  }

  /** BatchWriteItem through the one batch helper (chunks of 25, unprocessed items retried with backoff). */
  private async batchWrite(requests: readonly WriteRequest[], onProgress?: ImportProgress): Promise<void> {
    await batchWriteAll(this.db, this.tableName, requests, {
      concurrency: CONCURRENT_BATCHES,
      ...(onProgress && { onProgress }),
    });
  }
}

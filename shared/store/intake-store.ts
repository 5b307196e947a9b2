/**
 * IntakeEvents persistence: one conditional PutItem per event. `attribute_not_exists(pk)` makes a
 * retry unable to create a second item; on a failed condition DynamoDB returns the stored item
 * (ReturnValuesOnConditionCheckFailure = ALL_OLD) at no extra read, and its payload hash tells a
 * retry (`duplicate`) from a different event under the same id (`conflict`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedEvent, StoredOriginal } from '../domain/intake.js';
import { batchGetAll } from './batch.js';

export interface StoredIntakeEvent extends NormalizedEvent {
  /** When the API received it (ISO, UTC). */
  readonly receivedAt: string;
  /** The caller's `sub` claim. */
  readonly sub: string;
  /**
   * Unique per request: if the SDK retried a put whose first attempt had in fact been stored,
   * the stored item carries this request's ingestId and the outcome is still `accepted`.
   */
  readonly ingestId: string;
}

export type PutOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface IntakeEventStore {
  putIfAbsent(event: StoredIntakeEvent): Promise<PutOutcome>;
  /**
   * The stored events of a campaign with these eventIds (the originals a batch's corrections name),
   * by eventId; absent ones are missing. One strongly consistent BatchGetItem per 100 ids.
   */
  getMany(campaignId: string, eventIds: readonly string[]): Promise<Map<string, StoredOriginal>>;
}

export const intakeEventKey = (campaignId: string, eventId: string) => ({ pk: `${campaignId}#${eventId}` });

/**
 * The sparse index of corrections: only a correction carries `correctionCampaignId` (its campaign),
 * sorted by `receivedAt`, so the audit route reads a campaign's corrections by time of receipt.
 */
export const CORRECTIONS_INDEX = 'correctionsByCampaign';
export const CORRECTION_INDEX_PK = 'correctionCampaignId';

/** The item stored for an event: its key, its fields and, for a correction, the index attribute. */
export const intakeItem = (event: StoredIntakeEvent) => ({
  ...intakeEventKey(event.campaignId, event.eventId),
  ...event,
  ...(event.corrects !== undefined && { [CORRECTION_INDEX_PK]: event.campaignId }),
});

export class DynamoIntakeEventStore implements IntakeEventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(event: StoredIntakeEvent): Promise<PutOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: intakeItem(event),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = error.Item;
      if (stored?.ingestId?.S === event.ingestId) return 'accepted';
      return stored?.payloadHash?.S === event.payloadHash ? 'duplicate' : 'conflict';
    }
  }

  async getMany(campaignId: string, eventIds: readonly string[]): Promise<Map<string, StoredOriginal>> {
    const unique = [...new Set(eventIds)];
    const items = await batchGetAll(
      this.db,
      this.tableName,
      unique.map((id) => intakeEventKey(campaignId, id)),
      { consistentRead: true },
    );
    const out = new Map<string, StoredOriginal>();
    for (const item of items) {
      const event = item as unknown as StoredOriginal;
      if (event.campaignId === campaignId) out.set(event.eventId, event);
    }
    return out;
  }
}

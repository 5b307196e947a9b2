/**
 * IntakeEvents persistence: one conditional PutItem per event. `attribute_not_exists(pk)` makes a
 * retry unable to create a second item; on a failed condition DynamoDB returns the stored item
 * (ReturnValuesOnConditionCheckFailure = ALL_OLD) at no extra read, and its payload hash tells a
 * retry (`duplicate`) from a different event under the same id (`conflict`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NormalizedEvent } from '../domain/intake.js';

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
}

export const intakeEventKey = (campaignId: string, eventId: string) => ({ pk: `${campaignId}#${eventId}` });

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
          Item: { ...intakeEventKey(event.campaignId, event.eventId), ...event },
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
}

/**
 * Silences (docs/ARCHITECTURE.md §4): an administrator mutes a unit and its subtree until a time, with a reason.
 * The persistence port and its DynamoDB adapter (Campaign table; keys in keys.ts); the service the
 * HTTP handler and the CLI use is shared/services/silences.ts.
 *
 * The sort key starts with the end time (UTC), so a campaign's active silences are one Query
 * (`sk BETWEEN S#<now> AND S$`) that never reads expired ones; the risk job reads them that way once
 * per evaluation. An id pointer (`SID#<id>` → until) lets DELETE find a silence by id.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SilenceRecord } from '../schemas/recipients.js';
import { SILENCE_KEYS } from './keys.js';
import { UntilOrderedItems } from './until-ordered.js';

export interface SilenceStore {
  create(silence: SilenceRecord): Promise<void>;
  get(campaignId: string, silenceId: string): Promise<SilenceRecord | null>;
  /** Silences whose `until` is after `now`, soonest ending first. */
  listActive(campaignId: string, now: Date): Promise<SilenceRecord[]>;
  /** False when there is no such silence. */
  delete(campaignId: string, silenceId: string): Promise<boolean>;
}

export class DynamoSilenceStore implements SilenceStore {
  private readonly items: UntilOrderedItems;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.items = new UntilOrderedItems(db, tableName, {
      ...SILENCE_KEYS,
      type: 'silence',
      pointerType: 'silencePointer',
    });
  }

  async create(silence: SilenceRecord): Promise<void> {
    const until = new Date(silence.until).toISOString();
    await this.items.create(silence.campaignId, silence.id, until, { ...silence, until });
  }

  async get(campaignId: string, silenceId: string): Promise<SilenceRecord | null> {
    return (await this.items.get(campaignId, silenceId)) as SilenceRecord | null;
  }

  async listActive(campaignId: string, now: Date): Promise<SilenceRecord[]> {
    return (await this.items.endingAfter(campaignId, now)) as SilenceRecord[];
  }

  async delete(campaignId: string, silenceId: string): Promise<boolean> {
    return this.items.delete(campaignId, silenceId);
  }
}

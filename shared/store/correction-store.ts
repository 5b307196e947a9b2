/**
 * Corrections persistence.
 *
 * - Admission (the roll-up): one item per corrected event, `CORR#<eventId>` in its unit's partition
 *   of the Campaign table (keys.ts), holding shared/domain/corrections.ts's state. Admitting is a
 *   conditional UpdateItem on the state's version; when the condition fails, DynamoDB returns the
 *   stored state (ReturnValuesOnConditionCheckFailure ALL_OLD) at no extra read, and the admission
 *   is recomputed on it. UpdateItem only, so the roll-up's access (UpdateItem on unit partitions)
 *   covers it.
 * - Audit (the corrections route): corrections by receivedAt from IntakeEvents' sparse
 *   `correctionsByCampaign` index, and the admitted `from` of each from its state item.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Admission, admit, type CorrectionRef, type CorrectionState } from '../domain/corrections.js';
import { batchGetAll } from './batch.js';
import { CORRECTION_INDEX_PK, CORRECTIONS_INDEX } from './intake-store.js';
import { CORRECTION_SK_PREFIX, correctionStateKey } from './keys.js';

/** Which corrected event: its campaign, unit and eventId. */
export interface OriginalKey {
  readonly campaignId: string;
  readonly unitId: string;
  readonly originalId: string;
}

export interface CorrectionAdmitter {
  /**
   * Admits `correction` of the event `original` (whose stored count is `originalCount`) exactly once:
   * the first time it records and returns its admission; afterwards it returns the recorded one.
   */
  admit(original: OriginalKey, correction: CorrectionRef, originalCount: number): Promise<Admission>;
}

/**
 * Version conflicts resolved per admission before giving up for this attempt (the batch retries):
 * each round, at least one of the racing admissions succeeds, so N racers need at most N rounds.
 */
const MAX_ADMIT_ROUNDS = 32;

type Item = Record<string, unknown>;

/** The state of a stored item (null: none). */
export function stateFromItem(item: Item | undefined): CorrectionState | null {
  if (!item || typeof item.v !== 'number') return null;
  const le = item.le as { id: string; at: string; n: number } | undefined;
  const admitted: Record<string, Admission> = {};
  for (const [id, rec] of Object.entries(
    (item.a ?? {}) as Record<string, { d: number; f: number; t: number }>,
  )) {
    admitted[id] = { delta: Number(rec.d), from: Number(rec.f), to: Number(rec.t) };
  }
  return {
    version: item.v,
    originalCount: Number(item.oc),
    latest: le ? { eventId: le.id, occurredAt: le.at, count: Number(le.n) } : null,
    admitted,
  };
}

const latestValue = (ref: CorrectionRef | null) =>
  ref === null ? null : { id: ref.eventId, at: ref.occurredAt, n: ref.count };
const admissionValue = (a: Admission) => ({ d: a.delta, f: a.from, t: a.to });

export class DynamoCorrectionStore implements CorrectionAdmitter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly campaignTable: string,
    private readonly intakeEventsTable?: string,
  ) {}

  async admit(original: OriginalKey, correction: CorrectionRef, originalCount: number): Promise<Admission> {
    const Key = correctionStateKey(original.campaignId, original.unitId, original.originalId);
    // First guess: nothing admitted yet (the common case: one correction per event).
    let state: CorrectionState | null = null;
    for (let round = 0; round < MAX_ADMIT_ROUNDS; round++) {
      const outcome = admit(state, correction, originalCount);
      if (!outcome.fresh) return outcome.admission;
      const { next } = outcome;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':v': next.version, ':le': latestValue(next.latest) };
      let update: string;
      let condition: string;
      if (state === null) {
        update = 'SET v = :v, oc = :oc, le = :le, a = :a';
        condition = 'attribute_not_exists(pk)';
        values[':oc'] = next.originalCount;
        values[':a'] = { [correction.eventId]: admissionValue(outcome.admission) };
      } else {
        update = 'SET v = :v, le = :le, a.#id = :rec';
        condition = 'v = :old';
        names['#id'] = correction.eventId;
        values[':old'] = state.version;
        values[':rec'] = admissionValue(outcome.admission);
      }
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.campaignTable,
            Key,
            UpdateExpression: update,
            ConditionExpression: condition,
            ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return outcome.admission;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const stored = error.Item ? unmarshall(error.Item as Parameters<typeof unmarshall>[0]) : undefined;
        state = stateFromItem(stored);
      }
    }
    throw new Error(`correction state of ${original.originalId} kept changing`);
  }

  /** The states of corrected events of a campaign, by eventId (BatchGetItem, 100 keys a request). */
  async getStates(
    campaignId: string,
    originals: readonly { unitId: string; originalId: string }[],
  ): Promise<Map<string, CorrectionState>> {
    const keys = [...new Map(originals.map((o) => [o.originalId, o])).values()].map((o) =>
      correctionStateKey(campaignId, o.unitId, o.originalId),
    );
    const out = new Map<string, CorrectionState>();
    for (const item of await batchGetAll(this.db, this.campaignTable, keys)) {
      const state = stateFromItem(item);
      if (state) out.set(String(item.sk).slice(CORRECTION_SK_PREFIX.length), state);
    }
    return out;
  }

  /**
   * How many corrections of a unit's subtree were received in the range, and the sum of their
   * admitted deltas (a correction not admitted yet by the roll-up counts, with no effect yet).
   */
  async summarize(
    campaignId: string,
    unitId: string,
    range: { fromInstant: string; toInstant: string },
  ): Promise<{ count: number; net: number }> {
    let count = 0;
    let net = 0;
    let cursor: Record<string, string> | undefined;
    do {
      const page = await this.listCorrections(campaignId, unitId, range, 500, cursor);
      const states = await this.getStates(
        campaignId,
        page.items.map((i) => ({ unitId: String(i.unitId), originalId: String(i.corrects) })),
      );
      for (const item of page.items) {
        count++;
        net += states.get(String(item.corrects))?.admitted[String(item.eventId)]?.delta ?? 0;
      }
      cursor = page.next ?? undefined;
    } while (cursor);
    return { count, net };
  }

  /**
   * The corrections of a campaign received in [fromInstant, toInstant) whose unit is `unitId` or
   * below it, oldest first, at most `limit`; `next` resumes after the last one read.
   */
  async listCorrections(
    campaignId: string,
    unitId: string,
    range: { fromInstant: string; toInstant: string },
    limit: number,
    cursor?: Record<string, string>,
  ): Promise<{ items: Item[]; next: Record<string, string> | null }> {
    if (!this.intakeEventsTable) throw new Error('listCorrections needs the IntakeEvents table');
    const items: Item[] = [];
    let start = cursor;
    // Limit counts items read before the filter, so no page overshoots `limit` and the cursor is exact.
    for (let page = 0; page < 10 && items.length < limit; page++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.intakeEventsTable,
          IndexName: CORRECTIONS_INDEX,
          KeyConditionExpression: '#c = :c AND receivedAt BETWEEN :lo AND :hi',
          FilterExpression: 'unitId = :u OR contains(#path, :u)',
          ExpressionAttributeNames: { '#c': CORRECTION_INDEX_PK, '#path': 'path' },
          ExpressionAttributeValues: {
            ':c': campaignId,
            ':lo': range.fromInstant,
            ':hi': range.toInstant,
            ':u': unitId,
          },
          Limit: limit - items.length,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey as Record<string, string> | undefined;
      if (!start) return { items, next: null };
    }
    return { items, next: start ?? null };
  }
}

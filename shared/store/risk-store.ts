/**
 * Risk state per unit (the `RISK` item in the unit's partition): the last evaluation's level, since
 * when it holds, the figures, and the alert policy's state; plus a `LEVEL#<since>` history item each
 * time the level changes. Read in BatchGetItem rounds of 100, written in BatchWriteItem rounds of 25.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AlertState } from '../domain/alert-policy.js';
import type { RiskFigures, RiskLevel } from '../domain/risk.js';
import { mapConcurrent } from '../util/concurrency.js';
import { levelHistoryKey, riskKey } from './keys.js';

export interface StoredRisk {
  readonly unitId: string;
  readonly level: RiskLevel;
  /** Since when (ISO) the level has held, as first seen by an evaluation. */
  readonly since: string;
  readonly evaluatedAt: string;
  readonly figures: RiskFigures;
  readonly alert: AlertState;
  /** The alert state of each population-group sub-target, by group. */
  readonly groupAlerts?: Readonly<Record<string, AlertState>>;
}

export interface RiskStateReader {
  getStates(campaignId: string, unitIds: readonly string[]): Promise<Map<string, StoredRisk>>;
}

export interface LevelChange {
  readonly unitId: string;
  readonly level: RiskLevel;
  readonly since: string;
  readonly figures: RiskFigures;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoRiskStore implements RiskStateReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getStates(campaignId: string, unitIds: readonly string[]): Promise<Map<string, StoredRisk>> {
    const result = new Map<string, StoredRisk>();
    const unique = [...new Set(unitIds)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
    await mapConcurrent(chunks, 8, async (chunk) => {
      let keys: Record<string, unknown>[] | undefined = chunk.map((id) => riskKey(campaignId, id));
      for (let round = 0; keys && keys.length > 0; round++) {
        if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
        if (round > 0) await sleep(50 * 2 ** round);
        const response: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          const stored = item as unknown as StoredRisk;
          result.set(stored.unitId, {
            unitId: stored.unitId,
            level: stored.level,
            since: stored.since,
            evaluatedAt: stored.evaluatedAt,
            figures: stored.figures,
            alert: stored.alert,
            ...(stored.groupAlerts && { groupAlerts: stored.groupAlerts }),
          });
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    });
    return result;
  }

  /** Writes the given states, and a history item for each level change. */
  async putStates(
    campaignId: string,
    states: readonly StoredRisk[],
    changes: readonly LevelChange[],
  ): Promise<void> {
    const requests = [
      ...states.map((s) => ({
        PutRequest: { Item: { ...riskKey(campaignId, s.unitId), campaignId, ...s } },
      })),
      ...changes.map((c) => ({
        PutRequest: { Item: { ...levelHistoryKey(campaignId, c.unitId, c.since), campaignId, ...c } },
      })),
    ];
    const chunks: (typeof requests)[] = [];
    for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
    await mapConcurrent(chunks, 8, async (chunk) => {
      let pending: unknown[] = chunk;
      for (let round = 0; pending.length > 0; round++) {
        if (round > 8) throw new Error('DynamoDB left writes unprocessed after 8 rounds');
        if (round > 0) await sleep(50 * 2 ** round);
        const { UnprocessedItems } = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as typeof chunk } }),
        );
        pending = UnprocessedItems?.[this.tableName] ?? [];
      }
    });
  }

  /** A unit's level history, oldest first. */
  async history(campaignId: string, unitId: string): Promise<LevelChange[]> {
    const { pk } = riskKey(campaignId, unitId);
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': 'LEVEL#' },
      }),
    );
    return (Items ?? []).map((i) => ({
      unitId: String(i.unitId),
      level: i.level as RiskLevel,
      since: String(i.since),
      figures: i.figures as RiskFigures,
    }));
  }
}

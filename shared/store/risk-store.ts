/**
 * Risk state per unit (the `RISK` item in the unit's partition): the last evaluation's level, since
 * when it holds, the figures, and the alert policy's state; plus a `LEVEL#<since>` history item each
 * time the level changes. Read in BatchGetItem rounds of 100, written in BatchWriteItem rounds of 25.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertState } from '../domain/alert-policy.js';
import type { RiskFigures, RiskLevel } from '../domain/risk.js';
import { batchGetAll, batchWriteAll } from './batch.js';
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

export class DynamoRiskStore implements RiskStateReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getStates(campaignId: string, unitIds: readonly string[]): Promise<Map<string, StoredRisk>> {
    const result = new Map<string, StoredRisk>();
    const keys = [...new Set(unitIds)].map((id) => riskKey(campaignId, id));
    for (const item of await batchGetAll(this.db, this.tableName, keys)) {
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
    await batchWriteAll(this.db, this.tableName, requests);
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

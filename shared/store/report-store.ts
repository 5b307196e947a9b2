/**
 * Reports (weekly and final): their persistence port and the DynamoDB adapter (Campaign table; key
 * layout in keys.ts). One item per (unit, period), holding the report as a map attribute, so a re-run
 * of a period overwrites its report and never adds a second one.
 *
 * `put` is one conditional PutItem: it writes unless the stored report has the same content hash
 * (SHA-256 of the report without `generatedAt`, keys sorted), and tells the report job which of
 * created / replaced / unchanged happened, atomically, so that two runs racing on one period cannot
 * both see "created" and send two e-mails.
 *
 * Reading: a report is one GetItem; a unit's reports one Query on its sort-key prefix; one period's
 * reports of every unit one Query of the byCollection index; a set of units' reports of one period
 * BatchGetItem rounds of 100 keys. Lists project only the summary's attributes (less data to the
 * function; read units are still counted on whole items, about 1 to 10 KB each). A Query given a
 * `limit` reads no page past it (queryAll).
 */
import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { UnitReport } from '../domain/report.js';
import type { ReportSummary } from '../schemas/reports.js';
import { reportIdOf } from '../schemas/values.js';
import { mapConcurrent } from '../util/concurrency.js';
import { batchGetAll } from './batch.js';
import { reportIndexKey, reportKey, reportsOfPeriod, reportsPartition, reportUnitPrefix } from './keys.js';
import { queryAll } from './query-all.js';
import { BY_COLLECTION_INDEX } from './tables.js';

export type PutOutcome = 'created' | 'replaced' | 'unchanged';

export interface ReportFilter {
  /** One unit's own reports (not its subtree's). */
  readonly unitId?: string;
  /** One period: an ISO week id (`2021-W14`) or `final`. */
  readonly period?: string;
  /**
   * Read at most this many summaries: paging stops there, so a list's memory and time are bounded
   * whatever is stored. An answer of `limit` summaries may have more behind it.
   */
  readonly limit?: number;
}

export interface ReportStore {
  /**
   * Stores the report under (unit, period): `created` when there was none, `replaced` when the stored
   * one differed, `unchanged` (nothing written) when it equals this one but for `generatedAt`.
   */
  put(report: UnitReport): Promise<PutOutcome>;
  /** The report, or null when there is none (or the id is not a report id). */
  get(campaignId: string, reportId: string): Promise<UnitReport | null>;
  /** Summaries, by unit id then period (weeks in order, then `final`). */
  list(campaignId: string, filter?: ReportFilter): Promise<ReportSummary[]>;
}

/** What the reports API reads: also a set of units' reports (a caller's subtree) without reading the whole campaign. */
export interface ReportReader extends Pick<ReportStore, 'get' | 'list'> {
  /** The reports of these units (each its own), in the order of `unitIds`, then by period. */
  listForUnits(
    campaignId: string,
    unitIds: readonly string[],
    filter?: Pick<ReportFilter, 'period'>,
  ): Promise<ReportSummary[]>;
}

/**
 * DynamoDB's item limit is 400 KB; a report is about 150 bytes per child (a national root with 63
 * provinces: ~10 KB). The JSON size over-estimates the item size slightly; refuse early and clearly.
 */
export const MAX_REPORT_ITEM_BYTES = 350 * 1024;

const QUERY_CONCURRENCY = 16;

/** JSON with object keys sorted at every level: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two reports the same: everything but when they were generated. */
export function reportContentHash(report: UnitReport): string {
  const { generatedAt: _generatedAt, ...content } = report;
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('base64url')}`;
}

/** The summary's attributes inside the `report` map (`name` is a reserved word, so all go through names). */
const SUMMARY_PROJECTION = {
  ProjectionExpression: '#r.#reportId, #r.#unit.#id, #r.#unit.#name, #r.#period, #r.#generatedAt, #r.#atEnd',
  ExpressionAttributeNames: {
    '#r': 'report',
    '#reportId': 'reportId',
    '#unit': 'unit',
    '#id': 'id',
    '#name': 'name',
    '#period': 'period',
    '#generatedAt': 'generatedAt',
    '#atEnd': 'atEnd',
  },
};

type ProjectedReport = Pick<UnitReport, 'reportId' | 'period' | 'generatedAt' | 'atEnd'> & {
  unit: Pick<UnitReport['unit'], 'id' | 'name'>;
};

function toSummary(item: Record<string, unknown>): ReportSummary {
  const report = item.report as ProjectedReport;
  return {
    reportId: report.reportId,
    unitId: report.unit.id,
    unitName: report.unit.name,
    period: report.period,
    generatedAt: report.generatedAt,
    atEnd: report.atEnd,
  };
}

export class DynamoReportStore implements ReportStore, ReportReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(report: UnitReport): Promise<PutOutcome> {
    const { campaignId } = report;
    const unitId = report.unit.id;
    const periodId = report.period.id;
    if (report.reportId !== reportIdOf(unitId, periodId)) {
      throw new Error(
        `Report id "${report.reportId}" does not name unit "${unitId}" and period "${periodId}"`,
      );
    }
    const contentHash = reportContentHash(report);
    const item = {
      ...reportKey(campaignId, unitId, periodId),
      ...reportIndexKey(campaignId, unitId, periodId),
      type: 'report',
      campaignId,
      unitId,
      periodId,
      generatedAt: report.generatedAt,
      contentHash,
      report,
    };
    const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
    if (bytes > MAX_REPORT_ITEM_BYTES) {
      throw new Error(
        `Report ${report.reportId} of campaign ${campaignId} is ${bytes} bytes with ${report.children.length} children; ` +
          `a report item holds at most ${MAX_REPORT_ITEM_BYTES} bytes (DynamoDB's limit is 400 KB)`,
      );
    }
    try {
      const { Attributes } = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression:
            'attribute_not_exists(pk) OR attribute_not_exists(contentHash) OR contentHash <> :hash',
          ExpressionAttributeValues: { ':hash': contentHash },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? 'replaced' : 'created';
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'unchanged';
      throw error;
    }
  }

  async get(campaignId: string, reportId: string): Promise<UnitReport | null> {
    // The id's schema is loaded here only: the report job, which only puts, runs no zod.
    const { parseReportId } = await import('../schemas/reports.js');
    const id = parseReportId(reportId);
    if (!id) return null;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: reportKey(campaignId, id.unitId, id.periodId),
        ProjectionExpression: '#r',
        ExpressionAttributeNames: { '#r': 'report' },
      }),
    );
    return (Item?.report as UnitReport | undefined) ?? null;
  }

  async list(campaignId: string, filter: ReportFilter = {}): Promise<ReportSummary[]> {
    const { unitId, period, limit } = filter;
    if (limit !== undefined && limit <= 0) return [];
    if (unitId !== undefined && period !== undefined) {
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: reportKey(campaignId, unitId, period),
          ...SUMMARY_PROJECTION,
        }),
      );
      return Item ? [toSummary(Item)] : [];
    }
    if (unitId !== undefined) {
      return this.query(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': reportsPartition(campaignId),
            ':prefix': reportUnitPrefix(unitId),
          },
        },
        limit,
      );
    }
    if (period !== undefined) {
      return this.query(
        {
          IndexName: BY_COLLECTION_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': reportsOfPeriod(campaignId, period) },
        },
        limit,
      );
    }
    return this.query(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': reportsPartition(campaignId) },
      },
      limit,
    );
  }

  async listForUnits(
    campaignId: string,
    unitIds: readonly string[],
    filter: Pick<ReportFilter, 'period'> = {},
  ): Promise<ReportSummary[]> {
    const units = [...new Set(unitIds)];
    const { period } = filter;
    if (period === undefined) {
      const perUnit = await mapConcurrent(units, QUERY_CONCURRENCY, (unitId) =>
        this.list(campaignId, { unitId }),
      );
      return perUnit.flat();
    }
    const found = new Map<string, ReportSummary>();
    const keys = units.map((id) => reportKey(campaignId, id, period));
    for (const item of await batchGetAll(this.db, this.tableName, keys, { projection: SUMMARY_PROJECTION })) {
      const summary = toSummary(item);
      found.set(summary.unitId, summary);
    }
    return units.flatMap((id) => {
      const summary = found.get(id);
      return summary ? [summary] : [];
    });
  }

  /** Every summary the Query matches, or with `limit` at most that many (no page read past it). */
  private async query(
    input: Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
    limit?: number,
  ): Promise<ReportSummary[]> {
    const items = await queryAll(
      this.db,
      { TableName: this.tableName, ...input, ...SUMMARY_PROJECTION },
      limit,
    );
    return items.map(toSummary);
  }
}

/**
 * The reports store against DynamoDB Local: created / unchanged / replaced, one item per (unit, period)
 * however often a period is re-run, racing runs, and the lists (by unit, by period, for a set of units).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UnitReport } from '../../shared/domain/report.js';
import { summaryOf } from '../../shared/schemas/reports.js';
import { DynamoReportStore, MAX_REPORT_ITEM_BYTES } from '../../shared/store/report-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { aReport } from '../support/builders.js';
import { countRequests, type RequestCounter, type TestTable, useTestTable } from '../support/dynamo.js';

const CAMPAIGN = 'cccd-2021-test';
const OTHER = 'cccd-2021-other';

const PERIODS = {
  '2021-W13': { kind: 'week', id: '2021-W13', from: '2021-03-29', to: '2021-04-04' },
  '2021-W14': { kind: 'week', id: '2021-W14', from: '2021-04-05', to: '2021-04-11' },
  final: { kind: 'final', id: 'final', from: '2021-03-01', to: '2021-06-18' },
} as const satisfies Record<string, UnitReport['period']>;

/** A report with two children, a sub-target and both kinds of note: every shape the map attribute must keep. */
function aStoredReport(
  unitId: string,
  periodId: keyof typeof PERIODS,
  overrides: Partial<UnitReport> & { campaignId?: string } = {},
): UnitReport {
  return aReport({
    reportId: `${unitId}:${periodId}`,
    campaignId: CAMPAIGN,
    campaignName: 'Thu nhận hồ sơ CCCD 2021 — thử',
    unit: { id: unitId, name: `Huyện ${unitId}`, level: 'district', parentId: '33' },
    period: PERIODS[periodId],
    target: 600, // generated 12/4, deadline 18/6, level changed: aReport's
    atStart: { total: 100, percent: 16.67, level: 'critical' },
    atEnd: { total: 160, percent: 26.67, level: 'at_risk' },
    received: 60,
    dailyAverage: 8.57,
    requiredDailyRate: null,
    subTargets: [
      { group: 'official', target: 50, deadline: '2021-04-30', total: 0, percent: 0, level: 'critical' },
    ],
    children: [
      {
        unitId: `${unitId}01`,
        name: 'Xã Một',
        received: 60,
        total: 160,
        target: 300,
        percent: 53.33,
        level: 'on_track',
      },
      {
        unitId: `${unitId}02`,
        name: 'Xã Hai',
        received: 0,
        total: 0,
        target: 300,
        percent: 0,
        level: 'critical',
      },
    ],
    best: [`${unitId}01`, `${unitId}02`],
    worst: [`${unitId}02`, `${unitId}01`],
    notes: [
      { kind: 'targets_above_parent', childrenSum: 600, target: 600 },
      { kind: 'no_intake', unitId: `${unitId}02`, name: 'Xã Hai', days: 42, lastDay: null },
    ],
    ...overrides,
  });
}

/** The same content, written with its keys in another order (as another run may build it). */
function reordered(report: UnitReport): UnitReport {
  const reverse = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverse);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reverse(v)]),
      );
    }
    return value;
  };
  return reverse(report) as UnitReport;
}

describe('DynamoReportStore', () => {
  let table: TestTable;
  let store: DynamoReportStore;
  let requests: RequestCounter;

  /** The stored items of the campaign's reports partition for one (unit, period). */
  async function itemsOf(campaignId: string, unitId: string, periodId: string) {
    const { Items } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': `C#${campaignId}#REPORTS`, ':sk': `${unitId}#${periodId}` },
      }),
    );
    return Items ?? [];
  }

  useTestTable(campaignTable, async (t) => {
    table = t;
    store = new DynamoReportStore(t.db, t.name);
    requests = countRequests(t.db);
  });
  beforeEach(() => requests.reset());

  describe('put()', () => {
    it('creates, then leaves unchanged the same report generated later, then replaces a changed one', async () => {
      // Arrange
      const first = aStoredReport('323', '2021-W13');
      const rerun = { ...first, generatedAt: '2021-04-12T07:00:00.000Z' };
      const corrected = { ...first, generatedAt: '2021-04-13T07:00:00.000Z', received: 61 };
      // Act
      const outcomes = [await store.put(first), await store.put(rerun), await store.put(corrected)];
      // Assert
      expect(outcomes).toEqual(['created', 'unchanged', 'replaced']);
      expect(await store.get(CAMPAIGN, '323:2021-W13')).toEqual(corrected);
      expect(await itemsOf(CAMPAIGN, '323', '2021-W13')).toHaveLength(1);
    });

    it('keeps the first generatedAt when a re-run changes nothing (the report as it was sent)', async () => {
      // Arrange
      const first = aStoredReport('324', '2021-W13');
      await store.put(first);
      // Act
      const outcome = await store.put({ ...first, generatedAt: '2021-04-19T00:00:00.000Z' });
      // Assert
      expect(outcome).toBe('unchanged');
      expect((await store.get(CAMPAIGN, '324:2021-W13'))?.generatedAt).toBe(first.generatedAt);
    });

    it('tells unchanged whatever the order of the keys', async () => {
      // Arrange
      const report = aStoredReport('325', '2021-W13');
      await store.put(report);
      // Act
      const outcome = await store.put(reordered({ ...report, generatedAt: '2021-04-12T09:00:00.000Z' }));
      // Assert
      expect(outcome).toBe('unchanged');
    });

    it('keeps one item per (unit, period) over many re-runs, in one conditional PutItem each', async () => {
      // Arrange
      const report = aStoredReport('326', 'final');
      // Act
      const outcomes: string[] = [];
      for (let run = 0; run < 5; run++) {
        outcomes.push(
          await store.put({ ...report, generatedAt: `2021-06-2${run}T00:00:00.000Z`, received: run % 2 }),
        );
        outcomes.push(
          await store.put({ ...report, generatedAt: `2021-06-2${run}T01:00:00.000Z`, received: run % 2 }),
        );
      }
      // Assert
      expect(outcomes).toEqual([
        'created',
        'unchanged',
        ...Array.from({ length: 4 }, () => ['replaced', 'unchanged']).flat(),
      ]);
      expect(requests.get('PutItemCommand')).toBe(10);
      expect(requests.total()).toBe(10);
      expect(await itemsOf(CAMPAIGN, '326', 'final')).toHaveLength(1);
    });

    it('answers created to one of two racing runs and unchanged to the other', async () => {
      // Arrange
      const report = aStoredReport('327', '2021-W14');
      // Act
      const outcomes = await Promise.all([
        store.put(report),
        store.put({ ...report, generatedAt: '2021-04-12T00:00:01.000Z' }),
      ]);
      // Assert
      expect(outcomes.sort()).toEqual(['created', 'unchanged']);
    });

    it('round-trips every field: nulls, empty lists, notes, sub-targets, Vietnamese text', async () => {
      // Arrange
      const report = aStoredReport('328', '2021-W14', {
        unit: { id: '328', name: 'Thành phố Hưng Yên', level: 'city', parentId: null },
        subTargets: [],
        notes: [],
        best: [],
        worst: [],
      });
      // Act
      await store.put(report);
      // Assert
      expect(await store.get(CAMPAIGN, '328:2021-W14')).toEqual(report);
    });

    it('refuses a report whose id does not name its unit and period, and one over the item limit, writing nothing', async () => {
      // Arrange
      const misnamed = { ...aStoredReport('329', '2021-W14'), reportId: '329:2021-W13' };
      const child = aStoredReport('330', '2021-W14').children[0];
      if (!child) throw new Error('no child');
      const huge = aStoredReport('330', '2021-W14', {
        children: Array.from({ length: 2000 }, (_, i) => ({
          ...child,
          unitId: `c${i}`,
          name: 'X'.repeat(200),
        })),
      });
      // Act / Assert
      await expect(store.put(misnamed)).rejects.toThrow(/does not name unit "329" and period "2021-W14"/);
      await expect(store.put(huge)).rejects.toThrow(new RegExp(`at most ${MAX_REPORT_ITEM_BYTES} bytes`));
      expect(requests.total()).toBe(0);
    });
  });

  describe('get()', () => {
    it('answers null for an unknown report, another campaign, or what is not a report id', async () => {
      // Arrange
      await store.put(aStoredReport('340', '2021-W13'));
      // Act / Assert
      expect(await store.get(CAMPAIGN, '340:2021-W14')).toBeNull();
      expect(await store.get(OTHER, '340:2021-W13')).toBeNull();
      expect(await store.get(CAMPAIGN, '340')).toBeNull();
      expect(await store.get(CAMPAIGN, '340#2021-W13')).toBeNull();
    });
  });

  describe('list() and listForUnits()', () => {
    const units = ['50', '500', '51', '52'];
    beforeAll(async () => {
      const campaign = { campaignId: OTHER };
      for (const unitId of units) {
        for (const period of ['2021-W14', '2021-W13', 'final'] as const) {
          await store.put({ ...aStoredReport(unitId, period), ...campaign });
        }
      }
      // Another campaign's reports of the same units are never listed.
      await store.put(aStoredReport('50', '2021-W13'));
    });

    it("lists a unit's own reports in period order, in one Query (not those of a unit whose id extends it)", async () => {
      // Act
      const reports = await store.list(OTHER, { unitId: '50' });
      // Assert
      expect(reports.map((r) => r.reportId)).toEqual(['50:2021-W13', '50:2021-W14', '50:final']);
      expect(reports[0]).toEqual(summaryOf({ ...aStoredReport('50', '2021-W13'), campaignId: OTHER }));
      expect(requests.get('QueryCommand')).toBe(1);
    });

    it.each([
      {
        says: "lists one period's reports of every unit in one Query of the index",
        read: () => store.list(OTHER, { period: '2021-W14' }),
        ids: ['50:2021-W14', '500:2021-W14', '51:2021-W14', '52:2021-W14'],
        queries: 1,
      },
      {
        says: "reads a set of units' reports of every period with one Query per unit",
        read: () => store.listForUnits(OTHER, ['51', '50']),
        ids: ['51:2021-W13', '51:2021-W14', '51:final', '50:2021-W13', '50:2021-W14', '50:final'],
        queries: 2,
      },
    ])('$says', async ({ read, ids, queries }) => {
      // Act
      const reports = await read();
      // Assert
      expect(reports.map((r) => r.reportId)).toEqual(ids);
      expect(requests.get('QueryCommand')).toBe(queries);
    });

    it('lists one report with unitId and period, and every report without a filter', async () => {
      // Act
      const one = await store.list(OTHER, { unitId: '51', period: 'final' });
      const all = await store.list(OTHER);
      const none = await store.list(OTHER, { unitId: '51', period: '2021-W10' });
      // Assert
      expect(one.map((r) => r.reportId)).toEqual(['51:final']);
      expect(all).toHaveLength(12);
      expect(none).toEqual([]);
    });

    it('with a limit reads no more than it (DynamoDB Limit), campaign-wide or of a period; a larger one reads all', async () => {
      // Act
      const five = await store.list(OTHER, { limit: 5 });
      const fiveQueries = requests.get('QueryCommand');
      const two = await store.list(OTHER, { period: '2021-W14', limit: 2 });
      const all = await store.list(OTHER, { limit: 13 });
      // Assert
      expect(five.map((r) => r.reportId)).toEqual([
        '50:2021-W13',
        '50:2021-W14',
        '50:final',
        '500:2021-W13',
        '500:2021-W14',
      ]);
      expect(fiveQueries).toBe(1);
      expect(two.map((r) => r.reportId)).toEqual(['50:2021-W14', '500:2021-W14']);
      expect(all).toHaveLength(12);
    });

    it("reads a set of units' reports of a period in BatchGetItem rounds of 100 keys, in the given order", async () => {
      // Arrange: 150 units of a subtree, three of them with reports
      const subtree = ['52', ...Array.from({ length: 148 }, (_, i) => `9${i}`), '50'];
      // Act
      const reports = await store.listForUnits(OTHER, subtree, { period: '2021-W13' });
      // Assert
      expect(reports.map((r) => r.reportId)).toEqual(['52:2021-W13', '50:2021-W13']);
      expect(requests.get('BatchGetItemCommand')).toBe(2);
      expect(requests.total()).toBe(2);
    });

    it('reads summaries only (the children stay in the table)', async () => {
      // Act
      const [summary] = await store.list(OTHER, { unitId: '52', period: '2021-W14' });
      // Assert
      expect(summary).toEqual({
        reportId: '52:2021-W14',
        unitId: '52',
        unitName: 'Huyện 52',
        period: PERIODS['2021-W14'],
        generatedAt: '2021-04-12T00:00:00.000Z',
        atEnd: { total: 160, percent: 26.67, level: 'at_risk' },
      });
    });
  });
});

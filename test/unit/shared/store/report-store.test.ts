/** DynamoReportStore's lists against a mocked DynamoDB: paging, and the read limit that bounds a list. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoReportStore } from '../../../../shared/store/report-store.js';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const CAMPAIGN = 'cccd-2021-test';
/** Items a Query page holds at most (DynamoDB stops at 1 MB; summaries are small, so many fit). */
const PAGE = 1_000;

/** A reports partition of `count` projected items, answered page by page as DynamoDB does; counts what it answers. */
function aPartitionOf(count: number) {
  const answered = { items: 0, pages: 0 };
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const start = Number(input.ExclusiveStartKey?.sk ?? 0);
    const size = Math.min(PAGE, input.Limit ?? PAGE, count - start);
    const Items = Array.from({ length: size }, (_, i) => ({
      report: {
        reportId: `u${start + i}:2021-W14`,
        unit: { id: `u${start + i}`, name: `Xã ${start + i}` },
        period: { kind: 'week', id: '2021-W14', from: '2021-04-05', to: '2021-04-11' },
        generatedAt: '2021-04-12T00:00:00.000Z',
        atEnd: { total: 1, percent: 1, level: 'critical' },
      },
    }));
    answered.items += size;
    answered.pages++;
    // DynamoDB answers LastEvaluatedKey when it stopped at Limit or at the page's size, even at the end.
    const stopped = start + size < count || size === input.Limit;
    return { Items, ...(stopped && { LastEvaluatedKey: { pk: 'x', sk: String(start + size) } }) };
  });
  return answered;
}

describe('DynamoReportStore.list()', () => {
  beforeEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it('with a limit reads no more than that many summaries, however many are stored', async () => {
    // Arrange
    const answered = aPartitionOf(25_000);
    const store = new DynamoReportStore(db, 'Campaign-test');
    // Act
    const listed = await store.list(CAMPAIGN, { limit: 10_001 });
    const ofPeriod = await store.list(CAMPAIGN, { period: '2021-W14', limit: 2_500 });
    // Assert
    expect(listed).toHaveLength(10_001);
    expect(ofPeriod).toHaveLength(2_500);
    expect(answered.items).toBe(10_001 + 2_500);
    const limits = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.Limit);
    expect(limits.every((l) => l !== undefined && l <= 10_001)).toBe(true);
  });

  it('without a limit reads every page', async () => {
    // Arrange
    const answered = aPartitionOf(2_345);
    const store = new DynamoReportStore(db, 'Campaign-test');
    // Act
    const listed = await store.list(CAMPAIGN);
    // Assert
    expect(listed).toHaveLength(2_345);
    expect(listed[2_344]).toMatchObject({ reportId: 'u2344:2021-W14', unitId: 'u2344', unitName: 'Xã 2344' });
    expect(answered).toEqual({ items: 2_345, pages: 3 });
  });

  it('a limit larger than what is stored answers all of it', async () => {
    // Arrange
    const answered = aPartitionOf(1_500);
    const store = new DynamoReportStore(db, 'Campaign-test');
    // Act
    const listed = await store.list(CAMPAIGN, { limit: 10_001 });
    // Assert
    expect(listed).toHaveLength(1_500);
    expect(answered.items).toBe(1_500);
  });
});

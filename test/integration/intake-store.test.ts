/** The conditional put against DynamoDB Local: exactly one item per eventId, duplicate vs conflict. */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DynamoIntakeEventStore,
  intakeEventKey,
  type StoredIntakeEvent,
} from '../../shared/store/intake-store.js';
import { intakeEventsTable } from '../../shared/store/tables.js';
import { useTestStore } from '../support/dynamo.js';

const anEvent = (overrides: Partial<StoredIntakeEvent> = {}): StoredIntakeEvent => ({
  eventId: 'evt-00000001',
  campaignId: 'cccd-2021-test',
  unitId: '12001',
  occurredAt: '2021-03-13T02:30:00.000Z',
  day: '2021-03-13',
  count: 1,
  kind: 'new',
  channel: 'fixed',
  path: ['33', '323'],
  payloadHash: 'hash-a',
  receivedAt: '2021-03-13T02:30:01.000Z',
  sub: 'post-17',
  ingestId: 'request-1',
  ...overrides,
});

describe('DynamoIntakeEventStore', () => {
  const on = useTestStore(intakeEventsTable, (db, name) => new DynamoIntakeEventStore(db, name));

  it('accepts once, then answers duplicate for the same payload and conflict for another', async () => {
    // Act
    const first = await on.store.putIfAbsent(anEvent());
    const retry = await on.store.putIfAbsent(
      anEvent({ ingestId: 'request-2', receivedAt: '2021-03-13T02:31:00.000Z' }),
    );
    const other = await on.store.putIfAbsent(
      anEvent({ ingestId: 'request-3', count: 5, payloadHash: 'hash-b' }),
    );
    // Assert
    expect([first, retry, other]).toEqual(['accepted', 'duplicate', 'conflict']);
    const { Items } = await on.table.db.send(new ScanCommand({ TableName: on.table.name }));
    expect(Items).toHaveLength(1);
    const { Item } = await on.table.db.send(
      new GetCommand({ TableName: on.table.name, Key: intakeEventKey('cccd-2021-test', 'evt-00000001') }),
    );
    expect(Item).toMatchObject({ count: 1, payloadHash: 'hash-a', receivedAt: '2021-03-13T02:30:01.000Z' });
  });

  it('answers accepted when its own earlier attempt is what is stored (an SDK retry)', async () => {
    await on.store.putIfAbsent(anEvent({ eventId: 'evt-00000002', ingestId: 'request-9' }));
    expect(await on.store.putIfAbsent(anEvent({ eventId: 'evt-00000002', ingestId: 'request-9' }))).toBe(
      'accepted',
    );
  });

  it('stores exactly one item when the same event is put 20 times at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        on.store.putIfAbsent(anEvent({ eventId: 'evt-00000003', ingestId: `r${i}` })),
      ),
    );
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
  });
});

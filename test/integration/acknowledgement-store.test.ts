/**
 * DynamoAcknowledgementStore on DynamoDB Local: acknowledgements ordered by their end, found by id
 * through their pointer, withdrawn in place (shared/store/until-ordered.ts underneath).
 */
import { describe, expect, it } from 'vitest';
import type { Acknowledgement } from '../../shared/domain/alert-policy.js';
import { DynamoAcknowledgementStore } from '../../shared/store/acknowledgement-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { useTestStore } from '../support/dynamo.js';

const CAMPAIGN = 'cccd-2021';
const anAck = (id: string, unitId: string, until: string): Acknowledgement => ({
  id,
  campaignId: CAMPAIGN,
  unitId,
  createdAt: '2021-03-13T01:00:00.000Z',
  createdBy: 'leader-323',
  note: 'đang xử lý',
  until,
});

describe('DynamoAcknowledgementStore', () => {
  const on = useTestStore(campaignTable, (db, name) => new DynamoAcknowledgementStore(db, name));

  it('lists those ending after a time, soonest ending first, in one Query; one ending exactly then is over', async () => {
    // Arrange
    const late = anAck('a-late', '33', '2021-03-20T00:00:00.000Z');
    const soon = anAck('a-soon', '323', '2021-03-14T00:00:00.000Z');
    await on.store.create(late);
    await on.store.create(soon);
    on.requests.reset();

    // Act
    const holding = await on.store.endingAfter(CAMPAIGN, new Date('2021-03-13T08:00:00.000Z'));

    // Assert
    expect(holding).toEqual([soon, late]);
    expect(on.requests.total()).toBe(1);
    expect(await on.store.endingAfter(CAMPAIGN, new Date(soon.until))).toEqual([late]);
    expect(await on.store.endingAfter('cccd-2021-other', new Date('2021-03-13T08:00:00.000Z'))).toEqual([]);
  });

  it('refuses a second acknowledgement with the same id', async () => {
    await expect(on.store.create(anAck('a-soon', '324', '2021-03-15T00:00:00.000Z'))).rejects.toThrow();
    expect(await on.store.get(CAMPAIGN, 'a-soon')).toMatchObject({ unitId: '323' });
  });

  it('finds one by id, withdraws it once (kept, marked), and knows no unknown id', async () => {
    // Act
    const first = await on.store.withdraw(CAMPAIGN, 'a-late', 'admin', new Date('2021-03-13T09:00:00.000Z'));
    const again = await on.store.withdraw(CAMPAIGN, 'a-late', 'admin', new Date('2021-03-13T10:00:00.000Z'));

    // Assert
    expect([first, again]).toEqual([true, false]);
    expect(await on.store.get(CAMPAIGN, 'a-late')).toEqual({
      ...anAck('a-late', '33', '2021-03-20T00:00:00.000Z'),
      deletedAt: '2021-03-13T09:00:00.000Z',
      deletedBy: 'admin',
    });
    expect(await on.store.get(CAMPAIGN, 'a-none')).toBeNull();
    expect(await on.store.withdraw(CAMPAIGN, 'a-none', 'admin', new Date())).toBe(false);
  });
});

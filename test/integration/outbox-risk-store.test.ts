/** The alert outbox and the risk state store on DynamoDB Local. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../shared/alerts/publisher.js';
import type { RiskFigures } from '../../shared/domain/risk.js';
import { outboxPk } from '../../shared/store/keys.js';
import { DynamoOutbox } from '../../shared/store/outbox-store.js';
import { DynamoRiskStore, type StoredRisk } from '../../shared/store/risk-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { type TestTable, useTestTable } from '../support/dynamo.js';

const message = (scope: string, channel: 'sms' | 'email' = 'sms'): AlertMessage => ({
  subject: 'Canh bao',
  sms: `Don vi ${scope} nguy co`,
  email: `Đơn vị ${scope} có nguy cơ`,
  attributes: { campaignId: 'c1', scope, severity: 'critical', kind: 'alert', lang: 'vi', channel },
});

const figures: RiskFigures = {
  evaluationDay: '2021-03-13',
  remaining: 10,
  daysLeft: 5,
  requiredDailyRate: 2,
  observedDailyRate: 1,
  paceRatio: 0.5,
  projectedCompletion: '2021-03-23',
  level: 'critical',
};

describe('DynamoOutbox', () => {
  let table: TestTable;
  let outbox: DynamoOutbox;
  useTestTable(campaignTable, async (t) => {
    table = t;
    outbox = new DynamoOutbox(t.db, t.name);
  });

  it("counts SMS once per record, keeps the budget marks once, and lists a unit's records by time", async () => {
    // Arrange
    const at = new Date('2021-04-02T13:00:00Z');
    const entry = {
      key: 'f1#324#vi#sms',
      campaignId: 'c1',
      releaseAt: at.toISOString(),
      about: ['324', '12101'],
      smsCost: { month: '2021-04', count: 3 },
      message: message('324'),
    };
    // Act
    await outbox.enqueue(entry);
    await outbox.enqueue(entry);
    await outbox.markSent(entry, 'm-9', at);
    await outbox.mark('c1', '2021-04', 'noticeAt', at);
    await outbox.mark('c1', '2021-04', 'noticeAt', new Date('2021-04-03T00:00:00Z'));
    const month = await outbox.get('c1', '2021-04');
    const listed = await outbox.forScope('c1', '324', '2021-04-01T00:00:00.000Z', '2021-04-03T00:00:00.000Z');
    const outside = await outbox.forScope(
      'c1',
      '324',
      '2021-04-03T00:00:00.000Z',
      '2021-04-04T00:00:00.000Z',
    );
    // Assert
    expect(month).toEqual({ count: 3, noticeAt: at.toISOString(), cappedAt: null });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: 'sent', sentAt: at.toISOString(), about: ['324', '12101'] });
    expect(outside).toEqual([]);
  });

  it('records a message once, releases it when due, and forgets it once sent', async () => {
    // Arrange
    const now = new Date('2021-03-13T15:00:00Z');
    const entry = {
      key: 'e1#323#vi#sms',
      campaignId: 'c1',
      releaseAt: '2021-03-13T23:30:00.000Z',
      message: message('323'),
    };
    const email = {
      key: 'e1#323#vi#email',
      campaignId: 'c1',
      releaseAt: now.toISOString(),
      message: message('323', 'email'),
    };
    // Act
    const first = await outbox.enqueue(entry);
    const retry = await outbox.enqueue(entry);
    await outbox.enqueue(email);
    const dueNow = await outbox.due('c1', now);
    const dueLater = await outbox.due('c1', new Date('2021-03-13T23:30:00Z'));
    await outbox.markSent(email, 'm-1', now);
    const afterSend = await outbox.due('c1', new Date('2021-03-13T23:30:00Z'));
    // Assert
    expect([first, retry]).toEqual(['enqueued', 'exists']);
    expect(dueNow.map((e) => e.key)).toEqual(['e1#323#vi#email']);
    expect(dueLater.map((e) => e.key)).toEqual(['e1#323#vi#email', 'e1#323#vi#sms']);
    expect(afterSend.map((e) => e.key)).toEqual(['e1#323#vi#sms']);
    expect(await outbox.enqueue(email)).toBe('exists');
    const all = await outbox.all('c1');
    expect(all.find((e) => e.key === 'e1#323#vi#email')).toMatchObject({ status: 'sent', messageId: 'm-1' });
    // The record ages out (TTL): 400 days after its release, in epoch seconds
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.name, Key: { pk: outboxPk('c1'), sk: 'K#e1#323#vi#email' } }),
    );
    expect(Item?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 400 * 86_400);
  });
});

describe('DynamoRiskStore', () => {
  let store: DynamoRiskStore;
  useTestTable(campaignTable, async (t) => {
    store = new DynamoRiskStore(t.db, t.name);
  });

  it('writes and reads back states in batches, with a history item per level change', async () => {
    const states: StoredRisk[] = Array.from({ length: 130 }, (_, i) => ({
      unitId: `u${i}`,
      level: 'critical',
      since: '2021-03-12T15:00:00.000Z',
      evaluatedAt: '2021-03-13T15:00:00.000Z',
      figures,
      alert: {
        observedLevel: 'critical',
        streak: 3,
        alertedLevel: 'critical',
        alertedAt: '2021-03-13T01:00:00.000Z',
        criticalSince: '2021-03-12T15:00:00.000Z',
        escalatedAt: null,
        lastEvaluatedAt: '2021-03-13T15:00:00.000Z',
      },
    }));
    await store.putStates('c1', states, [
      { unitId: 'u7', level: 'critical', since: '2021-03-12T15:00:00.000Z', figures },
    ]);
    const read = await store.getStates('c1', ['u0', 'u7', 'u129', 'missing']);
    expect([...read.keys()].sort()).toEqual(['u0', 'u129', 'u7']);
    expect(read.get('u7')).toEqual(states[7]);
    expect(await store.history('c1', 'u7')).toEqual([
      { unitId: 'u7', level: 'critical', since: '2021-03-12T15:00:00.000Z', figures },
    ]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from '../../../../shared/domain/alert-policy.js';
import { type Audience, type RiskJobPorts, runRiskJob } from '../../../../shared/jobs/risk-job.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';
import { MemoryOutbox, MemoryRiskStore, RecordingPublisher } from '../../../support/memory-jobs.js';
import type { MemoryTotalsStore } from '../../../support/memory-totals.js';
import { steadyCampaign } from '../../../support/steady-campaign.js';

const file = CampaignFile.parse(aCampaignFile());
const CAMPAIGN = file.campaign.id;

/** The risk job's ports around the given stores: nothing silenced, the default policy, fresh risk store and publisher. */
const quietWorld = (stores: Pick<RiskJobPorts, 'campaigns' | 'totals'>, audiences: Audience[]) => ({
  ...stores,
  risk: new MemoryRiskStore(),
  silences: { active: async () => [] },
  audiences: { list: async () => audiences },
  publisher: new RecordingPublisher(),
  policy: DEFAULT_ALERT_POLICY,
});

describe('runRiskJob()', () => {
  let ports: RiskJobPorts & { risk: MemoryRiskStore; outbox: MemoryOutbox; publisher: RecordingPublisher };
  let now: Date;
  const audiences: Audience[] = [
    { scope: '33', lang: 'vi', channel: 'sms' },
    { scope: '33', lang: 'vi', channel: 'email' },
    { scope: '323', lang: 'en', channel: 'email' },
  ];

  beforeEach(async () => {
    // Every unit receives 1 a day from 1 March: far below the ~9 a day the root needs.
    const { campaigns, totals } = await steadyCampaign(file, { days: 10, perUnitPerDay: 1 });
    now = new Date('2021-03-20T00:00:00Z');
    ports = {
      ...quietWorld({ campaigns, totals }, audiences),
      outbox: new MemoryOutbox(),
      clock: () => now,
    };
  });

  const run = (asOf: string) => runRiskJob(ports, { campaignId: CAMPAIGN, asOf });
  const sent = () =>
    ports.publisher.published.map(
      (p) => `${p.message.attributes.scope}/${p.message.attributes.lang}/${p.message.attributes.channel}`,
    );

  it('evaluates every unit, keeps its level and since, and alerts only after the level held twice', async () => {
    // Act
    const [first] = await run('2021-03-05T20:00:00+07:00');
    const afterFirst = sent();
    const [second] = await run('2021-03-06T20:00:00+07:00');
    // Assert
    expect(first).toMatchObject({ units: 6, levels: { critical: 6 }, notifications: 0, published: 0 });
    expect(afterFirst).toEqual([]);
    expect(second?.notifications).toBeGreaterThan(0);
    expect(sent().sort()).toEqual(['323/en/email', '33/vi/email', '33/vi/sms']);
    const root = ports.risk.states.get('33');
    expect(root).toMatchObject({ level: 'critical', since: '2021-03-05T13:00:00.000Z' });
    expect(root?.figures.requiredDailyRate).toBeGreaterThan(
      root?.figures.observedDailyRate ?? Number.POSITIVE_INFINITY,
    );
    expect(ports.risk.history.filter((h) => h.unitId === '33')).toHaveLength(1);
  });

  it('sends nothing new when the same evaluation runs again', async () => {
    await run('2021-03-05T20:00:00+07:00');
    await run('2021-03-06T20:00:00+07:00');
    const before = ports.publisher.published.length;
    const states = structuredClone([...ports.risk.states]);
    const [again] = await run('2021-03-06T20:00:00+07:00');
    expect(again).toMatchObject({ enqueued: 0, published: 0, alreadyEvaluated: true });
    expect(ports.publisher.published).toHaveLength(before);
    expect([...ports.risk.states]).toEqual(states);
  });

  it('holds SMS in quiet hours and sends it at the next run after 06:30, e-mail at once', async () => {
    // Arrange: alerted at 20:00 on the 6th; a repeat falls due at 21:45 on the 7th (quiet hours)
    await run('2021-03-05T20:00:00+07:00');
    await run('2021-03-06T20:00:00+07:00');
    ports.publisher.published.length = 0;
    // Act
    await run('2021-03-07T21:45:00+07:00');
    const inQuietHours = sent();
    await run('2021-03-08T07:00:00+07:00');
    // Assert
    expect(inQuietHours.sort()).toEqual(['323/en/email', '33/vi/email']);
    expect(sent().slice(inQuietHours.length)).toEqual(['33/vi/sms']);
    for (const p of ports.publisher.published) {
      expect(p.message.sms.length).toBeLessThanOrEqual(160);
      expect(p.message.attributes).toMatchObject({
        campaignId: CAMPAIGN,
        kind: 'alert',
        severity: 'critical',
      });
    }
  });

  it('publishes nothing for scopes without subscribers', async () => {
    ports = { ...ports, audiences: { list: async () => [] } };
    await run('2021-03-05T20:00:00+07:00');
    const [second] = await run('2021-03-06T20:00:00+07:00');
    expect(second?.notifications).toBeGreaterThan(0);
    expect(ports.publisher.published).toHaveLength(0);
  });

  it('reads one Query of DAY items per unit, through the evaluation day, live or historical', async () => {
    const totals = ports.totals as MemoryTotalsStore;
    now = new Date('2021-03-06T13:00:00Z');
    totals.resetReads();
    await run('2021-03-06T20:00:00+07:00');
    expect(totals.reads.getTotals).toHaveLength(0);
    expect(totals.reads.getDays).toHaveLength(6);
    expect(new Set(totals.reads.getDays.map((r) => `${r.from}..${r.to}`))).toEqual(
      new Set(['undefined..2021-03-06']),
    );
    now = new Date('2021-03-20T00:00:00Z');
    totals.resetReads();
    await run('2021-03-07T20:00:00+07:00');
    expect(totals.reads.getTotals).toHaveLength(0);
    expect(totals.reads.getDays).toHaveLength(6);
  });

  it('refuses an unknown campaign and a malformed moment', async () => {
    await expect(runRiskJob(ports, { campaignId: 'nope-campaign' })).rejects.toThrow(
      'Unknown campaign "nope-campaign"',
    );
    await expect(runRiskJob(ports, { campaignId: CAMPAIGN, asOf: 'yesterday' })).rejects.toThrow(
      'is not a date-time',
    );
  });
});

describe('runRiskJob() with an SMS cap (smsMonthlyCap 10)', () => {
  const capped = CampaignFile.parse(aCampaignFile({ campaign: { alerts: { smsMonthlyCap: 10 } } }));
  const units = capped.units.map((u) => u.id);
  // Each unit: a Vietnamese leader with SMS and e-mail; 12001 also an English leader with SMS only.
  const audiences: Audience[] = [
    ...units.flatMap((scope): Audience[] => [
      { scope, lang: 'vi', channel: 'sms', members: [{ minSeverity: 'at_risk', hasEmail: true }] },
      { scope, lang: 'vi', channel: 'email' },
    ]),
    { scope: '12001', lang: 'en', channel: 'sms', members: [{ minSeverity: 'at_risk', hasEmail: false }] },
  ];
  let ports: RiskJobPorts & { outbox: MemoryOutbox };

  beforeEach(async () => {
    const { campaigns, totals } = await steadyCampaign(capped, { days: 10, perUnitPerDay: 1 });
    const outbox = new MemoryOutbox();
    ports = {
      ...quietWorld({ campaigns, totals }, audiences),
      outbox,
      smsBudget: outbox,
      clock: () => new Date('2021-03-20T00:00:00Z'),
    };
  });

  const run = (asOf: string) => runRiskJob(ports, { campaignId: CAMPAIGN, asOf });
  const recorded = () => [...ports.outbox.entries.values()];
  const smsOf = (e: { message: { attributes: { channel: string } } }) =>
    e.message.attributes.channel !== 'email';

  it('tells the root once at the 8th SMS, sends the 11th as e-mail, and keeps critical SMS for SMS-only leaders', async () => {
    // Act: alerts on the 6th (7 SMS), repeats on the 7th, then the 9th
    await run('2021-03-05T20:00:00+07:00');
    await run('2021-03-06T20:00:00+07:00');
    await run('2021-03-07T20:00:00+07:00');
    await run('2021-03-09T20:00:00+07:00');

    // Assert: the notice, once, to the root's leaders, right after the 8th SMS
    const entries = recorded();
    const notices = entries.filter((e) => e.message.attributes.kind === 'notice');
    expect(
      notices.map((e) => `${e.message.attributes.scope}/${e.message.attributes.channel}`).sort(),
    ).toEqual(['33/email', '33/sms']);
    const firstNotice = entries.findIndex((e) => e.message.attributes.kind === 'notice');
    const smsBefore = entries.slice(0, firstNotice).filter(smsOf);
    expect(smsBefore.reduce((n, e) => n + (e.smsCost?.count ?? 0), 0)).toBe(8);
    expect(notices.find((e) => e.message.attributes.channel === 'email')?.message.email).toContain(
      '8 trên hạn mức 10',
    );

    // the SMS count stops at the cap, except critical SMS to a leader without e-mail
    const month = await ports.outbox.get(CAMPAIGN, '2021-03');
    const normalSms = entries.filter((e) => e.message.attributes.channel === 'sms');
    expect(normalSms.reduce((n, e) => n + (e.smsCost?.count ?? 0), 0)).toBe(10);
    expect(month.noticeAt).toBe('2021-03-07T13:00:00.000Z');
    expect(month.cappedAt).toBe('2021-03-07T13:00:00.000Z');

    // the 11th: 324's leader gets no SMS on the 7th, only the e-mail, which says why
    const on7th = entries.filter((e) => e.key.startsWith('2021-03-07T13:00:00.000Z#324#'));
    expect(on7th.map((e) => e.message.attributes.channel)).toEqual(['email']);
    expect(on7th[0]?.message.email).toContain('hạn mức SMS');
    // the SMS-only English leader of 12001 still gets the critical repeat by SMS
    const smsOnly = entries.filter((e) => e.message.attributes.channel === 'sms_only');
    expect(
      smsOnly.map((e) => `${e.key.slice(0, 10)} ${e.message.attributes.scope}/${e.message.attributes.lang}`),
    ).toEqual(['2021-03-07 12001/en', '2021-03-09 12001/en']);
    expect(smsOnly.every((e) => e.message.attributes.severity === 'critical')).toBe(true);
    expect(month.count).toBe(12);
  });
});

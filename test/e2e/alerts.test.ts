/**
 * Risk and alerts end to end on the local runtime: Hưng Yên falling behind for two weeks of
 * simulated days, events posted over HTTP, the risk job run each evening with --as-of, and what
 * the SNS stand-in delivered to the province leader (.local/alerts.jsonl).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import { isGsm7 } from '../../shared/domain/alert-messages.js';
import { addDays } from '../../shared/domain/calendar.js';
import type { CampaignFileInput } from '../../shared/schemas/campaign.js';
import type { IntakeEventInput } from '../../shared/schemas/intake.js';
import { useLocalRuntime } from '../support/local-runtime.js';

const CAMPAIGN = 'cccd-2021-hung-yen';
const scenario = JSON.parse(readFileSync('scenarios/hung-yen-2021.json', 'utf8')) as CampaignFileInput;
const communes = scenario.units.filter(
  (u) => u.level !== 'province' && !scenario.units.some((c) => c.parentId === u.id),
);

interface Delivery {
  recipient: { id: string; name: string };
  protocol: 'sms' | 'email';
  subject?: string;
  body: string;
  attributes: { scope: string; severity: string; kind: string; lang: string; channel: string };
}

describe('risk alerts on the local runtime', () => {
  let bearer: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${local.system.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as unknown;
  };
  const deliveries = (): Delivery[] =>
    existsSync(local.paths.alerts)
      ? readFileSync(local.paths.alerts, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Delivery)
      : [];

  const local = useLocalRuntime('quota-alerts-e2e-', { schedules: false }, async (runtime) => {
    // the Hưng Yên demo is loaded
    bearer = await runtime.token({
      sub: 'e2e-admin',
      units: ['*'],
      scope: 'admin intake:write progress:read',
    });
  });

  it('sends the province leader one alert when the lag holds, then repeats backing off (1, 2, 4 days), each e-mail with the unit link', async () => {
    // Arrange: the province's leader (SMS and e-mail, Vietnamese) and a district leader (e-mail, English)
    const province = (await call('POST', `/v1/campaigns/${CAMPAIGN}/recipients`, {
      unitId: '33',
      name: 'Chủ tịch UBND tỉnh',
      sms: '0912345678',
      email: 'chutich@hungyen.example.vn',
      lang: 'vi',
    })) as { id: string };
    await call('POST', `/v1/campaigns/${CAMPAIGN}/recipients`, {
      unitId: '323',
      name: 'District chair',
      email: 'district@vanlam.example.vn',
      lang: 'en',
    });

    // Act: 14 days from 1 March; each commune takes in about 40 % of what its target needs per day
    const perDay: Record<string, number> = {};
    const runs: unknown[] = [];
    const provinceLinesAfterDay: number[] = [];
    for (let d = 0; d < 14; d++) {
      const day = addDays('2021-03-01', d);
      const events: IntakeEventInput[] = communes.map((c, i) => {
        const count = Math.max(
          1,
          Math.min(1000, Math.round(((c.target / 110) * 0.4 * (90 + (i % 20))) / 100)),
        );
        perDay[day] = (perDay[day] ?? 0) + count;
        return {
          eventId: `alerts-e2e-${day}-${c.id}`,
          campaignId: CAMPAIGN,
          unitId: c.id,
          occurredAt: `${day}T10:00:00+07:00`,
          count,
          kind: 'new',
          channel: 'mobile',
        };
      });
      for (let i = 0; i < events.length; i += 100) {
        const { results } = (await call('POST', '/v1/intake-events', {
          events: events.slice(i, i + 100),
        })) as {
          results: { status: string }[];
        };
        expect(results.every((r) => r.status === 'accepted')).toBe(true);
      }
      await local.system.streams.drain(30_000);
      runs.push(
        await call('POST', '/local/jobs/risk', { campaignId: CAMPAIGN, asOf: `${day}T20:00:00+07:00` }),
      );
      provinceLinesAfterDay.push(deliveries().filter((l) => l.recipient.id === province.id).length);
    }
    // Every evening again (a retried job): nothing new
    const before = deliveries().length;
    for (let d = 0; d < 14; d++) {
      await call('POST', '/local/jobs/risk', {
        campaignId: CAMPAIGN,
        asOf: `${addDays('2021-03-01', d)}T20:00:00+07:00`,
      });
    }
    expect(deliveries()).toHaveLength(before);

    // Assert: nothing on day 1 (no data) and day 2 (a first critical reading), the alert on day 3,
    // repeats 1, 2 and 4 days later (days 4, 6, 10) and, on day 5, the one escalation of the 10
    // districts critical for 3 days: 5 SMS and 5 e-mails instead of 12 + 12
    const toProvince = deliveries().filter((l) => l.recipient.id === province.id);
    expect(provinceLinesAfterDay).toEqual([0, 0, 2, 4, 6, 8, 8, 8, 8, 10, 10, 10, 10, 10]);
    const sms = toProvince.filter((l) => l.protocol === 'sms');
    const emails = toProvince.filter((l) => l.protocol === 'email');
    expect(sms.length).toBeLessThanOrEqual(5);
    expect(emails.length).toBeLessThanOrEqual(5);
    expect(sms).toHaveLength(5);
    const link = `${local.system.url}/c/${CAMPAIGN}/u/33`;
    for (const line of toProvince) {
      expect(line.attributes).toMatchObject({ scope: '33', severity: 'critical', kind: 'alert', lang: 'vi' });
      if (line.protocol === 'sms') {
        expect(line.body.length).toBeLessThanOrEqual(160);
        expect(isGsm7(line.body)).toBe(true);
      } else {
        expect(line.body).toContain('1.109.100');
        expect(line.body).toContain(link);
        expect(line.subject).toEqual(expect.any(String));
      }
    }
    // Every delivery went to a subscriber of its scope and language
    for (const line of deliveries()) {
      if (line.recipient.id !== province.id)
        expect(line.attributes).toMatchObject({ scope: '323', lang: 'en', channel: 'email' });
    }
    // The progress API shows the level the job keeps, and since when
    const progress = (await call(
      'GET',
      `/v1/campaigns/${CAMPAIGN}/units/33/progress?asOf=2021-03-14T20:00:00%2B07:00`,
    )) as {
      risk: { level: string; since: string | null };
    };
    expect(progress.risk).toEqual({ level: 'critical', since: '2021-03-02T13:00:00.000Z' });
  });

  it('produces the weekly report for every unit with leaders, one summary per e-mail leader, once', async () => {
    // Arrange: the two weeks of the test above are in; leaders at 33 (vi) and 323 (en) read e-mail
    const before = deliveries().length;
    // Act: the report of the second week, twice (a retried job)
    const first = (await call('POST', '/local/jobs/report', { campaignId: CAMPAIGN, week: '2021-W10' })) as {
      result: {
        runs: { period: string; reports: { reportId: string; stored: string }[]; summariesSent: number }[];
      };
    };
    await call('POST', '/local/jobs/report', { campaignId: CAMPAIGN, week: '2021-W10' });
    // Assert: a report for each unit with leaders, stored once, and one summary per leader
    const [run] = first.result.runs;
    expect(run?.period).toBe('2021-W10');
    expect(run?.reports.map((r) => r.reportId).sort()).toEqual(['323:2021-W10', '33:2021-W10']);
    const summaries = deliveries()
      .slice(before)
      .filter((l) => l.attributes.kind === 'report');
    expect(summaries.map((l) => `${l.attributes.scope}/${l.attributes.lang}/${l.protocol}`).sort()).toEqual([
      '323/en/email',
      '33/vi/email',
    ]);
    expect(
      deliveries()
        .slice(before)
        .filter((l) => l.attributes.kind !== 'report'),
    ).toEqual([]);
    const listed = (await call('GET', `/v1/campaigns/${CAMPAIGN}/reports?unitId=33`)) as {
      reports: { reportId: string }[];
    };
    expect(listed.reports.map((r) => r.reportId)).toEqual(['33:2021-W10']);

    // The CSV a leader downloads: UTF-8 with a BOM, a header row and one row per district
    const csv = await fetch(
      `${local.system.url}/v1/campaigns/${CAMPAIGN}/reports/${encodeURIComponent('33:2021-W10')}`,
      {
        headers: { authorization: `Bearer ${bearer}`, accept: 'text/csv' },
      },
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).trim().split('\r\n');
    const districts = scenario.units.filter((u) => u.parentId === '33');
    expect(rows).toHaveLength(1 + districts.length);

    // A sibling district's leader cannot read another district's report
    const sibling = await mintToken(await loadOrCreateKeys(local.paths.keys), {
      sub: 'd',
      units: ['326'],
      scope: 'progress:read',
    });
    const refused = await fetch(
      `${local.system.url}/v1/campaigns/${CAMPAIGN}/reports/${encodeURIComponent('323:2021-W10')}`,
      {
        headers: { authorization: `Bearer ${sibling}` },
      },
    );
    expect(refused.status).toBe(403);
  });
  it("shows the unit's alerts feed (masked unless admin) and takes acknowledgements from its leaders", async () => {
    // Arrange: a leader of the province (progress:read only), another leader, and a district leader
    const keys = await loadOrCreateKeys(local.paths.keys);
    const leader = await mintToken(keys, { sub: 'leader-33', units: ['33'], scope: 'progress:read' });
    const other = await mintToken(keys, { sub: 'leader-33b', units: ['33'], scope: 'progress:read' });
    const district = await mintToken(keys, { sub: 'leader-323', units: ['323'], scope: 'progress:read' });
    const as = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${local.system.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const feedPath = (unit: string, query: string) =>
      `/v1/campaigns/${CAMPAIGN}/units/${unit}/alerts?${query}`;
    type Feed = {
      alerts: { at: string; kind: string; channel?: string; recipient?: { endpoint: string }; by?: string }[];
    };
    const feedOf = async (token: string, unit: string, query: string) =>
      (await as(token, 'GET', feedPath(unit, query))).body as unknown as Feed;

    // Act / Assert: the two weeks' deliveries to the province leader, endpoints masked for a leader
    const feed = await feedOf(leader, '33', 'from=2021-03-01&to=2021-03-14');
    const sms = feed.alerts.filter((a) => a.kind === 'alert' && a.channel === 'sms');
    expect(sms).toHaveLength(5);
    expect(sms[0]?.recipient?.endpoint).toBe('+8491****678');
    expect(feed.alerts.map((a) => a.at)).toEqual([...feed.alerts.map((a) => a.at)].sort().reverse());
    const adminFeed = await feedOf(bearer, '33', 'from=2021-03-01&to=2021-03-14');
    expect(adminFeed.alerts.find((a) => a.channel === 'sms')?.recipient?.endpoint).toBe('+84912345678');
    // the district's feed: its own leader's e-mails, and the province's escalation that names it
    const districtFeed = await feedOf(district, '323', 'from=2021-03-01&to=2021-03-14');
    expect(districtFeed.alerts.length).toBeGreaterThan(0);
    const endpoints = new Set(districtFeed.alerts.map((a) => a.recipient?.endpoint));
    expect(endpoints).toEqual(new Set(['d***@vanlam.example.vn', '+8491****678', 'c***@hungyen.example.vn']));
    // bounded, validated range; a unit outside the caller's units refused
    expect((await as(leader, 'GET', feedPath('33', 'from=2021-01-01&to=2021-06-30'))).status).toBe(400);
    expect((await as(leader, 'GET', feedPath('33', 'from=2021-03-14&to=2021-03-01'))).status).toBe(400);
    expect((await as(district, 'GET', feedPath('33', ''))).status).toBe(403);

    // an acknowledgement by the province leader, with a note; withdrawn only by its author or an admin
    const ack = await as(leader, 'POST', `/v1/campaigns/${CAMPAIGN}/units/33/acknowledgements`, {
      note: 'Đã họp chỉ đạo, tăng tổ lưu động',
    });
    expect(ack.status).toBe(201);
    expect(ack.body).toMatchObject({
      unitId: '33',
      createdBy: 'leader-33',
      note: 'Đã họp chỉ đạo, tăng tổ lưu động',
    });
    const days = (Date.parse(String(ack.body.until)) - Date.parse(String(ack.body.createdAt))) / 86_400_000;
    expect(days).toBe(3);
    const bad = await as(leader, 'POST', `/v1/campaigns/${CAMPAIGN}/units/33/acknowledgements`, {
      until: 'soon',
    });
    expect(bad.status).toBe(400);
    const ackPath = `/v1/campaigns/${CAMPAIGN}/units/33/acknowledgements/${String(ack.body.id)}`;
    expect((await as(other, 'DELETE', ackPath)).status).toBe(403);
    expect((await as(leader, 'DELETE', ackPath)).status).toBe(200);
    expect((await as(leader, 'DELETE', ackPath)).status).toBe(409);
    const now = await feedOf(leader, '33', '');
    // (the weekly report e-mails of the test above went out now too: kind report)
    expect(now.alerts.filter((a) => a.kind !== 'report').map((a) => `${a.kind} ${a.by}`)).toEqual([
      'acknowledgement_withdrawn leader-33',
      'acknowledgement leader-33',
    ]);
  });
});

/**
 * Corrections end to end on the local runtime (docs/ARCHITECTURE.md, corrections): posted over HTTP
 * like any event, DynamoDB Local's stream, the poller with Lambda's rules, the roll-up's admission
 * and watermarked writes, the progress API and the audit route.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../shared/domain/calendar.js';
import type { CampaignFileInput } from '../../shared/schemas/campaign.js';
import type { CorrectionsResponse } from '../../shared/schemas/corrections.js';
import { useLocalRuntime } from '../support/local-runtime.js';

const CAMPAIGN = 'cccd-corrections-e2e';
const TZ = 'Asia/Ho_Chi_Minh';

/** Province 01 → districts 001 (communes 00001, 00002) and 002 (commune 00011). */
function campaignFile(today: string): CampaignFileInput {
  const deadline = addDays(today, 60);
  const unit = (id: string, parentId: string | null, level: string) => ({
    id,
    parentId,
    name: `Đơn vị ${id}`,
    level,
    target: 10_000,
    deadline,
  });
  return {
    campaign: { id: CAMPAIGN, name: 'Corrections e2e', startDate: addDays(today, -40), groups: ['official'] },
    units: [
      unit('01', null, 'province'),
      unit('001', '01', 'district'),
      unit('002', '01', 'district'),
      unit('00001', '001', 'commune'),
      unit('00002', '001', 'commune'),
      unit('00011', '002', 'commune'),
    ],
  };
}

type Progress = { total: number; byKind: Record<string, number>; byGroup: Record<string, number> };
type Result = { eventId: string | null; status: string; error?: string };

describe('corrections on the local runtime', () => {
  let admin: string;
  let officer: string;

  const get = <T>(path: string, bearer = admin) => local.getJson<T>(path, bearer);
  const post = async (events: unknown[], bearer = officer): Promise<Result[]> => {
    const response = await fetch(`${local.system.url}/v1/intake-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Result[] }).results;
  };
  const progress = (unit: string) => get<Progress>(`/v1/campaigns/${CAMPAIGN}/units/${unit}/progress`);
  const totals = async () => {
    const out: Record<string, { total: number; official: number; new: number }> = {};
    for (const unit of ['00001', '00002', '001', '002', '01']) {
      const p = await progress(unit);
      out[unit] = { total: p.total, official: p.byGroup.official ?? 0, new: p.byKind.new ?? 0 };
    }
    return out;
  };
  /** Polls until every unit shows `expected` (10 s at most), and returns what was shown last. */
  const settle = async (expected: Awaited<ReturnType<typeof totals>>) => {
    const started = Date.now();
    let shown = await totals();
    while (Date.now() - started < 10_000 && JSON.stringify(shown) !== JSON.stringify(expected)) {
      await new Promise((r) => setTimeout(r, 150));
      shown = await totals();
    }
    return shown;
  };
  const shift = (
    base: Awaited<ReturnType<typeof totals>>,
    by: number,
    units = ['00001', '001', '01'],
  ): Awaited<ReturnType<typeof totals>> =>
    Object.fromEntries(
      Object.entries(base).map(([u, t]) => [
        u,
        units.includes(u) ? { total: t.total + by, official: t.official + by, new: t.new + by } : t,
      ]),
    );

  const local = useLocalRuntime(
    'quota-corrections-e2e-',
    { loadDemo: false, dashboard: false },
    async (runtime) => {
      admin = await runtime.token({
        sub: 'admin-e2e',
        units: ['*'],
        scope: 'admin intake:write progress:read',
      });
      officer = await runtime.token({
        sub: 'officer-00001',
        units: [`${CAMPAIGN}:00001`],
        scope: 'intake:write progress:read',
      });
    },
    60_000,
  );

  it('moves every level by exactly the correction, once, in any order, and keeps an audit trail', async () => {
    // Arrange: the campaign, a tally of 370 typed for 37, and other intake around it
    const today = localDate(new Date(), TZ);
    const yesterday = addDays(today, -1);
    const load = await fetch(`${local.system.url}/v1/campaigns/${CAMPAIGN}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(campaignFile(today)),
    });
    expect(load.status).toBe(201);
    const event = (eventId: string, unitId: string, count: number, occurredAt: string) => ({
      eventId,
      campaignId: CAMPAIGN,
      unitId,
      occurredAt,
      count,
      kind: 'new',
      group: 'official',
    });
    expect(
      (await post([event('tally-370-0001', '00001', 370, `${yesterday}T09:00:00+07:00`)])).map(
        (r) => r.status,
      ),
    ).toEqual(['accepted']);
    expect(
      (
        await post(
          [
            event('other-00002-01', '00002', 5, `${yesterday}T10:00:00+07:00`),
            event('other-00011-01', '00011', 7, `${yesterday}T10:00:00+07:00`),
            event('old-00001-0001', '00001', 4, `${addDays(today, -35)}T10:00:00+07:00`),
          ],
          admin,
        )
      ).map((r) => r.status),
    ).toEqual(['accepted', 'accepted', 'accepted']);
    const before = {
      '00001': { total: 374, official: 374, new: 374 },
      '00002': { total: 5, official: 5, new: 5 },
      '001': { total: 379, official: 379, new: 379 },
      '002': { total: 7, official: 7, new: 7 },
      '01': { total: 386, official: 386, new: 386 },
    };
    expect(await settle(before)).toEqual(before);
    const correction = (eventId: string, count: number, occurredAt: string, corrects = 'tally-370-0001') => ({
      eventId,
      campaignId: CAMPAIGN,
      unitId: '00001',
      occurredAt,
      corrects,
      count,
      reason: count === 37 ? 'typed 370 for 37' : 'recount at the commune office',
    });
    const first = correction('fix-370-to-37', 37, new Date(Date.now() - 60_000).toISOString());

    // Act 1: correct 370 to 37
    expect(await post([first])).toEqual([{ eventId: 'fix-370-to-37', status: 'accepted' }]);
    const afterFirst = shift(before, -333);
    // Assert: every level (commune, district, province), by kind and group, drops by exactly 333
    expect(await settle(afterFirst)).toEqual(afterFirst);
    const daily = await get<{ days: { day: string; count: number }[] }>(
      `/v1/campaigns/${CAMPAIGN}/units/01/daily?from=${yesterday}&to=${yesterday}`,
    );
    expect(daily.days).toEqual([expect.objectContaining({ day: yesterday, count: 382 - 333 })]);

    // Act 2: the same correction again: duplicate, and nothing moves
    expect(await post([first])).toEqual([{ eventId: 'fix-370-to-37', status: 'duplicate' }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await totals()).toEqual(afterFirst);

    // Act 3: a second, later correction to 40: +3; then an older one arriving late changes nothing
    expect(await post([correction('fix-37-to-40-x', 40, new Date().toISOString())])).toEqual([
      { eventId: 'fix-37-to-40-x', status: 'accepted' },
    ]);
    const afterSecond = shift(afterFirst, 3);
    expect(await settle(afterSecond)).toEqual(afterSecond);
    expect(
      await post([correction('late-older-fix', 100, new Date(Date.now() - 3_600_000).toISOString())]),
    ).toEqual([{ eventId: 'late-older-fix', status: 'accepted' }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await totals()).toEqual(afterSecond);

    // Act 4: corrections that must be rejected, each with its reason
    const now = new Date().toISOString();
    const rejected = await post([
      correction('fix-unknown-01', 1, now, 'no-such-event-1'),
      // another unit's event, by a caller without a grant there: as its own unit, and as ours
      { ...correction('fix-other-unit', 1, now, 'other-00011-01'), unitId: '00011' },
      correction('fix-other-as-ours', 1, now, 'other-00011-01'),
      correction('fix-out-window', 1, now, 'old-00001-0001'),
      correction('fix-of-a-fix-1', 1, now, 'fix-370-to-37'),
      { ...correction('fix-other-kind', 1, now), kind: 'renewal' },
    ]);
    expect(rejected.map((r) => r.status)).toEqual(Array(6).fill('rejected'));
    expect(rejected[0]?.error).toMatch(/unknown original/);
    expect(rejected[1]?.error).toMatch(/unit "00011" is outside the units this token may post for/);
    expect(rejected[2]?.error).toMatch(/event "other-00011-01" is outside the units this token may post for/);
    expect(rejected[3]?.error).toMatch(/out of the correction window: .* more than 30 days/);
    expect(rejected[4]?.error).toMatch(/itself a correction/);
    expect(rejected[5]?.error).toMatch(/kind must be the corrected event's \(new\)/);
    // A correction in the same request as its original: the original is stored, the correction is not
    const same = await post([
      event('tally-same-req', '00001', 9, `${yesterday}T11:00:00+07:00`),
      correction('fix-same-req-1', 8, now, 'tally-same-req'),
    ]);
    expect(same.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(same[1]?.error).toMatch(/original not stored yet/);
    const final = shift(afterSecond, 9);
    expect(await settle(final)).toEqual(final);

    // Assert: the audit lists the three corrections with who, when and why, and what each moved
    const audit = await get<CorrectionsResponse>(
      `/v1/campaigns/${CAMPAIGN}/units/001/corrections?from=${today}&to=${today}`,
    );
    expect(audit.next).toBeNull();
    expect(
      audit.corrections.map((c) => [c.eventId, c.corrects, c.unitId, c.day, c.from, c.to, c.delta, c.sub]),
    ).toEqual([
      ['fix-370-to-37', 'tally-370-0001', '00001', yesterday, 370, 37, -333, 'officer-00001'],
      ['fix-37-to-40-x', 'tally-370-0001', '00001', yesterday, 37, 40, 3, 'officer-00001'],
      ['late-older-fix', 'tally-370-0001', '00001', yesterday, 40, 100, 0, 'officer-00001'],
    ]);
    expect(audit.corrections[0]?.reason).toBe('typed 370 for 37');
    for (const c of audit.corrections) expect(Date.parse(c.receivedAt)).toBeGreaterThan(Date.now() - 120_000);
    // The officer sees its own commune's audit; another district's is outside its units
    const own = await get<CorrectionsResponse>(`/v1/campaigns/${CAMPAIGN}/units/00001/corrections`, officer);
    expect(own.corrections).toHaveLength(3);
    const other = await get<CorrectionsResponse>(`/v1/campaigns/${CAMPAIGN}/units/002/corrections`);
    expect(other.corrections).toEqual([]);
    const forbidden = await fetch(`${local.system.url}/v1/campaigns/${CAMPAIGN}/units/002/corrections`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(forbidden.status).toBe(403);
  }, 90_000);
});

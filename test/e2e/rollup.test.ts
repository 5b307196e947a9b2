/**
 * Roll-up end to end on the local runtime: events posted over HTTP, DynamoDB Local's real stream,
 * the poller with Lambda's rules, the roll-up, and the progress API reading the totals.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../shared/domain/calendar.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { CampaignFileInput, UnitInput } from '../../shared/schemas/campaign.js';
import type { IntakeEventInput } from '../../shared/schemas/intake.js';
import { useLocalRuntime } from '../support/local-runtime.js';

const CAMPAIGN = 'cccd-rollup-e2e';
const TZ = 'Asia/Ho_Chi_Minh';

/** Province 01 → districts 001..005 → communes 00001..00050 (10 each). */
function threeLevelCampaign(today: string): CampaignFileInput {
  const deadline = addDays(today, 60);
  const units: UnitInput[] = [
    { id: '01', parentId: null, name: 'Tỉnh Một', level: 'province', target: 50_000, deadline },
  ];
  for (let d = 1; d <= 5; d++) {
    const district = String(d).padStart(3, '0');
    units.push({
      id: district,
      parentId: '01',
      name: `Huyện ${d}`,
      level: 'district',
      target: 10_000,
      deadline,
    });
    for (let c = 1; c <= 10; c++) {
      const commune = String((d - 1) * 10 + c).padStart(5, '0');
      units.push({
        id: commune,
        parentId: district,
        name: `Xã ${commune}`,
        level: 'commune',
        target: 1_000,
        deadline,
      });
    }
  }
  return {
    campaign: { id: CAMPAIGN, name: 'Roll-up e2e', startDate: addDays(today, -10), groups: ['official'] },
    units,
  };
}

type Summary = { unit: { id: string }; total: number; byGroup: Record<string, number> };

describe('roll-up on the local runtime', () => {
  let bearer: string;
  const get = <T>(path: string) => local.getJson<T>(path, bearer);

  const local = useLocalRuntime('quota-rollup-e2e-', { loadDemo: false }, async (runtime) => {
    bearer = await runtime.token({ sub: 'e2e', units: ['*'], scope: 'admin intake:write progress:read' });
  });

  it('keeps every total exact for 2,000 events over 50 communes, with retried posts and a poller restart', async () => {
    // Arrange
    const today = localDate(new Date(), TZ);
    const load = await fetch(`${local.system.url}/v1/campaigns/${CAMPAIGN}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(threeLevelCampaign(today)),
    });
    expect(load.status).toBe(201);
    const random = mulberry32(2021);
    // Three past local days: no event can lie in the future, whatever the hour of the run.
    const days = [addDays(today, -3), addDays(today, -2), addDays(today, -1)];
    const events: IntakeEventInput[] = Array.from({ length: 2000 }, (_, i) => {
      const commune = String(1 + Math.floor(random() * 50)).padStart(5, '0');
      const day = days[Math.floor(random() * 3)] ?? today;
      return {
        eventId: `rollup-e2e-${String(i).padStart(5, '0')}`,
        campaignId: CAMPAIGN,
        unitId: commune,
        occurredAt: `${day}T${String(8 + Math.floor(random() * 12)).padStart(2, '0')}:15:00+07:00`,
        count: 1 + Math.floor(random() * 3),
        kind: random() < 0.7 ? 'new' : 'renewal',
        channel: random() < 0.2 ? 'mobile' : 'fixed',
        ...(random() < 0.1 && { group: 'official' }),
      };
    });
    const expected = new Map<string, { total: number; official: number }>();
    for (const e of events) {
      const commune = e.unitId;
      const district = String(Math.ceil(Number(commune) / 10)).padStart(3, '0');
      for (const unit of [commune, district, '01']) {
        const t = expected.get(unit) ?? { total: 0, official: 0 };
        t.total += e.count ?? 1;
        if (e.group === 'official') t.official += e.count ?? 1;
        expected.set(unit, t);
      }
    }
    const post = async (batch: IntakeEventInput[]) => {
      const response = await fetch(`${local.system.url}/v1/intake-events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
      });
      expect(response.status).toBe(200);
      const { results } = (await response.json()) as { results: { status: string }[] };
      return results.map((r) => r.status);
    };

    // While batches are applied, a reader polls a unit's total and then its daily series: the total
    // must never include a batch that the series read right after it lacks.
    const observations: { total: number; daily: number }[] = [];
    let polling = true;
    const reader = (async () => {
      while (polling) {
        for (const unit of ['01', '003']) {
          const { total } = await get<{ total: number }>(`/v1/campaigns/${CAMPAIGN}/units/${unit}/progress`);
          const series = await get<{ days: { count: number }[] }>(
            `/v1/campaigns/${CAMPAIGN}/units/${unit}/daily`,
          );
          observations.push({ total, daily: series.days.reduce((sum, d) => sum + d.count, 0) });
        }
      }
    })();

    // Act: 20 posts of 100, two of them (10 %) sent again; the poller stopped and restarted half-way
    for (let i = 0; i < 20; i++) {
      const batch = events.slice(i * 100, (i + 1) * 100);
      expect(new Set(await post(batch))).toEqual(new Set(['accepted']));
      if (i % 10 === 3) expect(new Set(await post(batch))).toEqual(new Set(['duplicate']));
      if (i === 9) await local.system.streams.pause();
      if (i === 13) await local.system.streams.resume();
    }
    const lastPost = Date.now();
    /** Every unit's total as the API shows it: the root, its districts and their communes (1 + 1 + 5 reads). */
    const readAll = async () => {
      const totals = new Map<string, { total: number; official: number }>();
      const root = await get<Summary>(`/v1/campaigns/${CAMPAIGN}/units/01/progress`);
      totals.set('01', { total: root.total, official: root.byGroup.official ?? 0 });
      const districts = await get<{ children: Summary[] }>(`/v1/campaigns/${CAMPAIGN}/units/01/children`);
      for (const district of districts.children) {
        totals.set(district.unit.id, { total: district.total, official: district.byGroup.official ?? 0 });
        const communes = await get<{ children: Summary[] }>(
          `/v1/campaigns/${CAMPAIGN}/units/${district.unit.id}/children`,
        );
        for (const c of communes.children)
          totals.set(c.unit.id, { total: c.total, official: c.byGroup.official ?? 0 });
      }
      return totals;
    };
    let shown = await readAll();
    while (
      Date.now() - lastPost < 10_000 &&
      JSON.stringify([...shown].sort()) !== JSON.stringify([...expected].sort())
    ) {
      await new Promise((r) => setTimeout(r, 200));
      shown = await readAll();
    }
    const visibleAfterMs = Date.now() - lastPost;
    polling = false;
    await reader;

    // Assert: within 10 s of the last post, the root, every district and every commune are exact
    expect(shown.size).toBe(1 + 5 + 50);
    for (const [unit, figures] of shown)
      expect(figures, unit).toEqual(expected.get(unit) ?? { total: 0, official: 0 });
    expect(visibleAfterMs).toBeLessThan(10_000);
    const seen = observations.filter((o) => o.total > 0 && o.total < (expected.get('01')?.total ?? 0));
    expect(seen.length, 'the reader saw totals while batches were applied').toBeGreaterThan(3);
    for (const o of observations) expect(o.total).toBeLessThanOrEqual(o.daily);
    const daily = await get<{ days: { day: string; count: number }[] }>(
      `/v1/campaigns/${CAMPAIGN}/units/01/daily?from=${days[0]}&to=${today}`,
    );
    expect(daily.days.reduce((sum, d) => sum + d.count, 0)).toBe(expected.get('01')?.total);
    console.info(`roll-up e2e: all 56 units exact ${visibleAfterMs} ms after the last post`);
  });
});

/**
 * Reorganisation end to end over HTTP on the local runtime, with the 2025 reform pattern
 * (scenarios/reform-2025: districts removed, communes under the province, Thái Bình merged into Hưng
 * Yên): import, post several days, import the reform while posts keep arriving (and while the roll-up
 * lags behind: its stream is paused), abort the migration runner mid-way and start a fresh one;
 * afterwards every unit's total and daily series equal a ledger recomputed on the new
 * hierarchy, and the merged units' own pages still show their past.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPaths, REPO_ROOT } from '../../infra/local/paths.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import type { TreeUnit } from '../../shared/domain/reorganise.js';
import { runMigration } from '../../shared/jobs/migration-job.js';
import type { CampaignFileInput } from '../../shared/schemas/campaign.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { DynamoMigrationStore } from '../../shared/store/migration-store.js';
import { eventSource, ledgerOn } from '../support/reorganise-ledger.js';

const read = (name: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios/reform-2025', name), 'utf8')) as CampaignFileInput;
const BEFORE = read('before.json');
const AFTER = read('after.json');
const CAMPAIGN = BEFORE.campaign.id;
const DAYS = ['2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05'];

interface Accepted {
  readonly unitId: string;
  readonly day: string;
  readonly count: number;
  readonly kind: string;
}

describe('reorganisation end to end (local runtime, real HTTP)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quota-reorg-'));
  const paths = localPaths(dir);
  let system: LocalSystem;
  const accepted: Accepted[] = [];
  const eventsOn = eventSource(CAMPAIGN, 'reorg');
  const bearer = async (scope: string) =>
    mintToken(await loadOrCreateKeys(paths.keys), { sub: 'reorg-e2e', units: ['*'], scope });
  const call = async (method: string, path: string, scope: string, body?: unknown) =>
    fetch(`${system.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await bearer(scope)}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  /** Posts one event per unit given, on `day`; records what was accepted. */
  const post = async (unitIds: readonly string[], day: string) => {
    const events = eventsOn(unitIds, day);
    const response = await call('POST', '/v1/intake-events', 'intake:write', { events });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: { status: string; error?: string }[] };
    results.forEach((r, i) => {
      const e = events[i];
      if (r.status === 'accepted' && e)
        accepted.push({ unitId: e.unitId, day, count: e.count, kind: e.kind });
    });
    return results;
  };
  const liveUnits = (file: CampaignFileInput) => file.units.filter((u) => u.mergedInto === undefined);
  const allIds = BEFORE.units.map((u) => u.id);
  const start = () =>
    startLocalSystem({ port: 0, paths, schedules: false, loadDemo: false, dashboard: false });
  const migrations = () =>
    new DynamoMigrationStore(
      createDocumentClient(localClientConfig(system.descriptor.dynamoEndpoint)),
      system.descriptor.tables.campaign,
    );

  beforeAll(async () => {
    system = await start();
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('converges to the new hierarchy exactly, through a lagging roll-up and an interrupted runner', async () => {
    // Arrange: the old tree, and several days of intake at every unit (districts and provinces post too)
    expect((await call('PUT', `/v1/campaigns/${CAMPAIGN}`, 'admin', BEFORE)).status).toBe(201);
    for (const day of DAYS.slice(0, 2)) await post(allIds, day);
    await system.streams.drain();
    const pastOf = async (unitId: string) =>
      (
        (await (
          await call('GET', `/v1/campaigns/${CAMPAIGN}/units/${unitId}/progress`, 'progress:read')
        ).json()) as {
          total: number;
        }
      ).total;
    const before = { '34': await pastOf('34'), '323': await pastOf('323') };
    expect(before['34']).toBeGreaterThan(0);

    // Act 1: the roll-up lags (stream paused) while more old-tree intake arrives, then the reform is
    // imported while posts keep arriving.
    await system.streams.pause();
    await post(allIds, DAYS[2] as string);
    await post(allIds, DAYS[3] as string);
    let posting = true;
    const poster = (async () => {
      while (posting) await post(allIds, DAYS[3] as string);
    })();
    const put = await call('PUT', `/v1/campaigns/${CAMPAIGN}`, 'admin', AFTER);
    const putBody = (await put.json()) as { reorganisation?: { epoch: number; totals: unknown[] } };
    expect(put.status).toBe(200);
    expect(putBody.reorganisation?.epoch).toBe(1);
    // The catalogue reaches intake within ~2.5 s: keep posting past that.
    await new Promise((r) => setTimeout(r, 3_500));
    posting = false;
    await poster;
    const rejected = await post(['336'], DAYS[3] as string);
    expect(rejected[0]).toMatchObject({
      status: 'rejected',
      error: expect.stringContaining('merged into 34'),
    });
    await system.streams.resume();
    await system.streams.drain();

    // Until converged, affected units say so.
    const moving = (await (
      await call('GET', `/v1/campaigns/${CAMPAIGN}/units/33/progress`, 'progress:read')
    ).json()) as { reorganising?: boolean };
    expect(moving.reorganising).toBe(true);
    // A second structural import is refused while this one converges.
    expect((await call('PUT', `/v1/campaigns/${CAMPAIGN}`, 'admin', BEFORE)).status).toBe(409);

    // Act 2: a runner killed after its first transfer, then a fresh runner resumes.
    let transfers = 0;
    const killed = new DynamoMigrationStore(
      createDocumentClient(localClientConfig(system.descriptor.dynamoEndpoint)),
      system.descriptor.tables.campaign,
      async () => {
        if (++transfers > 1) throw new Error('runner killed');
      },
    );
    await expect(
      runMigration({ migrations: killed, clock: () => new Date(), settleMs: 0 }, CAMPAIGN),
    ).rejects.toThrow('runner killed');
    // (A restart of the whole system in this process would keep the function modules' old clients;
    // the runner's state is all in the table, so a fresh runner is the restart that matters.)
    const run = await runMigration(
      { migrations: migrations(), clock: () => new Date(), settleMs: 0 },
      CAMPAIGN,
    );
    expect(run?.status).toBe('converged');
    await new Promise((r) => setTimeout(r, 2_100)); // the progress function asks for the state every 2 s

    // Assert: every live unit's total and daily series equal the ledger on the new hierarchy.
    const ledger = ledgerOn(AFTER.units as TreeUnit[], accepted);
    for (const unit of liveUnits(AFTER)) {
      const response = await call(
        'GET',
        `/v1/campaigns/${CAMPAIGN}/units/${unit.id}/daily?from=${DAYS[0]}&to=${DAYS[3]}`,
        'progress:read',
      );
      const daily = (await response.json()) as { days: { day: string; count: number }[] };
      expect({ unit: unit.id, days: daily.days.map((d) => d.count) }).toEqual({
        unit: unit.id,
        days: DAYS.map((d) => ledger.daily.get(`${unit.id}|${d}`) ?? 0),
      });
      const progress = (await (
        await call('GET', `/v1/campaigns/${CAMPAIGN}/units/${unit.id}/progress`, 'progress:read')
      ).json()) as { total: number; reorganising?: boolean };
      expect({ unit: unit.id, total: progress.total }).toEqual({
        unit: unit.id,
        total: ledger.totals.get(unit.id) ?? 0,
      });
      expect(progress.reorganising).toBeUndefined();
    }
    // The merged units keep their past on their own page, and say where they went.
    for (const [unitId, successor] of [
      ['34', '33'],
      ['323', '33'],
    ] as const) {
      const page = (await (
        await call('GET', `/v1/campaigns/${CAMPAIGN}/units/${unitId}/progress`, 'progress:read')
      ).json()) as { total: number; mergedInto?: string };
      expect(page.total).toBeGreaterThanOrEqual(before[unitId]);
      expect(page.mergedInto).toBe(successor);
    }
    // Merged units are no longer children.
    const children = (await (
      await call('GET', `/v1/campaigns/${CAMPAIGN}/units/VN/children`, 'progress:read')
    ).json()) as { children: { unit: { id: string } }[] };
    expect(children.children.map((c) => c.unit.id)).toEqual(['33']);
  });
});

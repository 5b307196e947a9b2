/**
 * The trust issue's reproductions, over real HTTP on the local runtime: each fails safely (403, 400,
 * rejected with a reason, or refused at import) while the legitimate operation next to it works.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPaths, REPO_ROOT } from '../../infra/local/paths.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import type { CampaignFileInput } from '../../shared/schemas/campaign.js';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CAMPAIGN = 'cccd-2021-hung-yen';
const OTHER = 'cccd-2021-copy';
const demo = JSON.parse(
  readFileSync(join(REPO_ROOT, 'scenarios/hung-yen-2021.json'), 'utf8'),
) as CampaignFileInput;

describe('trust: campaign authority, grants, bounded requests, names (local runtime, real HTTP)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quota-trust-'));
  const paths = localPaths(dir);
  let system: LocalSystem;
  const token = async (units: string[], scope: string) =>
    mintToken(await loadOrCreateKeys(paths.keys), { sub: `t-${scope}-${units.join('-')}`, units, scope });
  const call = async (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(`${system.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const withUnits = (
    edit: (u: CampaignFileInput['units'][number]) => CampaignFileInput['units'][number] | null,
  ) => ({
    ...demo,
    units: demo.units.map(edit).filter((u): u is NonNullable<typeof u> => u !== null),
  });
  const unitsOf = async (campaignId: string) => {
    const bearer = await token(['*'], 'progress:read');
    const response = await call('GET', `/v1/campaigns/${campaignId}/units/33/children`, bearer);
    return ((await response.json()) as { children: { unitId: string }[] }).children.map((c) => c.unitId);
  };

  beforeAll(async () => {
    system = await startLocalSystem({ port: 0, paths, schedules: false });
    // A second campaign with the same unit ids (unit ids are official codes, the same everywhere).
    const national = await token(['*'], 'admin');
    const copy = { ...demo, campaign: { ...demo.campaign, id: OTHER, name: 'Bản sao' } };
    expect((await call('PUT', `/v1/campaigns/${OTHER}`, national, copy)).status).toBe(201);
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a commune admin that re-roots the province under its commune; the province admin updates targets', async () => {
    // Arrange
    const commune = await token(['11977'], 'admin');
    const province = await token([`${CAMPAIGN}:33`], 'admin');
    const reRooted = withUnits((u) =>
      u.id === '11977' ? { ...u, parentId: null } : u.id === '33' ? { ...u, parentId: '11977' } : u,
    );
    const targets = withUnits((u) => (u.id === '33' ? { ...u, target: (u.target as number) + 1 } : u));
    // Act
    const attack = await call('PUT', `/v1/campaigns/${CAMPAIGN}`, commune, reRooted);
    const legitimate = await call('PUT', `/v1/campaigns/${CAMPAIGN}`, province, targets);
    // Assert
    expect(attack.status).toBe(403);
    expect(((await attack.json()) as { detail: string }).detail).toMatch(/root unit 33/);
    expect(legitimate.status).toBe(200);
  });

  it('refuses a district admin removing units (allowRemoval) and creating a campaign', async () => {
    const district = await token(['323'], 'admin');
    const fewer = withUnits((u) => (['33', '323'].includes(u.id) || u.parentId === '323' ? u : null));
    const removal = await call('PUT', `/v1/campaigns/${OTHER}?allowRemoval=true`, district, {
      ...fewer,
      campaign: { ...demo.campaign, id: OTHER, name: 'Bản sao' },
    });
    const creation = await call('PUT', '/v1/campaigns/cccd-2021-new', district, {
      ...demo,
      campaign: { ...demo.campaign, id: 'cccd-2021-new' },
    });
    expect([removal.status, creation.status]).toEqual([403, 403]);
    expect((await unitsOf(OTHER)).length).toBeGreaterThan(3);
  });

  it('a units element with a space, comma or quotes grants nothing; a qualified grant reads its campaign only', async () => {
    // Arrange
    const forged = await Promise.all(
      ['11977 *', '11977,*', '"*"', '[*]'].map((element) => token([element], 'progress:read')),
    );
    const qualified = await token([`${CAMPAIGN}:323`], 'progress:read');
    const path = (c: string, unit: string) => `/v1/campaigns/${c}/units/${unit}/progress`;
    // Act
    const forgedReads = await Promise.all(forged.map((b) => call('GET', path(CAMPAIGN, '33'), b)));
    const own = await call('GET', path(CAMPAIGN, '323'), qualified);
    const sameIdsElsewhere = await call('GET', path(OTHER, '323'), qualified);
    // Assert
    expect(forgedReads.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(own.status).toBe(200);
    expect(sameIdsElsewhere.status).toBe(403);
  });

  it('answers bad and unbounded parameters with 400 problem+json, quickly, and 403 before 404', async () => {
    const reader = await token(['323'], 'progress:read');
    const base = `/v1/campaigns/${CAMPAIGN}/units/323`;
    const cases = [
      `${base}/daily?from=9999-12-31&to=9999-12-31`,
      `${base}/daily?from=2021-01-01&to=2022-12-31`,
      `${base}/progress?asOf=9999-12-31T00:00:00Z`,
      `/v1/campaigns/${CAMPAIGN}/units/%ZZ/progress`,
      `/v1/campaigns/${'c'.repeat(3000)}/units/323/progress`,
    ];
    for (const path of cases) {
      const response = await call('GET', path, reader);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type'), path).toBe('application/problem+json');
    }
    // A leader learns nothing of campaigns and units outside its grants.
    const unknownCampaign = await call(
      'GET',
      '/v1/campaigns/cccd-2099-none/units/323/progress',
      await token([`${CAMPAIGN}:323`], 'progress:read'),
    );
    const unknownUnit = await call('GET', `/v1/campaigns/${CAMPAIGN}/units/99999/progress`, reader);
    expect([unknownCampaign.status, unknownUnit.status]).toEqual([403, 403]);
    expect((await call('GET', `${base}/daily?from=2021-03-01&to=2021-03-14`, reader)).status).toBe(200);
  });

  it('refuses a campaign whose kind or group is "constructor" at import, naming the code', async () => {
    const national = await token(['*'], 'admin');
    const file = {
      ...demo,
      campaign: {
        ...demo.campaign,
        id: 'cccd-2021-proto',
        kinds: ['new', 'constructor'],
        groups: ['constructor'],
      },
    };
    const response = await call('PUT', '/v1/campaigns/cccd-2021-proto', national, file);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(response.status).toBe(400);
    expect(body.errors.map((e) => e.path)).toEqual(['campaign.kinds[1]', 'campaign.groups[0]']);
    expect(body.errors[0]?.message).toMatch(/"constructor" is reserved/);
  });

  it('refuses control characters in names at import', async () => {
    const province = await token([`${OTHER}:33`], 'admin');
    const forged = withUnits((u) => (u.id === '323' ? { ...u, name: 'Huyện Văn Lâm\nFORGED LINE' } : u));
    const response = await call('PUT', `/v1/campaigns/${OTHER}`, province, {
      ...forged,
      campaign: { ...demo.campaign, id: OTHER, name: 'Bản sao' },
    });
    expect(response.status).toBe(400);
  });

  it('rejects intake for a removed unit within seconds of the import', async () => {
    // Arrange: 11980 is removed from the copy; intake for it was accepted before
    const national = await token(['*'], 'admin');
    const poster = await token([`${OTHER}:*`], 'intake:write');
    const event = (eventId: string, unitId: string) => ({
      eventId,
      campaignId: OTHER,
      unitId,
      occurredAt: '2021-03-13T09:30:00+07:00',
      kind: 'new',
    });
    const post = async (e: unknown) =>
      (
        (await (await call('POST', '/v1/intake-events', poster, e)).json()) as {
          results: { status: string; error?: string }[];
        }
      ).results[0];
    expect((await post(event('before-removal-1', '11980')))?.status).toBe('accepted');
    const without = withUnits((u) => (u.id === '11980' ? null : u));
    const imported = await call('PUT', `/v1/campaigns/${OTHER}?allowRemoval=true`, national, {
      ...without,
      campaign: { ...demo.campaign, id: OTHER, name: 'Bản sao' },
    });
    expect(imported.status).toBe(200);
    // Act: within 5 s (the catalogue's version is checked every 2 s)
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await post(event('after-removal-1', '11980'));
    // Assert
    expect(after).toMatchObject({ status: 'rejected' });
    expect(after?.error).toMatch(/unknown unit|outside/);
  });

  it('accepts an event from a clock 6 minutes fast with a warning; 25 hours fast is rejected', async () => {
    const poster = await token([`${CAMPAIGN}:323`], 'intake:write');
    const ahead = (ms: number, id: string) => ({
      eventId: id,
      campaignId: CAMPAIGN,
      unitId: '11977',
      occurredAt: new Date(Date.now() + ms).toISOString(),
      kind: 'new',
    });
    const response = await call('POST', '/v1/intake-events', poster, {
      events: [ahead(6 * 60_000, 'clock-fast-6m'), ahead(25 * 3_600_000, 'clock-fast-25h')],
    });
    const { results } = (await response.json()) as { results: { status: string; warning?: string }[] };
    expect(results[0]).toMatchObject({ status: 'accepted' });
    expect(results[0]?.warning).toMatch(/ahead of the server/);
    expect(results[1]).toMatchObject({ status: 'rejected' });
  });

  it('enforces route scopes at the gateway and campaign authority on the local job route', async () => {
    const reader = await token(['*'], 'progress:read');
    const districtAdmin = await token(['323'], 'admin');
    const provinceAdmin = await token([`${CAMPAIGN}:33`], 'admin');
    const put = await call('PUT', `/v1/campaigns/${CAMPAIGN}`, reader, demo);
    const districtJob = await call('POST', '/local/jobs/risk', districtAdmin, { campaignId: CAMPAIGN });
    const everyCampaign = await call('POST', '/local/jobs/risk', provinceAdmin, {});
    const provinceJob = await call('POST', '/local/jobs/risk', provinceAdmin, {
      campaignId: CAMPAIGN,
      asOf: '2021-03-13T22:30:00+07:00',
    });
    expect([put.status, districtJob.status, everyCampaign.status]).toEqual([403, 403, 403]);
    expect(provinceJob.status).toBe(200);
  });

  it('the campaign CLI with a token goes through the API: a district admin is refused with the reasons, the province admin updates', async () => {
    // Arrange: the CLI runs as its own process (not spawnSync: this process serves the API)
    const cli = (args: string[], bearer: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          TSX,
          ['infra/local/cli/campaign.ts', 'import', ...args],
          {
            cwd: REPO_ROOT,
            env: { ...process.env, QUOTA_LOCAL_DIR: dir, QUOTA_TOKEN: bearer },
            timeout: 120_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const copyOf = (file: ReturnType<typeof withUnits>) => ({
      ...file,
      campaign: { ...demo.campaign, id: OTHER, name: 'Bản sao' },
    });
    const fewerFile = join(dir, 'fewer.json');
    writeFileSync(
      fewerFile,
      JSON.stringify(
        copyOf(withUnits((u) => (['33', '323'].includes(u.id) || u.parentId === '323' ? u : null))),
      ),
    );
    const targetsFile = join(dir, 'targets.json');
    writeFileSync(
      targetsFile,
      JSON.stringify(
        copyOf(withUnits((u) => (u.id === '33' ? { ...u, target: (u.target as number) + 7 } : u))),
      ),
    );
    const before = (await unitsOf(OTHER)).length;
    // Act
    const district = await cli([fewerFile, '--allow-removal'], await token(['323'], 'admin'));
    const province = await cli([targetsFile], await token([`${OTHER}:33`], 'admin'));
    // Assert
    expect(district.code).toBe(1);
    expect(district.stderr).toMatch(/403 Forbidden/);
    expect(district.stderr).toMatch(/root unit 33/);
    expect((await unitsOf(OTHER)).length).toBe(before);
    expect(province.code).toBe(0);
    expect(province.stdout).toMatch(/1 updated/);
  });
});

/** Silences: the HTTP handler (functions/silences.ts) and the CLI, over an in-memory store. */
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/silences.js';
import { parseDuration, runSilencesCli } from '../../../infra/local/cli/silences.js';
import type { SilenceRecord } from '../../../shared/schemas/recipients.js';
import type { SilenceStore } from '../../../shared/store/silence-store.js';
import { anHttpEvent, type EventOptions } from '../../support/builders.js';
import { anImportedCampaignStore } from '../../support/memory-campaign-store.js';
import { inProcessCli } from '../../support/registry-cli.js';

const CAMPAIGN = 'cccd-2021-test';
const NOW = new Date('2021-03-13T08:00:00.000Z');

class MemorySilenceStore implements SilenceStore {
  readonly items = new Map<string, SilenceRecord>();
  async create(silence: SilenceRecord) {
    this.items.set(silence.id, structuredClone(silence));
  }
  async get(campaignId: string, id: string) {
    const s = this.items.get(id);
    return s && s.campaignId === campaignId ? structuredClone(s) : null;
  }
  async listActive(campaignId: string, now: Date) {
    return [...this.items.values()]
      .filter((s) => s.campaignId === campaignId && s.until > now.toISOString())
      .sort((a, b) => a.until.localeCompare(b.until));
  }
  async delete(campaignId: string, id: string) {
    return (await this.get(campaignId, id)) !== null && this.items.delete(id);
  }
}

const json = (body: string | undefined) => JSON.parse(body ?? 'null');

describe('silences handler', () => {
  let silences: MemorySilenceStore;
  let handler: ReturnType<typeof makeHandler>;
  let ids: number;
  beforeEach(async () => {
    const campaigns = await anImportedCampaignStore();
    silences = new MemorySilenceStore();
    ids = 0;
    handler = makeHandler({
      silences,
      campaigns,
      clock: () => NOW,
      newId: () => `s-test${String(++ids).padStart(4, '0')}`,
    });
  });

  const request = (method: string, silenceId?: string, options: Partial<EventOptions> = {}) =>
    handler(
      anHttpEvent({
        method,
        routeKey: `${method} /v1/campaigns/{campaignId}/silences${silenceId ? '/{silenceId}' : ''}`,
        pathParameters: { campaignId: CAMPAIGN, ...(silenceId && { silenceId }) },
        ...options,
      }),
    );
  const post = (body: unknown, claims?: EventOptions['claims']) =>
    request('POST', undefined, { body, ...(claims !== undefined && { claims }) });
  const district = (units: string) => ({
    sub: 'district-admin',
    scope: 'admin',
    units: units.slice(1, -1).split(' '),
  });

  it('creates a silence (201), stored with its end in UTC and its author', async () => {
    // Act
    const response = await post({ unitId: '323', until: '2021-03-14T18:00:00+07:00', reason: 'Flooding' });
    // Assert
    expect(response.statusCode).toBe(201);
    expect(json(response.body)).toEqual({
      id: 's-test0001',
      campaignId: CAMPAIGN,
      unitId: '323',
      until: '2021-03-14T11:00:00.000Z',
      reason: 'Flooding',
      createdBy: 'admin-1',
      createdAt: NOW.toISOString(),
    });
  });

  it.each([
    ['an end in the past', { unitId: '323', until: '2021-03-13T14:59:00+07:00', reason: 'x' }, 'until'],
    ['an end without an offset', { unitId: '323', until: '2021-03-14T18:00:00', reason: 'x' }, 'until'],
    ['no reason', { unitId: '323', until: '2021-03-14T18:00:00+07:00' }, 'reason'],
    ['an unknown unit', { unitId: '404', until: '2021-03-14T18:00:00+07:00', reason: 'x' }, 'unitId'],
  ])('answers 400 for %s, and stores nothing', async (_, body, path) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(json(response.body).errors).toEqual([expect.objectContaining({ path })]);
    expect(silences.items.size).toBe(0);
  });

  it('answers 401, 403 (scope), and 403 for a sibling district', async () => {
    const body = { unitId: '324', until: '2021-03-14T18:00:00+07:00', reason: 'x' };
    expect((await post(body, null)).statusCode).toBe(401);
    expect((await post(body, { sub: 'u', scope: 'progress:read', units: ['*'] })).statusCode).toBe(403);
    expect((await post(body, district('[323]'))).statusCode).toBe(403);
    expect((await post({ ...body, unitId: '12001' }, district('[323]'))).statusCode).toBe(201);
  });

  it("lists the active silences in the caller's units, and ends one (204, then 404)", async () => {
    // Arrange
    await post({ unitId: '323', until: '2021-03-14T18:00:00+07:00', reason: 'a' });
    await post({ unitId: '324', until: '2021-03-13T16:00:00+07:00', reason: 'b' });
    // Act
    const all = json((await request('GET')).body).silences.map((s: SilenceRecord) => s.id);
    const mine = json((await request('GET', undefined, { claims: district('[323]') })).body).silences;
    const sibling = await request('DELETE', 's-test0002', { claims: district('[323]') });
    const removed = await request('DELETE', 's-test0001');
    const again = await request('DELETE', 's-test0001');
    // Assert
    expect(all).toEqual(['s-test0002', 's-test0001']);
    expect(mine.map((s: SilenceRecord) => s.unitId)).toEqual(['323']);
    expect(sibling.statusCode).toBe(403);
    expect(removed.statusCode).toBe(204);
    expect(again.statusCode).toBe(404);
    expect([...silences.items.keys()]).toEqual(['s-test0002']);
  });
});

describe('npm run silences (in-process)', () => {
  const { cli, out, err, world } = inProcessCli(
    runSilencesCli,
    async () => ({ silences: new MemorySilenceStore(), campaigns: await anImportedCampaignStore() }),
    () => NOW,
  );
  const on323 = ['--campaign', CAMPAIGN, '--unit', '323'];

  it('adds a silence for a duration, lists it, and removes it', async () => {
    // Act
    const added = await cli('add', ...on323, '--for', '12h', '--reason', 'Tết');
    const id = out[0] as string;
    const listed = await cli('list');
    const removed = await cli('remove', id);
    // Assert
    expect([added, listed, removed]).toEqual([0, 0, 0]);
    expect(id).toMatch(/^s-[a-z0-9]{10}$/);
    expect(out[1]).toMatch(/^CAMPAIGN +ID +UNIT +UNTIL +BY +REASON$/);
    expect(out[2]?.split(/ {2,}/)).toEqual([
      CAMPAIGN,
      id,
      '323',
      '2021-03-14 03:00 (+07:00)', // 2021-03-13T20:00Z, as the campaign's zone reads it
      'cli:tester',
      'Tết',
    ]);
    expect(world().silences.items.size).toBe(0);
  });

  it('says what is wrong in one line (exit 1), and a wrong command line gets usage (exit 2)', async () => {
    expect(await cli('add', ...on323, '--until', '2021-03-01T00:00:00+07:00', '--reason', 'x')).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^silences: until 2021-03-01T00:00:00\+07:00 is not in the future$/),
    ]);
    expect(await cli('remove', 's-nothing')).toBe(1);
    expect(await cli('add', ...on323, '--reason', 'x')).toBe(2);
    expect(await cli('add', ...on323, '--for', '2w', '--reason', 'x')).toBe(2);
    expect(await cli('nope')).toBe(2);
  });

  it('reads durations in minutes, hours and days', () => {
    expect([parseDuration('90m'), parseDuration('12h'), parseDuration('3d')]).toEqual([
      5_400_000, 43_200_000, 259_200_000,
    ]);
    expect([parseDuration('0h'), parseDuration('1w'), parseDuration('h')]).toEqual([null, null, null]);
  });
});

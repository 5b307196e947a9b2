/**
 * Reorganisation end to end with a real crash (issue 14's acceptance): `npm start`'s entry point runs
 * as a child process, as a user runs it, with the 2025 reform pattern (scenarios/reform-2025).
 * Import, post several days at every unit, let the roll-up finish; then keep posting while the reform
 * is PUT, and SIGKILL the whole process group (gateway, functions, stream pollers, DynamoDB Local)
 * while the import is half-written; restart, PUT the same file again while posts go on, and SIGKILL
 * again once its re-roll has moved part of the history. Then do what README.md tells an operator:
 * start the system again, import the same file again, and run the Reorganise job (`npm run job -- reorganise`)
 * until the migration converges. Afterwards every live unit's total and daily series equal a ledger
 * recomputed on the new hierarchy, and the merged units' own pages still show their past. Events
 * whose answer a kill cut off count when the store kept them (a client would send them again).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPaths, REPO_ROOT } from '../../infra/local/paths.js';
import { type RuntimeDescriptor, readRuntimeDescriptor } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import { markerAttr, type TreeUnit } from '../../shared/domain/reorganise.js';
import type { CampaignFileInput } from '../../shared/schemas/campaign.js';
import { DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { intakeEventKey } from '../../shared/store/intake-store.js';
import { DAY_SK_PREFIX, dayKey } from '../../shared/store/keys.js';
import { DynamoMigrationStore, type MigrationState } from '../../shared/store/migration-store.js';
import { queryAll } from '../../shared/store/query-all.js';
import { processesMentioning, type RunningSystem, runCli, startSystem } from '../support/local-system.js';
import { eventSource, ledgerOn } from '../support/reorganise-ledger.js';

const FILES = 'scenarios/reform-2025';
const read = (name: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, FILES, name), 'utf8')) as CampaignFileInput;
const BEFORE = read('before.json');
const AFTER = read('after.json');
const CAMPAIGN = BEFORE.campaign.id;
/** Six days of history, then a day for each interrupted import. */
const DAYS = Array.from({ length: 8 }, (_, i) => `2025-06-${String(2 + i).padStart(2, '0')}`);
/** Small, so the job can converge within the test (the child inherits it; default 30 s). */
const SETTLE_SECONDS = 2;
const ARGS = ['--port', '0', '--no-schedules', '--no-demo'];

interface Posted {
  readonly eventId: string;
  readonly unitId: string;
  readonly day: string;
  readonly count: number;
}

/** Retries `check` until it passes or `timeoutMs` runs out (then its last failure is thrown). */
async function eventually(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(300);
    }
  }
}

describe('reorganisation with the local system killed mid-way (npm start as a child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quota-reorg-kill-'));
  const paths = localPaths(dir);
  const savedSettle = process.env.REORGANISE_SETTLE_SECONDS;
  let system: RunningSystem | undefined;
  /** Events the system said it accepted, and those whose answer the kill cut off. */
  const accepted: Posted[] = [];
  const unanswered: Posted[] = [];
  const eventsOn = eventSource(CAMPAIGN, 'kill');

  const url = () => {
    if (!system) throw new Error('the local system is not running');
    return system.url;
  };
  const descriptor = () => JSON.parse(readFileSync(paths.runtime, 'utf8')) as RuntimeDescriptor;
  const dbOf = (d: RuntimeDescriptor) => createDocumentClient(localClientConfig(d.dynamoEndpoint));
  const bearer = async (scope: string) =>
    mintToken(await loadOrCreateKeys(paths.keys), { sub: 'reorg-kill-e2e', units: ['*'], scope });
  const call = async (method: string, path: string, scope: string, body?: unknown) =>
    fetch(`${url()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await bearer(scope)}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await call('GET', `/v1/campaigns/${CAMPAIGN}${path}`, 'progress:read');
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const progressOf = (unitId: string) =>
    getJson<{ total: number; mergedInto?: string; reorganising?: boolean }>(`/units/${unitId}/progress`);

  /**
   * Posts one event per unit, on `day`; records what was accepted. When the request dies (the
   * system was killed), its events are kept aside: the store says later which of them it kept.
   */
  const post = async (unitIds: readonly string[], day: string) => {
    const events = eventsOn(unitIds, day);
    const asPosted = events.map((e) => ({ eventId: e.eventId, unitId: e.unitId, day, count: e.count }));
    let response: Response;
    try {
      response = await call('POST', '/v1/intake-events', 'intake:write', { events });
    } catch (error) {
      unanswered.push(...asPosted);
      throw error;
    }
    // 503: the catalogue is unavailable (a half-written structural import): nothing stored.
    if (response.status !== 200 && response.status !== 503) {
      unanswered.push(...asPosted); // an unexpected answer: what was stored is read later
      throw new Error(`intake answered ${response.status}: ${await response.text()}`);
    }
    const { results } = (await response.json()) as { results: { status: string; error?: string }[] };
    results.forEach((r, i) => {
      const e = asPosted[i];
      if (r.status === 'accepted' && e) accepted.push(e);
    });
    return results;
  };
  const allIds = BEFORE.units.map((u) => u.id);
  const liveAfter = AFTER.units.filter((u) => u.mergedInto === undefined).map((u) => u.id);

  /** Every unit's total equals the ledger on `tree` (the roll-up has caught up). */
  const totalsMatch = (tree: readonly TreeUnit[], unitIds: readonly string[]) => async () => {
    const { totals } = ledgerOn(tree, accepted);
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const id of unitIds) {
      seen[id] = (await progressOf(id)).total;
      want[id] = totals.get(id) ?? 0;
    }
    expect(seen).toEqual(want);
  };

  /** `npm run job -- reorganise --campaign …`, as README.md says (the scheduled run, now). */
  const reorganiseJob = () => {
    const result = runCli(dir, 'infra/local/cli/job.ts', ['reorganise', '--campaign', CAMPAIGN]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const out = JSON.parse(result.stdout) as { result: { runs: { status: string }[] } };
    return out.result.runs[0];
  };

  beforeAll(async () => {
    // The child's environment is this process's (test/support/local-system.ts).
    process.env.REORGANISE_SETTLE_SECONDS = String(SETTLE_SECONDS);
    system = await startSystem(dir, ARGS);
  });
  afterAll(async () => {
    await system?.stop('SIGINT').catch(() => {});
    if (savedSettle === undefined) delete process.env.REORGANISE_SETTLE_SECONDS;
    else process.env.REORGANISE_SETTLE_SECONDS = savedSettle;
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the test sees of the system while a PUT runs; the system is killed when it says so. */
  interface Probe {
    readonly migration: MigrationState;
    /** The structural import is half-written (its units in flux). */
    readonly catalogPending: boolean;
    /** DAY items of 34 the re-roll has moved. */
    readonly transferred: number;
    /** The PUT has answered (then the kill lands after the import's own passes). */
    readonly answered: boolean;
  }

  /** How far the re-roll got: 34 (merged into 33) is the boundary unit whose DAY items move. */
  const transferredOf = async (db: DynamoDBDocumentClient, table: string) => {
    const items = await queryAll(db, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
      ExpressionAttributeValues: { ':pk': dayKey(CAMPAIGN, '34', '').pk, ':day': DAY_SK_PREFIX },
      ConsistentRead: true,
    });
    return { done: items.filter((i) => typeof i[markerAttr(1, 'n')] === 'number').length, of: items.length };
  };

  /**
   * Posts at every unit (on `day`) while `file` is PUT, and SIGKILLs the whole process group as soon
   * as the stored migration satisfies `killWhen`; then starts the system again on the same directory.
   * Returns what the kill left, as the store says once it is up again.
   */
  const putAndKill = async (file: CampaignFileInput, day: string, killWhen: (seen: Probe) => boolean) => {
    let posting = true;
    const poster = (async () => {
      while (posting) {
        try {
          await post(allIds, day);
        } catch {
          return; // killed
        }
      }
    })();
    await sleep(200); // a post or two first
    let answered = false;
    const put = call('PUT', `/v1/campaigns/${CAMPAIGN}`, 'admin', file).then(
      (r) => {
        answered = true;
        return r.status;
      },
      () => 'cut off',
    );
    const watched = dbOf(descriptor());
    const table = descriptor().tables.campaign;
    const migrations = new DynamoMigrationStore(watched, table);
    const catalog = new DynamoCampaignStore(watched, table);
    let seen: MigrationState | null = null;
    const deadline = Date.now() + 30_000;
    while (seen === null && Date.now() < deadline) {
      const migration = await migrations.get(CAMPAIGN).catch(() => null);
      if (!migration || migration.status === 'converged') continue;
      const probe = {
        migration,
        catalogPending: (await catalog.catalogState(CAMPAIGN))?.pending === true,
        transferred: (await transferredOf(watched, table)).done,
        answered,
      };
      if (killWhen(probe)) seen = migration;
    }
    expect(seen?.epoch).toBe(1);
    await system?.stop('SIGKILL');
    system = undefined;
    // Nothing survives the kill (DynamoDB Local included; the system's own process too, which the
    // descriptor names): the restart starts from the files alone.
    await eventually(async () => {
      expect(processesMentioning(dir)).toEqual([]);
      expect(await readRuntimeDescriptor(localPaths(dir))).toBeNull();
    }, 10_000);
    posting = false;
    await poster;
    const putOutcome = await put;

    system = await startSystem(dir, ARGS);
    const db = dbOf(descriptor());
    const tables = descriptor().tables;
    // Events whose answer the kill cut off count if the store kept them (a client would resend them).
    const cutOff = unanswered.splice(0);
    let kept = 0;
    for (const e of cutOff) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tables.intakeEvents,
          Key: intakeEventKey(CAMPAIGN, e.eventId),
          ConsistentRead: true,
        }),
      );
      if (Item) {
        accepted.push(e);
        kept++;
      }
    }
    const transferred = await transferredOf(db, tables.campaign);
    return {
      killedAt: seen?.status,
      putOutcome,
      migration: (await new DynamoMigrationStore(db, tables.campaign).get(CAMPAIGN))?.status,
      catalog: await new DynamoCampaignStore(db, tables.campaign).catalogState(CAMPAIGN),
      transferred: `${transferred.done}/${transferred.of}`,
      /** Events whose answer the kill cut off: kept by the store / posted. */
      cutOff: `${kept}/${cutOff.length}`,
    };
  };

  it('ends exact after SIGKILLs during the reform import and during its re-roll, restarts and the README steps', async () => {
    // Arrange: the old tree and many days at every unit (districts and provinces post too), rolled
    // up: the merged province's DAY items are what the re-roll moves, one transaction each.
    expect((await call('PUT', `/v1/campaigns/${CAMPAIGN}`, 'admin', BEFORE)).status).toBe(201);
    for (const day of DAYS.slice(0, -2)) await post(allIds, day);
    await eventually(totalsMatch(BEFORE.units as TreeUnit[], allIds), 30_000);
    const pastBefore = { '34': (await progressOf('34')).total, '323': (await progressOf('323')).total };
    expect(pastBefore['34']).toBeGreaterThan(0);

    // Act 1: posts keep arriving while the reform is PUT; the system is killed as soon as the
    // import is half-written (units in flux; or once the PUT answered, if the probe was too slow to
    // see that). Restarted, an operator imports the same file again
    // (here over HTTP) while posts go on, and the system is killed again once the new tree is in
    // force and the re-roll has moved part of the history (a DAY item of 34 carries its marker).
    const first = await putAndKill(AFTER, DAYS.at(-2) as string, (s) => s.catalogPending || s.answered);
    const second = await putAndKill(AFTER, DAYS.at(-1) as string, (s) => s.transferred > 0 || s.answered);
    const left = { first, second };
    console.log(`killed with: ${JSON.stringify(left)}`);

    // Act 2: what README.md tells an operator after an interrupted reorganisation: import the same
    // file again (finishes a half-written import; changes nothing otherwise), then the Reorganise job.
    // Intake goes on meanwhile; once the roll-up has drained, the job runs until converged.
    const again = runCli(dir, 'infra/local/cli/campaign.ts', ['import', join(FILES, 'after.json')]);
    expect(again.code, `${JSON.stringify(left)}\n${again.stdout}\n${again.stderr}`).toBe(0);
    // The job at once, as an operator runs it (the roll-up may still be catching up with the backlog
    // the kill left: a later run moves what reaches it meanwhile).
    expect(reorganiseJob()?.status).toMatch(/^(pending|converged)$/);
    // Intake goes on: a merged unit is refused, live units are counted.
    const rejected = await post(['336', ...liveAfter], DAYS.at(-1) as string);
    expect(rejected[0]).toMatchObject({
      status: 'rejected',
      error: expect.stringContaining('merged into 34'),
    });
    expect(rejected.slice(1).map((r) => r.status)).toEqual(liveAfter.map(() => 'accepted'));
    await post(liveAfter, DAYS.at(-1) as string);
    // The roll-up has caught up when the root (the same unit in both trees) counts every event.
    await eventually(totalsMatch(AFTER.units as TreeUnit[], ['VN']), 60_000);
    let run = reorganiseJob();
    for (let i = 0; i < 10 && run?.status !== 'converged'; i++) {
      await sleep(1_000);
      run = reorganiseJob();
    }
    expect(run?.status, JSON.stringify(left)).toBe('converged');
    await sleep(2_100); // the progress function asks for the migration state every 2 s

    // Assert: every live unit's total and daily series equal the ledger on the new hierarchy.
    const ledger = ledgerOn(AFTER.units as TreeUnit[], accepted);
    for (const unitId of liveAfter) {
      const daily = await getJson<{ days: { day: string; count: number }[] }>(
        `/units/${unitId}/daily?from=${DAYS[0]}&to=${DAYS.at(-1)}`,
      );
      expect({ unitId, days: daily.days.map((d) => d.count), left }).toEqual({
        unitId,
        days: DAYS.map((d) => ledger.daily.get(`${unitId}|${d}`) ?? 0),
        left,
      });
      const progress = await progressOf(unitId);
      expect({ unitId, total: progress.total, left }).toEqual({
        unitId,
        total: ledger.totals.get(unitId) ?? 0,
        left,
      });
      expect(progress.reorganising).toBeUndefined();
    }
    // The merged units keep their past on their own page (what they had before the reform, plus
    // at most what reached them under the old tree meanwhile), and say where they went.
    const oldTree = ledgerOn(BEFORE.units as TreeUnit[], accepted);
    for (const [unitId, successor] of [
      ['34', '33'],
      ['323', '33'],
    ] as const) {
      const page = await progressOf(unitId);
      expect(page.mergedInto).toBe(successor);
      expect(page.total).toBeGreaterThanOrEqual(pastBefore[unitId]);
      expect(page.total).toBeLessThanOrEqual(oldTree.totals.get(unitId) ?? 0);
    }
    const children = await getJson<{ children: { unit: { id: string } }[] }>('/units/VN/children');
    expect(children.children.map((c) => c.unit.id)).toEqual(['33']);
  }, 300_000); // two restarts of the whole system: ~100 s on 2 loaded cores
});

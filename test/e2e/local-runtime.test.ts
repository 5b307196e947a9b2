/**
 * `npm start` as a user runs it: comes up, answers over HTTP with JWTs from `npm run token`,
 * keeps its data across a restart, starts empty with --fresh, and Ctrl-C leaves nothing behind.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { processesMentioning, type RunningSystem, runCli, startSystem } from '../support/local-system.js';

const localDir = mkdtempSync(join(tmpdir(), 'quota-e2e-'));
const token = (sub: string, units: string, scope: string) => {
  const result = runCli(localDir, 'infra/local/cli/token.ts', [
    '--sub',
    sub,
    '--units',
    units,
    '--scope',
    scope,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
};

describe('local mode (npm start)', () => {
  let system: RunningSystem;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    system = await startSystem(localDir, ['--port', String(port), '--fresh']);
  });
  afterAll(async () => {
    await system?.stop('SIGKILL').catch(() => {});
    rmSync(localDir, { recursive: true, force: true });
  });

  it('comes up on the requested port and loads the reference campaign', async () => {
    expect(system.url).toBe(`http://127.0.0.1:${port}`);
    expect(system.output()).toContain(
      'loaded the reference campaign cccd-2021-hung-yen (54 units) from scenarios/hung-yen-2021.json',
    );
    expect(system.output()).toContain('npm run token --');
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${system.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/campaigns/{campaignId}');
  });

  it('refuses a missing, forged or expired token with API Gateway\'s 401 {"message":"Unauthorized"}', async () => {
    const url = `${system.url}/v1/campaigns/cccd-2021-hung-yen`;
    const missing = await fetch(url, { method: 'PUT', body: '{}' });
    const good = token('admin', '*', 'admin');
    const forged = `${good.slice(0, -4)}AAAA`;
    const bad = await fetch(url, {
      method: 'PUT',
      body: '{}',
      headers: { authorization: `Bearer ${forged}` },
    });
    const expired = runCli(localDir, 'infra/local/cli/token.ts', [
      '--sub',
      'a',
      '--units',
      '*',
      '--scope',
      'admin',
      '--ttl',
      '1',
    ]);
    await new Promise((r) => setTimeout(r, 2100));
    const late = await fetch(url, {
      method: 'PUT',
      body: '{}',
      headers: { authorization: `Bearer ${expired.stdout.trim()}` },
    });
    for (const response of [missing, bad, late]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('loads a campaign over HTTP with an admin token, idempotently', async () => {
    // Arrange
    const file = JSON.parse(readFileSync('scenarios/thanh-hoa-2021.json', 'utf8'));
    const headers = {
      authorization: `Bearer ${token('admin', '*', 'admin')}`,
      'content-type': 'application/json',
    };
    const url = `${system.url}/v1/campaigns/${file.campaign.id}`;
    // Act
    const first = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(file) });
    const second = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(file) });
    const readOnly = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, authorization: `Bearer ${token('leader', '38', 'progress:read')}` },
      body: JSON.stringify(file),
    });
    // Assert
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ campaign: 'unchanged', units: { created: 0, updated: 0 } });
    expect(readOnly.status).toBe(403);
  });

  it('imports a CSV campaign with the CLI, and a second import writes nothing', () => {
    const first = runCli(localDir, 'infra/local/cli/campaign.ts', ['import', 'scenarios/hung-yen-2021.csv']);
    expect(first.code, first.stderr).toBe(0);
    // The demo campaign is Hưng Yên already: the CSV form of the same campaign changes nothing.
    expect(first.stdout).toMatch(
      /campaign cccd-2021-hung-yen: unchanged; units: 0 created, 0 updated, 0 removed/,
    );
    expect(first.stderr).toContain('into the local system at');
  });

  it('keeps its data across a restart, and Ctrl-C leaves no process behind', async () => {
    // Arrange
    const runtime = JSON.parse(readFileSync(join(localDir, 'runtime.json'), 'utf8'));
    expect(processesMentioning(localDir).length).toBeGreaterThan(0);
    // Act: Ctrl-C
    const code = await system.stop('SIGINT');
    // Assert
    expect(code).toBe(0);
    expect(() => process.kill(runtime.dynamoPid, 0)).toThrow();
    expect(processesMentioning(localDir)).toEqual([]);
    expect(existsSync(join(localDir, 'runtime.json'))).toBe(false);

    // Restart without --fresh: both campaigns are still there, and the reference campaign is not re-loaded.
    system = await startSystem(localDir, ['--port', String(port), '--no-schedules']);
    expect(system.output()).not.toContain('loaded the reference campaign');
    expect(system.output()).toContain('campaigns: ');
    expect(system.output()).toMatch(/campaigns: .*cccd-2021-hung-yen/);
    expect(system.output()).toMatch(/campaigns: .*cccd-2021-thanh-hoa/);
    expect(system.output()).toContain('schedules: off');
    await system.stop('SIGTERM');

    // --fresh: empty, so the reference campaign is loaded again and Thanh Hóa is gone.
    system = await startSystem(localDir, ['--port', String(port), '--fresh']);
    expect(system.output()).toContain('loaded the reference campaign');
    expect(system.output()).not.toMatch(/campaigns: .*thanh-hoa/);
  });

  it('has CLIs say clearly when the local system is not running', async () => {
    await system.stop('SIGINT');
    const result = runCli(localDir, 'infra/local/cli/campaign.ts', [
      'import',
      'scenarios/hung-yen-2021.json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The local system is not running: start it with `npm start`');
  });

  it('has npm run token -- --help print its usage (exit 0), not an unknown-option error', () => {
    // Act
    const result = runCli(localDir, 'infra/local/cli/token.ts', ['--help']);
    // Assert
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run token -- --sub <id> --units/);
    expect(result.stderr).not.toContain('Unknown option');
    // It signs with jose alone: oidc-provider (and its Node 20 warning) is npm start's.
    expect(result.stderr).not.toContain('oidc-provider');
  });
});

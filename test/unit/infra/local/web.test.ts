/**
 * The dashboard in local mode: the gateway serves web/dist at `/` with the SPA fallback for `/c/…`,
 * while unknown API paths keep API Gateway's 404 `{"message":"Not Found"}`; the demo campaign's dates.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, demoCampaignFile, postTimeOf } from '../../../../infra/local/demo.js';
import { createGateway } from '../../../../infra/local/gateway.js';
import { REPO_ROOT } from '../../../../infra/local/paths.js';
import { type StaticAnswer, startBackgroundWebBuild } from '../../../../infra/local/web.js';
import { daysBetween } from '../../../../shared/domain/calendar.js';
import { jsonResponse } from '../../../../shared/http/problem.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';

describe('the gateway with static files', () => {
  let server: Server;
  let base: string;
  const asked: string[] = [];

  beforeAll(async () => {
    const staticFiles = async (pathname: string): Promise<StaticAnswer | null> => {
      asked.push(pathname);
      if (pathname === '/' || pathname.startsWith('/c/')) {
        return {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: Buffer.from('<html>app</html>'),
        };
      }
      return null;
    };
    server = createGateway({
      verify: async () => ({ sub: 'x' }),
      routes: [
        {
          method: 'GET',
          path: '/v1/openapi.json',
          auth: 'none',
          functionName: 'OpenApi',
          handler: async () => jsonResponse(200, { ok: true }),
        },
      ],
      staticFiles,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves the app at / and at any /c/… path', async () => {
    for (const path of ['/', '/c/demo-hung-yen', '/c/demo-hung-yen/u/323?asOf=2021-03-13']) {
      const r = await fetch(`${base}${path}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe('<html>app</html>');
    }
  });

  it("keeps API Gateway's 404 for API paths, for an unknown one and for a wrong method, never the app", async () => {
    const unknown = await fetch(`${base}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const wrongMethod = await fetch(`${base}/v1/openapi.json`, { method: 'POST' });
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toEqual({ message: 'Not Found' });
    const post = await fetch(`${base}/c/x`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(asked.some((p) => p.startsWith('/v1/'))).toBe(false);
    expect((await fetch(`${base}/no-such-file.js`)).status).toBe(404);
  });
});

describe('demoCampaignFile()', () => {
  const source = CampaignFile.parse(
    JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json'), 'utf8')),
  );

  it('moves every date so that today is the 20th day, keeping the campaign length and the units', () => {
    const demo = demoCampaignFile(source, '2026-12-01');
    expect(demo.campaign.id).toBe(DEMO_CAMPAIGN_ID);
    expect(demo.campaign.startDate).toBe('2026-11-12');
    expect(daysBetween(demo.campaign.startDate, '2026-12-01')).toBe(19);
    const root = demo.units.find((u) => u.parentId === null);
    expect(daysBetween(demo.campaign.startDate, root?.deadline ?? '')).toBe(
      daysBetween(source.campaign.startDate, '2021-06-18'),
    );
    expect(root?.subTargets[0]?.deadline).toBe('2027-01-11'); // 30/4/2021 is day 61
    expect(demo.units).toHaveLength(source.units.length);
  });

  it('posts each planned session within its two hours, the same minute every time', () => {
    const event = {
      eventId: 'e',
      campaignId: DEMO_CAMPAIGN_ID,
      unitId: '11977',
      occurredAt: '2026-12-01T09:00:00+07:00',
      count: 1,
      kind: 'new',
      channel: 'fixed' as const,
      day: '2026-12-01',
    };
    const at = postTimeOf(event) - Date.parse(event.occurredAt);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(120 * 60_000);
    expect(postTimeOf(event)).toBe(postTimeOf({ ...event }));
  });
});

describe('startBackgroundWebBuild() (npm start)', () => {
  it('says the build started before it says it ended, and has no note once it has ended', async () => {
    // Arrange: a build quicker than the start-up (the "built" line came before "building").
    const lines: string[] = [];
    // Act
    const build = startBackgroundWebBuild(
      (line) => lines.push(line),
      async () => 'dashboard: built web/dist in 0.1 s',
    );
    await build.done;
    // Assert
    expect(lines).toEqual([
      'dashboard: web/dist is older than web/src, building it in the background',
      'dashboard: built web/dist in 0.1 s',
    ]);
    expect(build.pendingNote()).toBeNull();
  });

  it('gives a note for the ready lines while it still runs, and logs a failure as one line', async () => {
    // Arrange
    const lines: string[] = [];
    let fail: (error: Error) => void = () => {};
    const running = new Promise<string>((_, reject) => {
      fail = reject;
    });
    // Act
    const build = startBackgroundWebBuild(
      (line) => lines.push(line),
      () => running,
    );
    const whileRunning = build.pendingNote();
    fail(new Error('vite: no such file\nstack'));
    await build.done;
    // Assert
    expect(whileRunning).toBe(
      'dashboard: still building web/dist (the previous build is served until "dashboard: built")',
    );
    expect(lines.at(-1)).toBe('dashboard: the build failed (vite: no such file); the API works without it');
    expect(build.pendingNote()).toBeNull();
  });
});

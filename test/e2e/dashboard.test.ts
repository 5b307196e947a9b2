/// <reference lib="dom" />
/**
 * The leaders' dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * local system, on a campaign of the test's own (nothing else posts to it, so nothing moves under
 * the assertions): sign-in link, overview figures equal to the progress API's, drill-down, search
 * without diacritics, alerts, English, a past day, a district leader's limits, an admin's recipients.
 * Screenshots at 360×740 and 1280×800 go to test-output/dashboard/ (git-ignored); axe-core runs on
 * each page and must find no serious or critical violation.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../../infra/local/chromium.js';
import { localPaths, REPO_ROOT } from '../../infra/local/paths.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import { ensureWebBuild } from '../../infra/local/web.js';
import { addDays, localDate } from '../../shared/domain/calendar.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import type { ProgressResponse } from '../../shared/schemas/progress.js';

const CAMPAIGN = 'e2e-dashboard';
const TZ = 'Asia/Ho_Chi_Minh';
const OUT = join(REPO_ROOT, 'test-output', 'dashboard');
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** vi-VN as the page writes it: 1.234 and 1,26 %. */
const viInt = (n: number) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(n);
const viPct = (n: number) =>
  `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)} %`;

describe('the dashboard in a browser', () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'quota-dashboard-'));
  const paths = localPaths(dir);
  let system: LocalSystem;
  let browser: Browser;
  const today = localDate(new Date(), TZ);
  const start = addDays(today, -9);
  const pastDay = addDays(today, -4);
  const token = async (sub: string, units: string[], scope: string) =>
    mintToken(await loadOrCreateKeys(paths.keys), { sub, units, scope, ttlSeconds: 3600 });
  const api = async <T>(path: string, bearer: string) => {
    const r = await fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: r.status, body: (await r.json()) as T };
  };

  /** A fresh browser context signed in through the link; runs axe after each page when asked. */
  async function signedIn(bearer: string, path = '/', viewport = { width: 1280, height: 800 }) {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${system.url}${path}#token=${bearer}`);
    return { page, errors, close: () => context.close() };
  }

  async function axe(page: Page, name: string) {
    // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const w = window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      };
      const result = await w.axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, `${name}: ${JSON.stringify(serious)}`).toEqual([]);
  }

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    await ensureWebBuild();
    system = await startLocalSystem({ port: 0, paths, loadDemo: false, schedules: false });
    // The campaign: the Hưng Yên scenario under the test's id, started 9 days ago.
    const source = CampaignFile.parse(
      JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json'), 'utf8')),
    );
    const shift = (d: string) =>
      addDays(d, Math.round((Date.parse(start) - Date.parse(source.campaign.startDate)) / 86_400_000));
    const file = {
      campaign: { ...source.campaign, id: CAMPAIGN, startDate: start },
      units: source.units.map((u) => ({
        ...u,
        deadline: shift(u.deadline),
        subTargets: u.subTargets.map((s) => ({ ...s, deadline: shift(s.deadline) })),
      })),
    };
    const admin = await token('admin', ['*'], 'admin progress:read intake:write');
    const put = await fetch(`${system.url}/v1/campaigns/${CAMPAIGN}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    expect(put.status).toBe(201);
    // Intake on each past day in communes of two districts (Văn Lâm 323, Văn Giang 326).
    const communes = ['11977', '11980', '11983', '11989', '11992'];
    const events = [];
    for (let d = 0; d < 9; d++) {
      for (const [i, unitId] of communes.entries()) {
        events.push({
          eventId: `e2e-dash-${d}-${unitId}`,
          campaignId: CAMPAIGN,
          unitId,
          occurredAt: `${addDays(start, d)}T10:00:00+07:00`,
          count: 100 + 37 * i + 11 * d,
          kind: 'new',
          group: i === 0 ? 'official' : undefined,
        });
      }
    }
    const posted = await fetch(`${system.url}/v1/intake-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(posted.status).toBe(200);
    await system.streams.drain(60_000);
    browser = await chromium.launch(chromiumLaunchOptions());
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the link, shows the overview as the progress API says, drills down, searches, opens alerts, switches language and goes back in time', async () => {
    const leader = await token('leader-33', [`${CAMPAIGN}:33`], 'progress:read');
    const { page, errors, close } = await signedIn(leader, `/c/${CAMPAIGN}`);
    try {
      // The token left the address bar; the overview shows the province.
      await page.waitForSelector('[data-testid="percent"]');
      expect(page.url()).toBe(`${system.url}/c/${CAMPAIGN}`);
      const { body: progress } = await api<ProgressResponse>(
        `/v1/campaigns/${CAMPAIGN}/units/33/progress`,
        leader,
      );
      expect(progress.total).toBeGreaterThan(0);
      expect(await page.textContent('[data-testid="percent"]')).toBe(viPct(progress.percent));
      expect(await page.textContent('[data-testid="total"]')).toBe(viInt(progress.total));
      expect(await page.textContent('[data-testid="remaining"]')).toBe(viInt(progress.remaining));
      await page.waitForSelector('.burnup canvas');
      expect(await page.textContent('h1')).toContain('Tỉnh Hưng Yên');
      await shoot(page, 'overview-1280');
      await axe(page, 'overview');

      // Province → district → commune, worst first, with breadcrumbs back up.
      const rows = await page.$$eval('table.children tbody tr', (trs) =>
        trs.map((tr) => tr.getAttribute('data-unit')),
      );
      expect(rows).toHaveLength(10);
      await page.click('table.children a:text("Huyện Văn Lâm")');
      await page.waitForURL(`**/c/${CAMPAIGN}/u/323`);
      await page.waitForSelector('h1:has-text("Huyện Văn Lâm")');
      await page.waitForSelector('table.children a:text("Thị trấn Như Quỳnh")');
      await page.click('table.children a:text("Xã Lạc Đạo")');
      await page.waitForURL(`**/u/11980`);
      await page.waitForSelector('h1:has-text("Xã Lạc Đạo")');
      await page.waitForSelector('nav.crumbs a:text("Huyện Văn Lâm")');
      await axe(page, 'commune');

      // Search without diacritics.
      await page.fill('input[type="search"]', 'thi tran nhu');
      await page.click('.search-results a:has-text("Thị trấn Như Quỳnh")');
      await page.waitForURL(`**/u/11977`);
      await page.waitForSelector('h1:has-text("Thị trấn Như Quỳnh")');

      // The unit's alerts: the leader acknowledges them from the page, and the feed shows it at once.
      await page.waitForSelector('#alerts[open]');
      await page.waitForSelector('#alerts form.ack button');
      await page.fill('#alerts form.ack input[name="note"]', 'Đã giao xã tăng ca');
      await page.click('#alerts form.ack button');
      await page.waitForSelector('#alerts .alert-item:has-text("Đã giao xã tăng ca")');
      expect(await page.textContent('#alerts')).toContain('đã tiếp nhận');
      const { body: feed } = await api<{ alerts: { kind: string; by?: string; note?: string }[] }>(
        `/v1/campaigns/${CAMPAIGN}/units/11977/alerts`,
        leader,
      );
      expect(feed.alerts).toContainEqual(
        expect.objectContaining({ kind: 'acknowledgement', by: 'leader-33', note: 'Đã giao xã tăng ca' }),
      );
      await axe(page, 'alerts');

      // English.
      await page.click('button.lang');
      await page.waitForSelector('h2:text("Cumulative against target")');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.click('button.lang');
      await page.waitForSelector('h2:text("Lũy kế so với chỉ tiêu")');

      // A past day: the province as it stood at the end of it.
      await page.goto(`${system.url}/c/${CAMPAIGN}`);
      await page.waitForSelector('[data-testid="percent"]');
      await page.fill('.asof input', pastDay);
      await page.waitForURL(`**/c/${CAMPAIGN}?asOf=${pastDay}`);
      await page.waitForSelector('.past-banner');
      const { body: then } = await api<ProgressResponse>(
        `/v1/campaigns/${CAMPAIGN}/units/33/progress?asOf=${encodeURIComponent(`${pastDay}T23:59:59+07:00`)}`,
        leader,
      );
      expect(then.total).toBeLessThan(progress.total);
      await page.waitForFunction(
        (expected) => document.querySelector('[data-testid="total"]')?.textContent === expected,
        viInt(then.total),
      );
      expect(await page.textContent('[data-testid="percent"]')).toBe(viPct(then.percent));
      await axe(page, 'past day');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is usable at 360 px wide', async () => {
    const leader = await token('leader-33', [`${CAMPAIGN}:33`], 'progress:read');
    const { page, close } = await signedIn(leader, `/c/${CAMPAIGN}`, { width: 360, height: 740 });
    try {
      await page.waitForSelector('.burnup canvas');
      await page.waitForSelector('table.children tbody tr');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Figures keep to one line in the narrow children table ("0,00 %", not "0,00" over "%").
      const wrapped = await page.$$eval('table.children td.num', (cells) =>
        cells
          .filter((cell) => {
            const text = [...cell.childNodes].find(
              (n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim(),
            );
            if (!text) return false;
            const range = document.createRange();
            range.selectNodeContents(text);
            return range.getClientRects().length > 1;
          })
          .map((cell) => cell.textContent),
      );
      expect(wrapped).toEqual([]);
      await shoot(page, 'overview-360');
      await axe(page, 'overview at 360 px');
      // Keyboard: the skip link is the first stop, and it leads to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    } finally {
      await close();
    }
  });

  it('shows a district leader neither a sibling district in the page nor through the API', async () => {
    const district = await token('leader-323', [`${CAMPAIGN}:323`], 'progress:read');
    const { page, close } = await signedIn(district, `/c/${CAMPAIGN}`);
    try {
      await page.waitForSelector('h1:has-text("Huyện Văn Lâm")');
      const text = (await page.textContent('main')) ?? '';
      expect(text).not.toContain('Huyện Văn Giang');
      expect(text).not.toContain('Tỉnh Hưng Yên');
      await page.fill('input[type="search"]', 'thi tran');
      await page.waitForSelector('.search-results li');
      const found = await page.$$eval('.search-results a strong', (els) => els.map((e) => e.textContent));
      expect(found).toEqual(['Thị trấn Như Quỳnh']);
      await page.goto(`${system.url}/c/${CAMPAIGN}/u/326`);
      await page.waitForSelector('[role="alert"]');
      expect((await page.textContent('main')) ?? '').not.toContain('Xã Xuân Quan');
      expect((await api(`/v1/campaigns/${CAMPAIGN}/units/326/progress`, district)).status).toBe(403);
      expect((await api(`/v1/campaigns/${CAMPAIGN}/units/33/children`, district)).status).toBe(403);
      const list = await api<{ campaigns: { grantedUnits: string[] }[] }>('/v1/campaigns', district);
      expect(list.body.campaigns[0]?.grantedUnits).toEqual(['323']);
    } finally {
      await close();
    }
  });

  it('lets an admin add and remove a recipient', async () => {
    const admin = await token('admin-dash', [`${CAMPAIGN}:*`], 'admin progress:read');
    const { page, close } = await signedIn(admin, `/c/${CAMPAIGN}/admin`);
    try {
      await page.waitForSelector('h2:text("Người nhận cảnh báo")');
      await page.fill('input[name="unitId"] >> nth=0', '323');
      await page.fill('input[name="name"]', 'Chủ tịch UBND huyện Văn Lâm');
      await page.fill('input[name="email"]', 'ct.vanlam@example.gov.vn');
      await page.click('form:has(input[name="email"]) button[type="submit"]');
      await page.waitForSelector('table.recipients th:text("Chủ tịch UBND huyện Văn Lâm")');
      const stored = await api<{ recipients: { name: string }[] }>(
        `/v1/campaigns/${CAMPAIGN}/recipients`,
        admin,
      );
      expect(stored.body.recipients.map((r) => r.name)).toContain('Chủ tịch UBND huyện Văn Lâm');
      await shoot(page, 'admin-1280');
      await axe(page, 'admin');
      await page.click('button[aria-label="Xóa Chủ tịch UBND huyện Văn Lâm"]');
      await page.waitForSelector('table.recipients', { state: 'detached' });
      const after = await api<{ recipients: unknown[] }>(`/v1/campaigns/${CAMPAIGN}/recipients`, admin);
      expect(after.body.recipients).toEqual([]);
    } finally {
      await close();
    }
  });

  it("tells a merged unit's page where the unit went, and an affected unit's page that figures may still move", async () => {
    // The 2025 reform pattern: Thái Bình (34) merged into Hưng Yên (33), districts removed.
    const file = (name: string) =>
      JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'reform-2025', name), 'utf8')) as {
        campaign: { id: string };
      };
    const before = file('before.json');
    const reform = before.campaign.id;
    const admin = await token('admin-reform', ['*'], 'admin progress:read intake:write');
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${system.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send('PUT', `/v1/campaigns/${reform}`, before)).status).toBe(201);
    const events = ['12501', '12504', '12601'].map((unitId, i) => ({
      eventId: `e2e-dash-reform-${unitId}`,
      campaignId: reform,
      unitId,
      occurredAt: '2025-06-03T09:00:00+07:00',
      count: 40 + i,
      kind: 'new',
    }));
    expect((await send('POST', '/v1/intake-events', { events })).status).toBe(200);
    await system.streams.drain();
    expect((await send('PUT', `/v1/campaigns/${reform}`, file('after.json'))).status).toBe(200);

    const { page, errors, close } = await signedIn(admin, `/c/${reform}/u/34`);
    try {
      // The merged province keeps its past, says where it went, and links there.
      await page.waitForSelector('[data-testid="merged"]');
      expect(await page.textContent('[data-testid="total"]')).toBe(viInt(40 + 41 + 42));
      expect(await page.textContent('[data-testid="merged"] a')).toBe('Tỉnh Hưng Yên');
      // No longer judged: no risk level on its page.
      expect(await page.$('.risk-line .level')).toBeNull();
      await axe(page, 'merged unit');
      await shoot(page, 'merged-1280');
      await page.click('[data-testid="merged"] a');
      // The successor is still being re-rolled (the settle time has not passed): its page says so.
      await page.waitForSelector('h1:has-text("Tỉnh Hưng Yên")');
      await page.waitForSelector('[data-testid="reorganising"]');
      expect(await page.$('[data-testid="merged"]')).toBeNull();
      expect(await page.$('.risk-line .level')).not.toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows a unit's corrections: when, the day corrected, the change, why and who", async () => {
    // Arrange: the commune's officer corrects its first tally (100) to 90
    const officer = await token('officer-11977', [`${CAMPAIGN}:11977`], 'intake:write progress:read');
    const correction = {
      eventId: 'e2e-dash-fix-11977',
      campaignId: CAMPAIGN,
      unitId: '11977',
      occurredAt: new Date().toISOString(),
      count: 90,
      corrects: 'e2e-dash-0-11977',
      reason: 'Nhập nhầm: đúng là 90 hồ sơ',
    };
    const totalOf = async () =>
      (await api<ProgressResponse>(`/v1/campaigns/${CAMPAIGN}/units/11977/progress`, officer)).body.total;
    const before = await totalOf();
    const posted = await fetch(`${system.url}/v1/intake-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [correction] }),
    });
    const { results } = (await posted.json()) as { results: { status: string }[] };
    expect(results[0]?.status).toBe('accepted');
    await system.streams.drain();
    const after = await totalOf();
    expect(after).toBe(before - 10);

    // Act
    const { page, errors, close } = await signedIn(officer, `/c/${CAMPAIGN}/u/11977`);
    try {
      await page.waitForSelector('[data-testid="total"]');
      await page.click('details#corrections summary');
      await page.waitForSelector('details#corrections table tbody tr');

      // Assert: the figures include the correction, and the panel shows it
      expect(await page.textContent('[data-testid="total"]')).toBe(viInt(after));
      const cells = await page.$$eval('details#corrections tbody tr > *', (tds) =>
        tds.map((td) => td.textContent?.trim() ?? ''),
      );
      expect(cells.slice(1)).toEqual([
        '11977',
        new Intl.DateTimeFormat('vi-VN', {
          day: 'numeric',
          month: 'numeric',
          year: 'numeric',
          timeZone: 'UTC',
        }).format(new Date(`${start}T00:00:00Z`)),
        '100 → 90',
        correction.reason,
        'officer-11977',
      ]);
      await axe(page, 'corrections');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

/**
 * The leaders' dashboard: what its first page costs to download (the JavaScript and CSS that
 * index.html loads, gzipped, against a 150 KB budget), how many API requests the overview needs
 * before it is complete (budget 3), and the time from navigation to the first drawn chart in
 * Debian's Chromium on the local system, beside a static page holding the same chart as inline SVG
 * served by a bare HTTP server (what no framework, no data fetching would cost).
 *
 * The local system runs in a child process (bench/dashboard-child.ts): its own store, its own
 * campaign (Hưng Yên, started 9 days ago, 9 days of intake), so the demo does not move under it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../infra/local/chromium.js';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { ensureWebBuild, WEB_DIST } from '../../infra/local/web.js';
import { median } from '../lib/stats.js';
import { row, type Section } from '../lib/types.js';

/** The files index.html loads before anything runs: its module script, stylesheets and preloads. */
export function firstPageAssets(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) {
    if (m[1]) found.add(m[1]);
  }
  return [...found];
}

const STATIC_PAGE = (
  points: string,
) => `<!doctype html><html><head><meta charset="utf-8"><title>static</title></head>
<body><h1>Static baseline</h1><svg id="chart" width="720" height="320" viewBox="0 0 720 320">
<polyline points="${points}" fill="none" stroke="#0b5394" stroke-width="3"/></svg></body></html>`;

interface Child {
  readonly link: string;
  stop(): Promise<void>;
}

async function startChild(): Promise<Child> {
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bench/dashboard-child.ts'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const link = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^link (\S+)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`dashboard-child exited with ${code}: ${out}`)));
  });
  return {
    link,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

export const dashboard: Section = {
  name: 'dashboard',
  title: "Leaders' dashboard: first page weight, API requests, time to first chart",
  async run(ctx) {
    await ensureWebBuild();
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const assets = firstPageAssets(html);
    const sizes = assets.map((a) => {
      const bytes = readFileSync(join(WEB_DIST, a));
      return { asset: a, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const gzipKb = sizes.reduce((s, a) => s + a.gzip, 0) / 1024;

    const runs = ctx.quick ? 3 : 7;
    const system = await startChild();
    const staticServer = createServer((_req, res) => {
      const points = Array.from({ length: 100 }, (_, i) => `${i * 7},${300 - i * 2.5}`).join(' ');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(STATIC_PAGE(points));
    });
    await new Promise<void>((r) => staticServer.listen(0, '127.0.0.1', () => r()));
    const staticUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}/`;
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const origin = new URL(system.link).origin;
      const token = system.link.split('#token=')[1] ?? '';
      const overview = system.link.split('#')[0] ?? '';
      const chartMs: number[] = [];
      const staticMs: number[] = [];
      let apiRequests = 0;
      for (let i = 0; i < runs + 1; i++) {
        // A fresh context each time: nothing cached, a first visit (the token put in by the link).
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const requests: string[] = [];
        page.on('request', (r) => {
          const url = new URL(r.url());
          if (url.origin === origin && url.pathname.startsWith('/v1/')) requests.push(url.pathname);
        });
        const t0 = Date.now();
        await page.goto(`${overview}#token=${token}`);
        await page.waitForSelector('.burnup canvas');
        const t1 = Date.now();
        await page.waitForSelector('table.children tbody tr');
        await page.waitForLoadState('networkidle');
        if (i > 0) chartMs.push(t1 - t0); // the first run warms the server's caches
        apiRequests = Math.max(apiRequests, requests.length);
        ctx.log(`dashboard run ${i}: first chart ${t1 - t0} ms, API requests ${requests.join(' ')}`);
        await context.close();

        const baseline = await browser.newContext();
        const p2 = await baseline.newPage();
        const s0 = Date.now();
        await p2.goto(staticUrl);
        await p2.waitForSelector('#chart polyline');
        if (i > 0) staticMs.push(Date.now() - s0);
        await baseline.close();
      }
      return {
        rows: [
          row(
            'dashboard.firstPage.gzipKb',
            'first page JS + CSS, gzipped',
            Math.round(gzipKb * 10) / 10,
            'KB',
            'budget',
            150,
            `${sizes.map((s) => `${s.asset} ${(s.gzip / 1024).toFixed(1)} KB`).join(', ')} (gzip -9); oauth4webapi loads only when signing in with a provider`,
          ),
          row(
            'dashboard.overview.apiRequests',
            'API requests to render the overview',
            apiRequests,
            'requests',
            'budget',
            3,
            'first visit, fresh browser context, until the chart and the children are drawn and the network is idle; lazy sections (history, alerts, reports) closed',
          ),
          row(
            'dashboard.firstChart.ms',
            'time to first chart (local, median)',
            median(chartMs),
            'ms',
            'static page with the chart inline',
            median(staticMs),
            `${runs} runs after one warm-up; navigation → uPlot canvas present, Chromium headless on this machine`,
          ),
        ],
        details: { assets: sizes, chartMs, staticMs },
      };
    } finally {
      await browser.close();
      staticServer.close();
      await system.stop();
    }
  },
};

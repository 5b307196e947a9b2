/**
 * The dashboard in local mode: built by Vite when web/dist is missing or older than its sources,
 * and served by the gateway at `/` with the SPA fallback (any `/c/…` path gets index.html).
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './paths.js';

export const WEB_DIR = join(REPO_ROOT, 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
/** What the build reads: the app, its config, and the schemas whose types it imports. */
const SOURCES = [
  join(WEB_DIR, 'src'),
  join(WEB_DIR, 'public'),
  join(WEB_DIR, 'index.html'),
  join(WEB_DIR, 'vite.config.ts'),
  join(REPO_ROOT, 'shared', 'schemas'),
];

async function newestMtime(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** Whether web/dist is missing or older than any source. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await newestMtime(join(WEB_DIST, 'index.html'));
  if (built === 0) return true;
  const sources = await Promise.all(SOURCES.map(newestMtime));
  return Math.max(...sources) > built;
}

const LOCK = join(WEB_DIR, '.build-lock');

/**
 * Builds the dashboard when stale. Returns a note for the console, or throws what Vite said. One build
 * at a time across processes (a lock directory): tests and `npm start` may ask at once, and two Vite
 * builds emptying the same web/dist would spoil each other.
 */
export async function ensureWebBuild(): Promise<string> {
  for (;;) {
    if (!(await webBuildIsStale())) return 'dashboard: web/dist is up to date';
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another process builds; a lock older than 2 minutes was left by a crash.
      const age =
        Date.now() -
        (await stat(LOCK).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 120_000) await rm(LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    const started = Date.now();
    const { build } = await import('vite');
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
    return `dashboard: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** A dashboard build running in the background (npm start), so that `ready` never waits for Vite. */
export interface BackgroundWebBuild {
  /** Settles when the build has ended, built or failed (it never rejects). */
  readonly done: Promise<void>;
  /** While it runs, a note for the ready lines saying so; null once it has ended (its end was logged). */
  pendingNote(): string | null;
}

/**
 * Starts the build and logs, in the order they happen, that it started and how it ended. (Its start
 * was a note of the ready lines, printed after the "built" line whenever the build was quicker than
 * the start-up.)
 */
export function startBackgroundWebBuild(
  log: (line: string) => void,
  build: () => Promise<string> = ensureWebBuild,
): BackgroundWebBuild {
  log('dashboard: web/dist is older than web/src, building it in the background');
  let ended = false;
  const done = build()
    .then(
      (note) => log(note),
      (error: unknown) =>
        log(
          `dashboard: the build failed (${(error as Error).message.split('\n')[0]}); the API works without it`,
        ),
    )
    .finally(() => {
      ended = true;
    });
  return {
    done,
    pendingNote: () =>
      ended
        ? null
        : 'dashboard: still building web/dist (the previous build is served until "dashboard: built")',
  };
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The same policy as CloudFront's response headers (infra/constructs/dashboard.ts). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self' {api}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export interface StaticAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * The answer for a GET of a non-API path: a file of web/dist, `config.json`, or index.html for the
 * app's own paths (`/`, `/c/…`). null: not the dashboard's (the gateway answers 404 problem+json).
 */
export async function staticAnswer(
  pathname: string,
  config: () => Record<string, unknown>,
  apiOrigin: string,
): Promise<StaticAnswer | null> {
  const headers = (type: string, cache: string) => ({
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': CONTENT_SECURITY_POLICY.replace('{api}', apiOrigin),
  });
  if (pathname === '/config.json') {
    return {
      status: 200,
      headers: headers(TYPES['.json'] ?? '', 'no-store'),
      body: Buffer.from(JSON.stringify(config())),
    };
  }
  const isAppPath =
    pathname === '/' || pathname === '/index.html' || pathname === '/c' || pathname.startsWith('/c/');
  const file = isAppPath
    ? join(WEB_DIST, 'index.html')
    : normalize(join(WEB_DIST, decodeURIComponent(pathname)));
  if (!file.startsWith(WEB_DIST + sep)) return null;
  try {
    const body = await readFile(file);
    const immutable = pathname.startsWith('/assets/');
    return {
      status: 200,
      headers: headers(
        TYPES[extname(file)] ?? 'application/octet-stream',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
      body,
    };
  } catch {
    if (isAppPath) {
      return {
        status: 503,
        headers: headers('text/plain; charset=utf-8', 'no-store'),
        body: Buffer.from(
          'The dashboard is not built: run `npm run build:web` (npm start builds it when stale).\n',
        ),
      };
    }
    return null;
  }
}

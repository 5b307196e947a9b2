/**
 * Cold start: each function of the topology bundled as QuotaFunction bundles it (bench/lib/bundle.ts),
 * its size, and the time a fresh Node process takes to import it (module evaluation included: the
 * AWS SDK clients, zod schemas, Powertools), beside an empty handler bundled the same way. Each
 * bundle is loaded in new processes, round robin, after one unmeasured load; the median is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { type FunctionDeclaration, functions, tableEnvironment, tables } from '../../infra/topology.js';
import { type Bundle, bundleFunction } from '../lib/bundle.js';
import { median } from '../lib/stats.js';
import { type Row, row, type Section } from '../lib/types.js';

/** Prints how long importing the bundle took, measured inside the fresh process. */
const LOADER = `const t0 = performance.now();
const mod = await import(process.argv[2]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') { console.error('no handler export'); process.exit(2); }
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));
`;

const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200, body: "" });\n';

/** The environment the stack gives a function (tables, topic, failure queue), with placeholder names. */
export function lambdaEnvironment(fn: FunctionDeclaration | null): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // As QuotaFunction sets it; --no-warnings only hides Node 20's AWS SDK version notice (not printed on Lambda's Node 22).
    NODE_OPTIONS: '--enable-source-maps --no-warnings',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'quota-campaign',
    POWERTOOLS_METRICS_NAMESPACE: 'QuotaCampaign',
    LOG_LEVEL: 'INFO',
  };
  if (!fn) return env;
  Object.assign(
    env,
    tableEnvironment(fn, (key) => `${tables[key].logicalName}-bench`),
  );
  if (fn.alerts) env.ALERTS_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:quota-alerts-bench';
  if (fn.stream) {
    env.ROLLUP_FAILURE_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/rollup-failures-bench';
  }
  return env;
}

interface Measured {
  readonly name: string;
  readonly bundle: Bundle;
  readonly env: Record<string, string>;
  readonly importMs: number[];
  readonly wallMs: number[];
}

function load(loader: string, m: Measured): { importMs: number; wallMs: number } {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [loader, pathToFileURL(m.bundle.file).href], {
    env: m.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const wallMs = performance.now() - t0;
  if (result.status !== 0) {
    throw new Error(`loading ${m.name} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  const { importMs } = JSON.parse(result.stdout) as { importMs: number };
  return { importMs, wallMs };
}

export const coldstart: Section = {
  name: 'coldstart',
  title: 'Cold start: bundle size and load time',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 5;
    const dir = mkdtempSync(join(tmpdir(), 'quota-bench-bundles-'));
    try {
      const loader = join(dir, 'measure-load.mjs');
      writeFileSync(loader, LOADER);
      const emptyEntry = join(dir, 'empty-handler.ts');
      writeFileSync(emptyEntry, EMPTY_HANDLER);

      const targets: Measured[] = [];
      const bundleInto = async (name: string, entry: string, fn: FunctionDeclaration | null) => {
        const out = join(dir, name);
        mkdirSync(out);
        const bundle = await bundleFunction(entry, out, REPO_ROOT);
        targets.push({ name, bundle, env: lambdaEnvironment(fn), importMs: [], wallMs: [] });
      };
      await bundleInto('(empty handler)', emptyEntry, null);
      for (const fn of functions) await bundleInto(fn.name, join(REPO_ROOT, fn.entry), fn);
      ctx.log(`bundled ${targets.length} handlers into ${dir}`);

      for (const t of targets) load(loader, t); // unmeasured: the file cache, the first process
      for (let r = 0; r < runs; r++) {
        for (const t of targets) {
          const { importMs, wallMs } = load(loader, t);
          t.importMs.push(importMs);
          t.wallMs.push(wallMs);
        }
      }

      const [empty, ...fns] = targets;
      if (!empty) throw new Error('no empty handler');
      const emptyImport = median(empty.importMs);
      const emptyWall = median(empty.wallMs);
      const rows: Row[] = [];
      fns.forEach((t, i) => {
        const first = i === 0;
        rows.push(
          row(
            'coldstart',
            `${t.name} bundle size`,
            t.bundle.bytes / 1024,
            'KB',
            'empty handler, same bundling',
            empty.bundle.bytes / 1024,
            `${first ? 'esbuild exactly as QuotaFunction bundles (ESM, node22, minified, AWS SDK bundled); ' : ''}` +
              `source map ${(t.bundle.mapBytes / 1024).toFixed(0)} KB beside it`,
          ),
          row(
            'coldstart',
            `${t.name} bundle load time`,
            median(t.importMs),
            'ms',
            'empty handler, same bundling',
            emptyImport,
            `${
              first
                ? `median of ${runs} fresh Node processes each, round robin after one unmeasured load; import() timed ` +
                  'inside the process (module evaluation included: SDK clients, zod schemas, Powertools), with ' +
                  `NODE_OPTIONS=--enable-source-maps as in Lambda; local Node ${process.version} on x64, Lambda runs Node 22 on arm64; `
                : ''
            }whole process ${median(t.wallMs).toFixed(0)} ms vs ${emptyWall.toFixed(0)} ms for the empty handler`,
          ),
        );
      });
      return {
        rows,
        details: Object.fromEntries(
          targets.map((t) => [
            t.name,
            { bytes: t.bundle.bytes, mapBytes: t.bundle.mapBytes, importMs: t.importMs, wallMs: t.wallMs },
          ]),
        ),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

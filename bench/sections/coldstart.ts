/**
 * Cold start: each function of the topology bundled as QuotaFunction bundles it (bench/lib/bundle.ts)
 * and started in fresh Node processes, beside its own bare-SDK handler (bench/lib/bare-sdk.ts: the
 * same AWS SDK clients, one call each, bundled and started the same way, NODE_OPTIONS included).
 * The figure is the whole process's CPU time (user + system, all threads) from its start to its
 * module evaluated (Node's start, reading and compiling the bundle, the SDK clients, our code),
 * the median of 51 runs after one unmeasured load, each function started back to back with its bare
 * handler so that load from elsewhere on a shared machine hits both. CPU rather than wall time:
 * waiting for a core (the machine is shared) inflates wall time, not CPU time; the per-pair CPU
 * ratios' median and interquartile range, and the wall times, are in the note. Functions with the
 * same SDK clients have byte-identical bare handlers, whose runs are pooled into their baseline (the
 * same process CPU time varies by ±20 % from run to run on a shared machine). The target is at most
 * 1.2× the bare-SDK handler.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { type FunctionDeclaration, functions, tableEnvironment, tables } from '../../infra/topology.js';
import { bareSdkHandler } from '../lib/bare-sdk.js';
import { type Bundle, bundleFunction } from '../lib/bundle.js';
import { median, percentile } from '../lib/stats.js';
import { type Row, row, type Section } from '../lib/types.js';

/** Prints how long importing the bundle took, measured inside the fresh process. */
const LOADER = `const t0 = performance.now();
const mod = await import(process.argv[2]);
const t1 = performance.now();
const cpu = process.cpuUsage();
if (typeof mod.handler !== 'function') { console.error('no handler export'); process.exit(2); }
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200, body: "" });\n';

/** The environment the stack gives a function (tables, topic, failure queue), with placeholder names. */
export function lambdaEnvironment(fn: FunctionDeclaration | null): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // QuotaFunction sets no NODE_OPTIONS (source maps are shipped, not enabled: see its comment);
    // --no-warnings only hides Node 20's AWS SDK version notice (not printed on Lambda's Node 22).
    NODE_OPTIONS: '--no-warnings',
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

interface Sample {
  /** Spawn to module evaluated, as the parent sees it. */
  readonly wallMs: number;
  /** The `import()` alone, timed inside the child. */
  readonly importMs: number;
  /** The child's CPU time (user + system, all its threads) when the module was evaluated. */
  readonly cpuMs: number;
}

interface Measured {
  readonly name: string;
  readonly bundle: Bundle;
  readonly env: Record<string, string>;
  readonly samples: Sample[];
}

function load(loader: string, m: Measured): Sample {
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
  const { importMs, cpuMs } = JSON.parse(result.stdout) as { importMs: number; cpuMs: number };
  return { wallMs, importMs, cpuMs };
}

const of = (m: Measured, key: keyof Sample) => m.samples.map((s) => s[key]);
const fixed = (n: number, digits = 0) => n.toFixed(digits);

export const coldstart: Section = {
  name: 'coldstart',
  title: 'Cold start: each function beside its bare-SDK handler',
  async run(ctx) {
    const runs = ctx.quick ? 5 : 51;
    const dir = mkdtempSync(join(tmpdir(), 'quota-bench-bundles-'));
    try {
      const loader = join(dir, 'measure-load.mjs');
      writeFileSync(loader, LOADER);
      const emptyEntry = join(dir, 'empty-handler.ts');
      writeFileSync(emptyEntry, EMPTY_HANDLER);

      const targets: Measured[] = [];
      const bundleInto = async (name: string, entry: string, fn: FunctionDeclaration | null) => {
        const out = join(dir, name.replace(/[^\w-]/g, '_'));
        mkdirSync(out);
        const bundle = await bundleFunction(entry, out, REPO_ROOT);
        const target: Measured = { name, bundle, env: lambdaEnvironment(fn), samples: [] };
        targets.push(target);
        return target;
      };
      const empty = await bundleInto('(empty handler)', emptyEntry, null);
      const pairs: { fn: Measured; bare: Measured }[] = [];
      for (const fn of functions) {
        const measured = await bundleInto(fn.name, join(REPO_ROOT, fn.entry), fn);
        const bareEntry = join(dir, `bare-${fn.name}.ts`);
        writeFileSync(bareEntry, bareSdkHandler(measured.bundle.sdkPackages));
        const bare = await bundleInto(`${fn.name} (bare SDK)`, bareEntry, fn);
        pairs.push({ fn: measured, bare });
      }
      ctx.log(`bundled ${targets.length} handlers into ${dir}`);

      // Paired: a function and its bare handler start back to back (in alternating order), so a
      // burst of load from elsewhere on the machine hits both; the pairs rotate round to round.
      const loadBefore = loadavg()[0] ?? 0;
      for (const t of targets) load(loader, t); // unmeasured: the file cache, the first process
      for (let r = 0; r < runs; r++) {
        empty.samples.push(load(loader, empty));
        for (let i = 0; i < pairs.length; i++) {
          const pair = pairs[(i + r) % pairs.length] as (typeof pairs)[number];
          const order = r % 2 === 0 ? [pair.fn, pair.bare] : [pair.bare, pair.fn];
          for (const t of order) t.samples.push(load(loader, t));
        }
      }
      const loadAfter = loadavg()[0] ?? 0;

      // Functions with the same SDK clients have byte-identical bare handlers: their runs are pooled
      // into one baseline (more runs, less noise on the denominator); pairing stays per function.
      const sdkKey = (m: Measured) => m.bundle.sdkPackages.join(',');
      const pooled = new Map<string, number[]>();
      for (const { bare } of pairs) {
        pooled.set(sdkKey(bare), [...(pooled.get(sdkKey(bare)) ?? []), ...of(bare, 'cpuMs')]);
      }

      const rows: Row[] = [];
      pairs.forEach(({ fn, bare }, i) => {
        const baselineRuns = pooled.get(sdkKey(bare)) ?? of(bare, 'cpuMs');
        const pairedCpu = fn.samples.map((s, r) => s.cpuMs / (bare.samples[r] as Sample).cpuMs);
        const pairedWall = fn.samples.map((s, r) => s.wallMs / (bare.samples[r] as Sample).wallMs);
        const wallRatio = median(of(fn, 'wallMs')) / median(of(bare, 'wallMs'));
        rows.push(
          row(
            `coldstart.${fn.name}.vsBareSdk`,
            `${fn.name} cold start, whole-process CPU`,
            median(of(fn, 'cpuMs')),
            'ms',
            `bare handler, same SDK clients (${fn.bundle.sdkPackages.join(', ')})`,
            median(baselineRuns),
            `${
              i === 0
                ? `CPU time (user+system, all threads) of a fresh Node process from its start to the module evaluated, ` +
                  `median of ${runs} processes each, after one unmeasured load; each function started back to back ` +
                  'with its bare handler (order alternating, pairs rotating), so "paired" is the median of the per-pair ' +
                  'ratios with its interquartile range; the baseline is the median of every run of the byte-identical ' +
                  'bare handlers of all functions with the same SDK clients (pooled); bundled exactly as QuotaFunction bundles (ESM, node22, minified, ' +
                  'AWS SDK bundled, source map written beside it but not enabled: no --enable-source-maps); wall is ' +
                  `spawn to module evaluated as the parent sees it; 1-min load average ${fixed(loadBefore, 1)} before, ` +
                  `${fixed(loadAfter, 1)} after; local Node ${process.version} on x64, Lambda runs Node 22 on arm64; `
                : ''
            }baseline from ${baselineRuns.length} runs; CPU paired ${fixed(median(pairedCpu), 2)}× (IQR ${fixed(percentile(pairedCpu, 25), 2)}–${fixed(percentile(pairedCpu, 75), 2)}); ` +
              `wall ${fixed(median(of(fn, 'wallMs')))} vs ${fixed(median(of(bare, 'wallMs')))} ms (${fixed(wallRatio, 2)}×, ` +
              `paired ${fixed(median(pairedWall), 2)}×, IQR ${fixed(percentile(pairedWall, 25), 2)}–${fixed(percentile(pairedWall, 75), 2)}); ` +
              `import() alone ${fixed(median(of(fn, 'importMs')))} vs ${fixed(median(of(bare, 'importMs')))} ms; ` +
              `bundle ${fixed(fn.bundle.bytes / 1024)} KB vs ${fixed(bare.bundle.bytes / 1024)} KB ` +
              `(map ${fixed(fn.bundle.mapBytes / 1024)} KB); an empty handler takes ${fixed(median(of(empty, 'cpuMs')))} ms CPU, ` +
              `${fixed(median(of(empty, 'wallMs')))} ms wall`,
          ),
        );
      });
      return {
        rows,
        details: Object.fromEntries(
          targets.map((t) => [
            t.name,
            {
              bytes: t.bundle.bytes,
              mapBytes: t.bundle.mapBytes,
              sdkPackages: t.bundle.sdkPackages,
              wallMs: of(t, 'wallMs').map((n) => Math.round(n * 10) / 10),
              importMs: of(t, 'importMs').map((n) => Math.round(n * 10) / 10),
              cpuMs: of(t, 'cpuMs').map((n) => Math.round(n * 10) / 10),
            },
          ]),
        ),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

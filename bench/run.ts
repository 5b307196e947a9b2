/**
 * `npm run bench`: every benchmark figure, each beside its baseline, measured in one run.
 * Prints one aligned table (notes below it) and writes bench/results.json with the machine it ran on.
 *
 *   npm run bench                         # everything (≈ 2–3 min on 2 cores), writes bench/results.json
 *   npm run bench -- --only cpu,risk      # some sections (and what they need); writes no file
 *   npm run bench -- --quick              # smaller samples, for a quick look; writes no file
 *   npm run bench -- --out /tmp/r.json    # write the results there (any run)
 *
 * Sections: amplification, hotkey, watermarks, cpu, risk, coldstart, e2e, dashboard, cost. Inputs are seeded (--seed, default 1).
 */
import './env.js';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit, machineInfo } from './lib/machine.js';
import { renderTable } from './lib/table.js';
import type { BenchContext, Row, Section } from './lib/types.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, '..');

/** In the order they run: the cost section prices what the others measured. */
const SECTIONS: readonly { name: string; load: () => Promise<Section> }[] = [
  { name: 'amplification', load: async () => (await import('./sections/amplification.js')).amplification },
  { name: 'hotkey', load: async () => (await import('./sections/hotkey.js')).hotkey },
  { name: 'watermarks', load: async () => (await import('./sections/watermarks.js')).watermarks },
  { name: 'cpu', load: async () => (await import('./sections/cpu.js')).cpu },
  { name: 'risk', load: async () => (await import('./sections/risk.js')).risk },
  { name: 'coldstart', load: async () => (await import('./sections/coldstart.js')).coldstart },
  { name: 'e2e', load: async () => (await import('./sections/e2e.js')).e2e },
  { name: 'dashboard', load: async () => (await import('./sections/dashboard.js')).dashboard },
  { name: 'cost', load: async () => (await import('./sections/cost.js')).cost },
];

interface Options {
  only: string[] | null;
  quick: boolean;
  seed: number;
  out: string | null;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { only: null, quick: false, seed: 1, out: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only = [...(options.only ?? []), ...value().split(',')];
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--out') options.out = value();
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: npm run bench -- [--only <section,…>] [--quick] [--seed <n>] [--out <file>]\n' +
          `sections: ${SECTIONS.map((s) => s.name).join(', ')}`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  if (!Number.isInteger(options.seed)) throw new Error('--seed must be an integer');
  for (const name of options.only ?? []) {
    if (!SECTIONS.some((s) => s.name === name)) {
      throw new Error(`unknown section "${name}"; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    }
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const ctx: BenchContext = {
    quick: options.quick,
    seed: options.seed,
    measured: {},
    log: (line) => process.stderr.write(`  ${line}\n`),
  };

  // The requested sections and, before them, those they need.
  const wanted = new Set(options.only ?? SECTIONS.map((s) => s.name));
  const loaded = new Map<string, Section>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const { name, load } of SECTIONS) {
      if (!wanted.has(name) || loaded.has(name)) continue;
      const section = await load();
      loaded.set(name, section);
      for (const need of section.needs ?? []) {
        if (!wanted.has(need)) {
          wanted.add(need);
          changed = true;
        }
      }
    }
  }

  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const timings: Record<string, number> = {};
  for (const { name } of SECTIONS) {
    const section = loaded.get(name);
    if (!section) continue;
    const t0 = Date.now();
    process.stderr.write(`▸ ${section.title} (${name})…\n`);
    const result = await section.run(ctx);
    timings[name] = (Date.now() - t0) / 1000;
    process.stderr.write(`  done in ${timings[name].toFixed(1)} s\n`);
    rows.push(...result.rows);
    if (result.details) details[name] = result.details;
  }

  const machine = machineInfo();
  const durationSeconds = (Date.now() - started) / 1000;
  const ranAt = new Date().toISOString();
  console.log(
    `quota-campaign benchmarks, ${ranAt}${options.quick ? ' (--quick)' : ''}\n` +
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${machine.os}${machine.java ? `, ${machine.java}` : ''}\n`,
  );
  for (const line of renderTable(rows)) console.log(line);
  console.log(
    `\n${rows.length} figures in ${durationSeconds.toFixed(1)} s (${Object.entries(timings)
      .map(([n, s]) => `${n} ${s.toFixed(1)} s`)
      .join(', ')})`,
  );

  const full = options.only === null && !options.quick;
  const out = options.out ?? (full ? join(BENCH_DIR, 'results.json') : null);
  if (out) {
    const results = {
      ranAt,
      durationSeconds,
      quick: options.quick,
      seed: options.seed,
      sections: [...loaded.keys()],
      machine,
      gitCommit: gitCommit(REPO_ROOT),
      rows,
      timings,
      details,
    };
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results written to ${out}`);
  } else {
    console.log('results.json not written (partial or --quick run; pass --out <file> to write one)');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

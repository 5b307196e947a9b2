/**
 * Local end to end on DynamoDB Local (bench/e2e-child.ts does the work, in a process of its own):
 * accepted events/s from 4 concurrent IntakeClients posting batches of 100, beside DynamoDB Local's raw
 * conditional PutItem rate at the same concurrency in the same run; and the delay from POST to the
 * unit's total being visible through the progress API, beside the roll-up's batching window.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/paths.js';
import type { E2eResult } from '../e2e-child.js';
import { percentile } from '../lib/stats.js';
import { row, type Section } from '../lib/types.js';

const MARKER = 'BENCH_E2E_RESULT ';

function runChild(args: string[], log: (line: string) => void): Promise<E2eResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'bench', 'e2e-child.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-8000);
    });
    const timer = setTimeout(() => {
      log('e2e: no result after 240 s, stopping the child');
      child.kill('SIGTERM');
    }, 240_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
      if (code !== 0 || !line) {
        reject(
          new Error(`the e2e benchmark failed (exit ${code}):\n${stderr.trim()}\n${stdout.slice(-2000)}`),
        );
        return;
      }
      resolve(JSON.parse(line.slice(MARKER.length)) as E2eResult);
    });
  });
}

export const e2e: Section = {
  name: 'e2e',
  title: 'Local end to end on DynamoDB Local',
  async run(ctx) {
    const r = await runChild([...(ctx.quick ? ['--quick'] : []), '--seed', String(ctx.seed)], ctx.log);
    if (r.rootTotal !== r.rootExpected) {
      throw new Error(`the root total is ${r.rootTotal} after the drain, expected ${r.rootExpected}`);
    }
    const windowMs = r.windowSeconds * 1000;
    const p = (q: number) => percentile(r.latencyMs, q);
    const setting =
      `fresh DynamoDB Local (Java) in a temporary directory, the whole local runtime in process, ${r.scenario} ` +
      `(${r.units} units); started in ${r.startSeconds.toFixed(1)} s`;
    const rows = [
      row(
        'e2e',
        `accepted events/s, ${r.clients} clients × batches of 100`,
        r.acceptedPerSecond,
        'events/s',
        `raw conditional PutItem, ${r.rawConcurrency} in flight`,
        r.rawPutsPerSecond,
        `${setting}; ${r.accepted.toLocaleString('en-US')} of ${r.posted.toLocaleString('en-US')} events accepted in ` +
          `${r.postSeconds.toFixed(1)} s through the local gateway, JWT checks and the intake handler (25 puts in flight ` +
          `per request), while the stream poller rolled up; baseline: ${r.rawPuts.toLocaleString('en-US')} puts of ` +
          `IntakeEvents-shaped items straight to a table of the same definition; streams drained ` +
          `${r.drainSeconds.toFixed(1)} s after the last post, root total exact (${r.rootTotal.toLocaleString('en-US')})`,
      ),
      row(
        'e2e',
        'POST → total visible, p50',
        p(50),
        'ms',
        'batching window (topology)',
        windowMs,
        `${r.latencyMs.length} posts of one event, 4 lanes, each to its own commune, progress polled every 100 ms ` +
          `(resolution ±100 ms); the local poller also polls idle shards every 1 s; POST round trip p50 ` +
          `${percentile(r.postRttMs, 50).toFixed(0)} ms`,
      ),
      row(
        'e2e',
        'POST → total visible, p95',
        p(95),
        'ms',
        'batching window (topology)',
        windowMs,
        `same ${r.latencyMs.length} samples; max ${Math.max(...r.latencyMs).toFixed(0)} ms`,
      ),
    ];
    return { rows, details: { ...r } };
  },
};

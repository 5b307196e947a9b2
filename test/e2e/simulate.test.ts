/**
 * The simulator end to end: three days of Hưng Yên falling behind, run twice on fresh stores with the
 * same seed — once programmatically (runSimulation, in this process) and once as `npm run simulate`
 * would run it (a child process) — at the same time, to keep the test short. Both must check every
 * unit exact against their ledgers, alert the province's leader, and print the same summary.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../infra/local/simulate/run.js';
import { processesMentioning, runScript } from '../support/local-system.js';

const ARGS = { scenario: 'hung-yen-2021', days: 3, pace: 'lagging', seed: 1 } as const;

/** `npm run simulate -- …` as a child process, with its own (empty) QUOTA_LOCAL_DIR. */
const simulateCli = (args: readonly string[], localDir: string) =>
  runScript('infra/local/simulate/main.ts', args, { env: { ...process.env, QUOTA_LOCAL_DIR: localDir } });

describe('npm run simulate', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'quota-simulate-e2e-'));
  afterAll(() => rmSync(localDir, { recursive: true, force: true }));

  it('checks every total exact, alerts the province, cleans up, and gives the same summary for the same seed', async () => {
    // Arrange
    const notes: string[] = [];
    const sink = { write: (text: string) => notes.push(text) };

    // Act: the same run twice, on two fresh stores, at the same time
    const [outcome, cli] = await Promise.all([
      runSimulation({ ...ARGS, progress: sink }),
      simulateCli(
        [
          '--scenario',
          ARGS.scenario,
          '--days',
          String(ARGS.days),
          '--pace',
          ARGS.pace,
          '--seed',
          String(ARGS.seed),
        ],
        localDir,
      ),
    ]);

    // Assert: the programmatic run
    const { result } = outcome;
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.exact).toBe(54);
    expect(result.intake.notStored).toBe(0);
    expect(result.intake.statuses.accepted).toBe(result.intake.events);
    const repeats = result.intake.repeats;
    expect(result.intake.statuses.duplicate).toBe(repeats.resentWhole + repeats.nextPost + repeats.inBatch);
    expect(result.intake.postsResent).toBeGreaterThan(0);
    expect(result.root.total).toBe(result.intake.applications);
    expect(result.levels?.root).toBe('critical');
    expect(result.jobs.riskRuns).toBe(3);
    // Day 1 has no data and day 2 is the first critical reading: day 3 alerts, by SMS and e-mail.
    expect(result.criticalToRoot).toBe(2);
    expect(result.deliveries[0]).toMatchObject({ unitId: '33', alerts: { sms: 1, email: 1 } });
    expect(outcome.ok).toBe(true);
    expect(outcome.summary).toMatch(/^totals EXACT at 54 of 54 units/m);
    expect(outcome.timing).toMatch(/^time: \d+\.\d s wall/);

    // Its temporary store is gone, DynamoDB Local's java process with it.
    const stateDir = /fresh store in (\S+) /.exec(notes.join(''))?.[1] ?? '';
    expect(stateDir).toContain('quota-simulate-');
    expect(outcome.stateDir).toBeNull();
    expect(existsSync(stateDir)).toBe(false);
    expect(processesMentioning(stateDir)).toEqual([]);

    // The CLI: exit 0, a summary identical to the programmatic one, then the timing line
    expect(cli.code, cli.stderr).toBe(0);
    const lines = cli.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^time: /);
    expect(lines.slice(0, -1).join('\n')).toBe(outcome.summary);
    expect(cli.stderr).toContain('day 3/3 2021-03-03');
    // It never touched the default state directory.
    expect(existsSync(join(localDir, 'dynamodb'))).toBe(false);
  }, 360_000); // two simulator runs; under a loaded 2-core machine one took over 180 s
});

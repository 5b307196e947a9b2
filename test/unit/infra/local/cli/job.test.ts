/** npm run job (infra/local/cli/job.ts): its command line, before any system is reached. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobSummary, runJobCli } from '../../../../../infra/local/cli/job.js';
import { localPaths, REPO_ROOT } from '../../../../../infra/local/paths.js';
import { writeRuntimeDescriptor } from '../../../../../infra/local/runtime/descriptor.js';

const RISK_RUN = {
  campaignId: 'cccd-2021-hung-yen',
  asOf: '2021-03-13T13:00:00.000Z',
  units: 1189,
  levels: { on_track: 1000, at_risk: 150, critical: 39 },
  notifications: 12,
  enqueued: 10,
  published: 9,
  alreadyEvaluated: false,
};

describe('npm run job (command line)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout and exits 0', async (flag) => {
    // Arrange
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Act
    const code = await runJobCli([flag]);
    // Assert
    expect(code).toBe(0);
    expect(log.mock.calls.join('\n')).toMatch(
      /^usage: npm run job -- <job> .*\njobs: risk, report, reorganise$/,
    );
    expect(error).not.toHaveBeenCalled();
  });

  it('runs when executed as npm run job does (tsx on the file), not only when imported', async () => {
    // Act
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'node_modules/.bin/tsx',
        ['infra/local/cli/job.ts', '--help'],
        { cwd: REPO_ROOT },
        (error, out) => (error ? reject(error) : resolve(out)),
      );
    });
    // Assert
    expect(stdout).toMatch(/^usage: npm run job -- <job> /);
  });

  it('answers no job with the usage on stderr and exit 2', async () => {
    // Arrange
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Act
    const code = await runJobCli([]);
    // Assert
    expect(code).toBe(2);
    expect(error.mock.calls.join('\n')).toMatch(/usage: npm run job -- <job>/);
  });
});

describe('npm run job (what it prints)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it('says what ran on stderr, one line per campaign, and prints the JSON answer alone on stdout', async () => {
    // Arrange: a running system (this process) whose job route answers as the local gateway does.
    const dir = await mkdtemp(join(tmpdir(), 'job-cli-'));
    vi.stubEnv('QUOTA_LOCAL_DIR', dir);
    await writeRuntimeDescriptor(localPaths(dir), {
      pid: process.pid,
      url: 'http://127.0.0.1:9',
      dynamoEndpoint: 'http://127.0.0.1:9',
      dynamoPid: null,
      tables: {} as never,
      startedAt: '2021-03-13T00:00:00.000Z',
    });
    const answer = { job: 'risk', result: { runs: [RISK_RUN] } };
    const fetch = vi.fn(async () => new Response(JSON.stringify(answer), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // Act
      const code = await runJobCli(['risk', '--campaign', 'cccd-2021-hung-yen']);
      // Assert
      expect(code).toBe(0);
      expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:9/local/jobs/risk', expect.anything());
      expect(error.mock.calls).toEqual([
        [
          'risk cccd-2021-hung-yen as of 2021-03-13T13:00:00.000Z: 1189 units evaluated (critical 39, at_risk 150, on_track 1000); 12 alerts decided, 10 queued, 9 sent',
        ],
      ]);
      expect(log.mock.calls).toHaveLength(1);
      expect(JSON.parse(log.mock.calls[0]?.[0] as string)).toEqual(answer);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'risk',
      { runs: [{ ...RISK_RUN, alreadyEvaluated: true, levels: {} }] },
      [
        'risk cccd-2021-hung-yen as of 2021-03-13T13:00:00.000Z: 1189 units evaluated; this moment was already evaluated, nothing new decided',
      ],
    ],
    [
      'risk',
      {
        runs: [{ ...RISK_RUN, notifications: 1, enqueued: 1, published: 0 }],
        migrations: [
          { campaignId: 'cccd-2021-hung-yen', epoch: 2, status: 'converged', passes: 1, moved: 3 },
        ],
      },
      [
        'risk cccd-2021-hung-yen: reorganisation epoch 2 converged, 1 pass, 3 day items moved',
        'risk cccd-2021-hung-yen as of 2021-03-13T13:00:00.000Z: 1189 units evaluated (critical 39, at_risk 150, on_track 1000); 1 alert decided, 1 queued, 0 sent',
      ],
    ],
    ['risk', { runs: [] }, ['risk: no campaign to run']],
    [
      'report',
      {
        runs: [
          {
            campaignId: 'cccd-2021-hung-yen',
            period: '2021-W10',
            reports: [
              { reportId: 'a', stored: 'created' },
              { reportId: 'b', stored: 'created' },
              { reportId: 'c', stored: 'unchanged' },
            ],
            summariesSent: 1,
          },
        ],
      },
      ['report cccd-2021-hung-yen 2021-W10: 3 reports written (2 created, 1 unchanged), 1 summary sent'],
    ],
    [
      'reorganise',
      {
        runs: [{ campaignId: 'c1', epoch: 1, status: 'pending', passes: 2, moved: 1 }],
        failed: ['c2'],
      },
      [
        'reorganise c1: reorganisation epoch 1 pending, 2 passes, 1 day item moved',
        "reorganise c2: failed (see the system's log)",
      ],
    ],
    ['reorganise', { runs: [], failed: [] }, ['reorganise: no reorganisation to run']],
    ['other', null, ['other: done']],
  ])('summarises a %s result %j', (job, result, lines) => {
    expect(jobSummary(job, result)).toEqual(lines);
  });
});

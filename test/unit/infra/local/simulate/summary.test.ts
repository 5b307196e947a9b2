import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../../../../infra/local/simulate/progress.js';
import {
  type DeliveryLine,
  formatLevels,
  formatSummary,
  formatTiming,
  passed,
  type SimulationResult,
  tallyDeliveries,
} from '../../../../../infra/local/simulate/summary.js';

function aDelivery(
  name: string,
  scope: string,
  protocol: 'sms' | 'email',
  overrides: Partial<DeliveryLine['attributes']> = {},
): DeliveryLine {
  return {
    recipient: { name },
    protocol,
    attributes: { scope, severity: 'critical', kind: 'alert', lang: 'vi', ...overrides },
  };
}

function aResult(overrides: Partial<SimulationResult> = {}): SimulationResult {
  return {
    campaign: { id: 'cccd-2021-test', name: 'Thử', units: 6, root: { id: '33', name: 'Tỉnh', target: 1000 } },
    run: { from: '2021-03-01', to: '2021-03-03', days: 3, pace: 'lagging', seed: 1, store: 'fresh' },
    intake: {
      events: 100,
      applications: 1234,
      posts: 12,
      postsResent: 1,
      sends: 115,
      repeats: { resentWhole: 10, nextPost: 3, inBatch: 2 },
      statuses: { accepted: 100, duplicate: 15, conflict: 0, rejected: 0, failed: 0 },
      notStored: 0,
    },
    check: { units: 6, exact: 6, views: ['live'], mismatches: [] },
    root: { total: 1234, percent: 123.4 },
    levels: {
      asOf: '2021-03-03T20:00:00+07:00',
      counts: { critical: 5, on_track: 1 },
      byLevel: [{ level: 'province', counts: { critical: 1 } }],
      root: 'critical',
    },
    jobs: { riskRuns: 3, reportWeeks: [], reportsStored: 0, summariesSent: 0 },
    deliveries: [],
    criticalToRoot: 2,
    problems: [],
    ...overrides,
  };
}

describe('tallyDeliveries()', () => {
  it('counts alerts by channel and severity and reports per leader, in hierarchy order', () => {
    // Arrange
    const lines = [
      { ...aDelivery('District chair', '323', 'email', { lang: 'en' }), dayIndex: 2 },
      { ...aDelivery('Chủ tịch tỉnh', '33', 'sms'), dayIndex: 2 },
      { ...aDelivery('Chủ tịch tỉnh', '33', 'email'), dayIndex: 2 },
      { ...aDelivery('Chủ tịch tỉnh', '33', 'email', { severity: 'info', kind: 'report' }), dayIndex: 7 },
      { ...aDelivery('Chủ tịch tỉnh', '33', 'email', { severity: 'resolved' }), dayIndex: 9 },
    ];
    // Act: 14 simulated days, two weeks
    const tallies = tallyDeliveries(
      lines,
      ['33', '323', '324'],
      [{ unitId: '324', name: 'Nobody wrote', lang: 'vi' }],
      14,
    );
    // Assert
    expect(tallies).toEqual([
      {
        unitId: '33',
        name: 'Chủ tịch tỉnh',
        lang: 'vi',
        alerts: { sms: 1, email: 2 },
        severities: { critical: 2, resolved: 1 },
        reports: 1,
        perWeek: [2, 1],
      },
      {
        unitId: '323',
        name: 'District chair',
        lang: 'en',
        alerts: { sms: 0, email: 1 },
        severities: { critical: 1 },
        reports: 0,
        perWeek: [1, 0],
      },
      {
        unitId: '324',
        name: 'Nobody wrote',
        lang: 'vi',
        alerts: { sms: 0, email: 0 },
        severities: {},
        reports: 0,
        perWeek: [0, 0],
      },
    ]);
  });
});

describe('formatSummary()', () => {
  it('is the same text for the same result, with no clock time in it', () => {
    // Act
    const text = formatSummary(aResult());
    // Assert
    expect(formatSummary(aResult())).toBe(text);
    expect(text).toContain('totals EXACT at 6 of 6 units');
    expect(text).toContain('duplicates absorbed  15 (repeated sends 15');
    expect(text).toContain('33 Tỉnh is critical');
    expect(text).toMatch(/result: PASS$/);
    expect(text).not.toMatch(/\d+\.\d s/);
  });

  it('lists every mismatch and fails', () => {
    // Arrange
    const result = aResult({
      check: {
        units: 6,
        exact: 4,
        views: ['live'],
        mismatches: [
          { unitId: '33', view: 'live', field: 'total', expected: 1234, actual: 1229 },
          { unitId: '12002', view: 'live', field: 'unit', expected: 5, actual: null },
        ],
      },
    });
    // Act
    const text = formatSummary(result, new Map([['33', 'Tỉnh (province)']]));
    // Assert
    expect(passed(result)).toBe(false);
    expect(text).toContain('totals WRONG at 4 of 6 units');
    expect(text).toContain('  33 Tỉnh (province) [live] total: expected 1,234, API 1,229 (-5)');
    expect(text).toContain('  12002 [live]: missing from the API (expected 5)');
    expect(text).toMatch(/result: FAIL$/);
  });

  it('fails when a planned event was never stored or was refused', () => {
    const base = aResult();
    expect(passed(aResult({ intake: { ...base.intake, notStored: 1 } }))).toBe(false);
    expect(
      passed(aResult({ intake: { ...base.intake, statuses: { ...base.intake.statuses, rejected: 1 } } })),
    ).toBe(false);
    expect(passed(aResult({ problems: ['risk job failed'] }))).toBe(false);
    expect(passed(base)).toBe(true);
  });
});

describe('formatLevels() and formatTiming()', () => {
  it('orders levels worst first and leaves out empty ones', () => {
    expect(formatLevels({ on_track: 3, critical: 40, at_risk: 5, done: 0 })).toBe(
      'critical 40, at_risk 5, on_track 3',
    );
    expect(formatLevels({})).toBe('none');
  });

  it('prints the wall time and its phases on one line', () => {
    expect(formatTiming({ wallMs: 90_000, phases: [{ name: 'posting', ms: 60_000 }], events: 9_000 })).toBe(
      'time: 90.0 s wall (posting 60.0 s); 100 events/s overall',
    );
  });
});

describe('ProgressBar', () => {
  it('draws on a terminal and prints only notes elsewhere', () => {
    // Arrange
    const tty: string[] = [];
    const pipe: string[] = [];
    let t = 0;
    const onTty = new ProgressBar(
      { write: (s: string) => tty.push(s), isTTY: true, columns: 120 },
      4,
      () => (t += 1000),
    );
    const onPipe = new ProgressBar({ write: (s: string) => pipe.push(s) }, 4);
    // Act
    for (const bar of [onTty, onPipe]) {
      bar.advance(2, 'day 1/2');
      bar.note('day 1 done');
      bar.finish();
    }
    // Assert
    expect(onTty.render()).toContain(' 50 %  day 1/2');
    expect(tty.join('')).toContain('\r\x1b[2K[');
    expect(pipe).toEqual(['day 1 done\n']);
  });
});

/**
 * The simulation's outcome: what every unit must show (the ledger on the tree of now, plus what an
 * attached store held before), the check of a reading against it, the deliveries the run caused
 * (alerts.jsonl), and the result the summary is written from.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Hierarchy } from '../../../shared/domain/hierarchy.js';
import type { CampaignRun } from '../../../shared/jobs/risk-job.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import type { RiskLevel } from '../../../shared/schemas/progress.js';
import type { Reading } from './api.js';
import {
  addFigures,
  compareFigures,
  type Ledger,
  type Mismatch,
  type UnitFigures,
  unitsWithMismatches,
} from './ledger.js';
import type { Pace, SimulationPlan } from './plan.js';
import {
  type DeliveryLine,
  type IntakeTally,
  type LevelTally,
  type SimulationResult,
  tallyDeliveries,
} from './summary.js';

/** After a reorganisation: the successor of each merged unit, and the past they keep. */
export interface Reorganised {
  readonly successor: (id: string) => string;
  readonly past: Ledger;
  readonly oldHierarchy: Hierarchy;
}

/** The ledger on the tree of now: merged units show their past (on the tree they left). */
export function expectedFigures(
  ledger: Ledger,
  hierarchy: Hierarchy,
  reorganised: Reorganised | null,
): Map<string, UnitFigures> {
  if (!reorganised) return ledger.expected(hierarchy);
  const h = hierarchy;
  const { successor, past, oldHierarchy } = reorganised;
  const figures = ledger.expected({ units: h.units, pathOf: (id) => h.pathOf(successor(id)) });
  const kept = past.expected(oldHierarchy);
  for (const u of h.units) {
    if (u.mergedInto === undefined) continue;
    const f = kept.get(u.id);
    if (f) figures.set(u.id, f);
  }
  return figures;
}

/** The expected figures plus what a view showed before the run (attached), per unit. */
export function plusBaseline(
  expected: Map<string, UnitFigures>,
  before: Map<string, UnitFigures> | undefined,
): Map<string, UnitFigures> {
  return new Map(
    [...expected].map(([id, f]) => {
      const was = before?.get(id);
      return [id, was ? addFigures(was, f) : f];
    }),
  );
}

/** The check: every unit, three readings (live, as of the last evening, daily), against the expectation. */
export function checkReading(
  expectedNow: (view: Map<string, UnitFigures> | undefined) => Map<string, UnitFigures>,
  baseline: Reading | null,
  reading: Reading,
  asOfLabel: string,
): Mismatch[] {
  return [
    ...compareFigures(expectedNow(baseline?.live), reading.live, { view: 'live', fields: 'totals' }),
    ...compareFigures(expectedNow(baseline?.asOf), reading.asOf, { view: asOfLabel, fields: 'totals' }),
    ...compareFigures(expectedNow(baseline?.daily), reading.daily, { view: 'daily', fields: 'days' }),
  ];
}

/** Lines of alerts.jsonl written after `offset` bytes, for one campaign. */
export async function readDeliveries(
  file: string,
  offset: number,
  campaignId: string,
): Promise<DeliveryLine[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return [];
  }
  return bytes
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DeliveryLine & { campaignId: string })
    .filter((l) => l.campaignId === campaignId);
}

export const sizeOf = async (file: string) => {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
};

/** Levels per hierarchy level, as the API evaluates them at the last evening. */
export function tallyLevels(
  hierarchy: Hierarchy,
  reading: Reading,
  lastRisk: CampaignRun | null,
  lastAsOf: string,
): LevelTally | null {
  const byLevel: LevelTally['byLevel'][number][] = [];
  for (const unit of hierarchy.units) {
    const level = reading.levels.get(unit.id);
    if (level === undefined || level === null) continue;
    let entry = byLevel.find((b) => b.level === unit.level);
    if (!entry) {
      entry = { level: unit.level, counts: {} };
      byLevel.push(entry);
    }
    const counts = entry.counts as Partial<Record<RiskLevel, number>>;
    counts[level] = (counts[level] ?? 0) + 1;
  }
  return lastRisk
    ? {
        asOf: lastAsOf,
        counts: lastRisk.levels,
        byLevel,
        root: reading.levels.get(hierarchy.root.id) ?? null,
      }
    : null;
}

/** What the run counted and read, for the result. */
export interface RunFacts {
  readonly file: CampaignFile;
  readonly plan: SimulationPlan;
  readonly hierarchy: Hierarchy;
  readonly lastDay: string;
  readonly asOfLabel: string;
  readonly pace: Pace;
  readonly seed: number;
  readonly attach: boolean;
  readonly intake: Omit<IntakeTally, 'events' | 'applications'>;
  readonly mismatches: Mismatch[];
  readonly reading: Reading;
  readonly levels: LevelTally | null;
  readonly jobs: SimulationResult['jobs'];
  /** The run's deliveries, each with the simulated day it belongs to. */
  readonly lines: readonly (DeliveryLine & { dayIndex: number })[];
  readonly problems: string[];
}

export function assembleResult(f: RunFacts): SimulationResult {
  const { file, plan, hierarchy, lines } = f;
  const order = hierarchy.units.map((u) => u.id);
  return {
    campaign: {
      id: file.campaign.id,
      name: file.campaign.name,
      units: hierarchy.size,
      root: { id: hierarchy.root.id, name: hierarchy.root.name, target: hierarchy.root.target },
    },
    run: {
      from: file.campaign.startDate,
      to: f.lastDay,
      days: plan.days.length,
      pace: f.pace,
      seed: f.seed,
      store: f.attach ? 'attached' : 'fresh',
    },
    intake: {
      events: plan.events,
      applications: plan.applications,
      ...f.intake,
    },
    check: {
      units: hierarchy.size,
      exact: hierarchy.size - unitsWithMismatches(f.mismatches).size,
      views: [
        'running totals, by kind, channel, group',
        `the same summed from the days ${f.asOfLabel}`,
        'every daily count',
      ],
      mismatches: f.mismatches,
    },
    root: { total: f.reading.live.get(hierarchy.root.id)?.total ?? 0, percent: f.reading.rootPercent },
    levels: f.levels,
    jobs: f.jobs,
    deliveries: tallyDeliveries(lines, order, plan.leaders, plan.days.length),
    sms: {
      alerts: lines.filter((l) => l.protocol === 'sms' && l.attributes.kind === 'alert').length,
      all: lines.filter((l) => l.protocol === 'sms').length,
    },
    criticalToRoot: lines.filter(
      (l) =>
        l.attributes.scope === hierarchy.root.id &&
        l.attributes.kind === 'alert' &&
        l.attributes.severity === 'critical',
    ).length,
    problems: f.problems,
  };
}

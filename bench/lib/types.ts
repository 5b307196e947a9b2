/** The shapes every benchmark section shares: one row per figure, always beside a baseline. */

export interface Row {
  /**
   * Stable id, the same from run to run (`cost.day90.posts100`, `e2e.visible.p95`,
   * `coldstart.Intake.vsBareSdk`): follow a figure across results.json files by it.
   */
  readonly id: string;
  /** The section that measured it (`amplification`, `cpu`, …): the id's first segment. */
  readonly section: string;
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  /** What the value is compared with, in words. */
  readonly baseline: string;
  readonly baselineValue: number;
  /** value / baselineValue (null when the baseline is 0). */
  readonly ratio: number | null;
  /** How it was measured, the assumptions, anything a reader needs to trust the number. */
  readonly note?: string;
}

/**
 * Figures one section measures and a later one uses (the cost section prices the request counts
 * and CPU times measured by the others). Filled in as sections run.
 */
export interface Measured {
  /** Intake handler CPU per event, batches of 100 (µs). */
  intakeUsPerEvent100?: number;
  /** Intake handler CPU per event, single-event posts (µs). */
  intakeUsPerEvent1?: number;
  /** Roll-up handler CPU per event, batches of 1,000 (µs). */
  rollupUsPerEvent?: number;
  /** Naive roll-up (one ADD per event per item) CPU per event (µs). */
  naiveRollupUsPerEvent?: number;
  /** Size of one stored IntakeEvents item, by DynamoDB's item-size rules (bytes). */
  intakeItemBytes?: number;
  /** Read units of one catalogue load (campaign GetItem + units Query pages) of the national campaign. */
  catalogLoadRru?: number;
  /** At the modelled peak: records per roll-up invocation. */
  peakEventsPerBatch?: number;
  /** At the modelled peak: totals writes per roll-up invocation (measured with the real applyBatch). */
  peakWritesPerBatch?: number;
  /** At the modelled peak: write units per roll-up invocation. */
  peakWruPerBatch?: number;
  /** Naive roll-up writes per event (unit + ancestors, TOTAL and DAY). */
  naiveWritesPerEvent?: number;
  /** Projected write units of a write to the busiest DAY item (the last 27 h of shards' watermarks). */
  projectedDayItemWru?: number;
  /** Measured on DynamoDB Local (watermarks section): the largest DAY item's write units over a long run. */
  measuredDayItemWru?: number;
  /** The same peak with the other batching window (the cost/latency trade). */
  alternative?: { windowSeconds: number; eventsPerBatch: number; writesPerBatch: number };
  /** The design before DAY-only items (TOTAL + DAY per touched unit, 2 s window, long watermarks). */
  previousDesign?: {
    windowSeconds: number;
    eventsPerBatch: number;
    writesPerBatch: number;
    totalWriteShare: number;
    totalItemWruDay90: number;
    dayItemWruDay90: number;
  };
}

export interface BenchContext {
  readonly quick: boolean;
  /** Seed of every generated input. */
  readonly seed: number;
  readonly measured: Measured;
  readonly log: (line: string) => void;
}

export interface SectionResult {
  readonly rows: Row[];
  /** Extra structured detail for results.json (breakdowns, raw samples). */
  readonly details?: Record<string, unknown>;
}

export interface Section {
  readonly name: string;
  readonly title: string;
  /** Sections whose measurements this one uses; run first when missing. */
  readonly needs?: readonly string[];
  run(ctx: BenchContext): Promise<SectionResult>;
}

/** A row with its ratio computed; `id` is `<section>.<what>` (stable: never renumbered). */
export function row(
  // `<section>.<what>`: the type refuses a bare section name at compile time, the check below a malformed one at run time.
  id: `${string}.${string}`,
  figure: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
  note?: string,
): Row {
  if (!/^[a-z0-9]+(\.[A-Za-z0-9-]+)+$/.test(id)) throw new Error(`bad row id "${id}"`);
  return {
    id,
    section: id.slice(0, id.indexOf('.')),
    figure,
    value,
    unit,
    baseline,
    baselineValue,
    ratio: baselineValue === 0 ? null : value / baselineValue,
    ...(note !== undefined && { note }),
  };
}

/**
 * Cost per million intake events at list prices (pure arithmetic; the inputs are measured by the
 * other sections and the prices come from a dated file under bench/prices/).
 *
 * Lambda bills wall-clock duration, which in AWS is mostly waiting for DynamoDB. The duration of
 * an invocation is modelled as its measured CPU time, stretched by the CPU share Lambda gives its
 * memory size (one full vCPU at 1,769 MB), plus one DynamoDB round trip per wave of concurrent
 * requests, at an assumed in-region latency.
 */
import { readFileSync } from 'node:fs';

/** Lambda gives a function one full vCPU at 1,769 MB and proportionally less below. */
export const FULL_VCPU_MB = 1769;

export interface PriceEntry {
  readonly usd: number;
  readonly source: string;
  readonly detail?: string;
}

export interface PriceFile {
  readonly region: string;
  readonly currency: string;
  readonly recordedOn: string;
  readonly fetchedLive: boolean;
  readonly caveat: string;
  readonly prices: {
    readonly apiGatewayHttpPerMillionRequests: PriceEntry;
    readonly lambdaPerMillionRequests: PriceEntry;
    readonly lambdaArmPerGbSecond: PriceEntry;
    readonly dynamodbOnDemandPerMillionWriteRequestUnits: PriceEntry;
    readonly dynamodbOnDemandPerMillionReadRequestUnits: PriceEntry;
    readonly dynamodbStreamsReadsByLambda: PriceEntry;
    readonly snsPublishPerMillionRequests: PriceEntry;
  };
}

export function readPriceFile(path: string): PriceFile {
  const file = JSON.parse(readFileSync(path, 'utf8')) as PriceFile;
  for (const [name, entry] of Object.entries(file.prices)) {
    if (typeof entry?.usd !== 'number' || !Number.isFinite(entry.usd) || entry.usd < 0 || !entry.source) {
      throw new Error(`${path}: price ${name} needs a non-negative usd and a source`);
    }
  }
  return file;
}

/** Billed milliseconds of one invocation (Lambda rounds up to the next 1 ms). */
export function billedMs(cpuMs: number, memoryMb: number, ioRounds: number, ioLatencyMs: number): number {
  const stretch = FULL_VCPU_MB / Math.min(memoryMb, FULL_VCPU_MB);
  return Math.max(1, Math.ceil(cpuMs * stretch + ioRounds * ioLatencyMs));
}

/**
 * Catalogue loads per million events: each warm intake container reloads the campaign's units
 * every `ttlSeconds`; the number of warm containers at a steady rate is, by Little's law, the
 * invocations per second times their duration (at least one).
 */
export function catalogLoadsPerMillion(
  eventsPerSecond: number,
  eventsPerPost: number,
  billedMsPerPost: number,
  ttlSeconds: number,
): number {
  const postsPerSecond = eventsPerSecond / eventsPerPost;
  const containers = Math.max(1, Math.ceil((postsPerSecond * billedMsPerPost) / 1000));
  const secondsPerMillion = 1_000_000 / eventsPerSecond;
  return (containers * secondsPerMillion) / ttlSeconds;
}

export interface IntakeCostModel {
  /** Events per POST (1 or 100). */
  readonly eventsPerPost: number;
  readonly intakeMemoryMb: number;
  readonly intakeBilledMsPerPost: number;
  /** Write units per stored event (the conditional PutItem of its IntakeEvents item). */
  readonly intakeWruPerEvent: number;
  /** Read units for the intake functions' catalogue reloads, per million events. */
  readonly catalogRruPerMillion: number;
  readonly rollupMemoryMb: number;
  readonly rollupEventsPerInvocation: number;
  readonly rollupBilledMsPerInvocation: number;
  /** Totals write units per event (all the roll-up's UpdateItems of a batch / its events). */
  readonly rollupWruPerEvent: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

export interface CostBreakdown {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
}

const MILLION = 1_000_000;

export function costPerMillionEvents(m: IntakeCostModel, prices: PriceFile['prices']): CostBreakdown {
  const posts = MILLION / m.eventsPerPost;
  const rollupInvocations = MILLION / m.rollupEventsPerInvocation;
  const intakeGbS = posts * (m.intakeBilledMsPerPost / 1000) * (m.intakeMemoryMb / 1024);
  const rollupGbS = rollupInvocations * (m.rollupBilledMsPerInvocation / 1000) * (m.rollupMemoryMb / 1024);
  const intakeWru = MILLION * m.intakeWruPerEvent;
  const rollupWru = MILLION * m.rollupWruPerEvent;
  const lines: CostLine[] = [
    {
      item: 'API Gateway HTTP API requests',
      quantity: posts,
      unit: 'requests',
      usd: (posts / MILLION) * prices.apiGatewayHttpPerMillionRequests.usd,
    },
    {
      item: 'Lambda requests (intake + roll-up)',
      quantity: posts + rollupInvocations,
      unit: 'invocations',
      usd: ((posts + rollupInvocations) / MILLION) * prices.lambdaPerMillionRequests.usd,
    },
    {
      item: 'Lambda duration, intake',
      quantity: intakeGbS,
      unit: 'GB-s',
      usd: intakeGbS * prices.lambdaArmPerGbSecond.usd,
    },
    {
      item: 'Lambda duration, roll-up',
      quantity: rollupGbS,
      unit: 'GB-s',
      usd: rollupGbS * prices.lambdaArmPerGbSecond.usd,
    },
    {
      item: 'DynamoDB writes, intake puts',
      quantity: intakeWru,
      unit: 'WRU',
      usd: (intakeWru / MILLION) * prices.dynamodbOnDemandPerMillionWriteRequestUnits.usd,
    },
    {
      item: 'DynamoDB writes, roll-up',
      quantity: rollupWru,
      unit: 'WRU',
      usd: (rollupWru / MILLION) * prices.dynamodbOnDemandPerMillionWriteRequestUnits.usd,
    },
    {
      item: 'DynamoDB reads, intake catalogue',
      quantity: m.catalogRruPerMillion,
      unit: 'RRU',
      usd: (m.catalogRruPerMillion / MILLION) * prices.dynamodbOnDemandPerMillionReadRequestUnits.usd,
    },
    {
      item: 'DynamoDB stream reads (Lambda trigger)',
      quantity: rollupInvocations,
      unit: 'GetRecords',
      usd: 0 * prices.dynamodbStreamsReadsByLambda.usd,
    },
  ];
  return { lines, totalUsd: lines.reduce((sum, l) => sum + l.usd, 0) };
}

/** "API $1.00, Lambda req $0.20, …": the lines that cost something, for a note. */
export function summarize(breakdown: CostBreakdown): string {
  return breakdown.lines
    .filter((l) => l.usd > 0)
    .map((l) => `${l.item} $${l.usd < 0.01 ? l.usd.toPrecision(2) : l.usd.toFixed(2)}`)
    .join('; ');
}

/** The benchmark's cost arithmetic, with prices and inputs simple enough to check by hand. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  billedMs,
  catalogLoadsPerMillion,
  costPerMillionEvents,
  type IntakeCostModel,
  type PriceFile,
  readPriceFile,
} from '../../../../bench/lib/cost.js';
import {
  INTAKE_PUT_CONCURRENCY,
  PRICE_FILE,
  ROLLUP_WRITE_CONCURRENCY,
} from '../../../../bench/sections/cost.js';
import { REPO_ROOT } from '../../../../infra/local/paths.js';

const entry = (usd: number) => ({ usd, source: 'https://example.test/pricing' });
const prices: PriceFile['prices'] = {
  apiGatewayHttpPerMillionRequests: entry(1),
  lambdaPerMillionRequests: entry(0.2),
  lambdaArmPerGbSecond: entry(0.00001),
  dynamodbOnDemandPerMillionWriteRequestUnits: entry(0.5),
  dynamodbOnDemandPerMillionReadRequestUnits: entry(0.1),
  dynamodbStreamsReadsByLambda: entry(0),
  snsPublishPerMillionRequests: entry(0.5),
};

const model = (over: Partial<IntakeCostModel> = {}): IntakeCostModel => ({
  eventsPerPost: 100,
  intakeMemoryMb: 512,
  intakeBilledMsPerPost: 40,
  intakeWruPerEvent: 1,
  catalogRruPerMillion: 1000,
  rollupMemoryMb: 1024,
  rollupEventsPerInvocation: 500,
  rollupBilledMsPerInvocation: 500,
  rollupWruPerEvent: 4,
  ...over,
});

describe('costPerMillionEvents()', () => {
  it('prices every request and unit of a million events posted 100 at a time', () => {
    const { lines, totalUsd } = costPerMillionEvents(model(), prices);
    const usd = Object.fromEntries(lines.map((l) => [l.item, l.usd]));
    // 10,000 posts at $1/M
    expect(usd['API Gateway HTTP API requests']).toBeCloseTo(0.01, 10);
    // 10,000 intake + 2,000 roll-up invocations at $0.20/M
    expect(usd['Lambda requests (intake + roll-up)']).toBeCloseTo(0.0024, 10);
    // 10,000 × 0.040 s × 0.5 GB = 200 GB-s; 2,000 × 0.5 s × 1 GB = 1,000 GB-s; at $0.00001
    expect(usd['Lambda duration, intake']).toBeCloseTo(0.002, 10);
    expect(usd['Lambda duration, roll-up']).toBeCloseTo(0.01, 10);
    // 1M WRU and 4M WRU at $0.50/M; 1,000 RRU at $0.10/M
    expect(usd['DynamoDB writes, intake puts']).toBeCloseTo(0.5, 10);
    expect(usd['DynamoDB writes, roll-up']).toBeCloseTo(2, 10);
    expect(usd['DynamoDB reads, intake catalogue']).toBeCloseTo(0.0001, 10);
    expect(usd['DynamoDB stream reads (Lambda trigger)']).toBe(0);
    expect(totalUsd).toBeCloseTo(0.01 + 0.0024 + 0.002 + 0.01 + 0.5 + 2 + 0.0001, 10);
  });

  it('makes single-event posts cost a request and an invocation each', () => {
    const single = costPerMillionEvents(model({ eventsPerPost: 1, intakeBilledMsPerPost: 6 }), prices);
    const usd = Object.fromEntries(single.lines.map((l) => [l.item, l.usd]));
    expect(usd['API Gateway HTTP API requests']).toBeCloseTo(1, 10);
    expect(usd['Lambda requests (intake + roll-up)']).toBeCloseTo((1_000_000 + 2000) * 0.2e-6, 10);
    expect(usd['Lambda duration, intake']).toBeCloseTo(1_000_000 * 0.006 * 0.5 * 0.00001, 10);
  });
});

describe('billedMs()', () => {
  it('stretches CPU by the memory size’s share of a vCPU and adds a round trip per wave', () => {
    // 10 ms of CPU at 1,769 MB (one vCPU) + 4 waves × 5 ms
    expect(billedMs(10, 1769, 4, 5)).toBe(30);
    // at 512 MB the same CPU takes 1769/512 ≈ 3.46 × as long: 34.55 → 35 ms, + 5
    expect(billedMs(10, 512, 1, 5)).toBe(40);
    // more memory than one vCPU does not make one thread faster
    expect(billedMs(10, 3008, 0, 5)).toBe(10);
    // never less than Lambda's 1 ms
    expect(billedMs(0, 1024, 0, 5)).toBe(1);
  });
});

describe('catalogLoadsPerMillion()', () => {
  it('counts warm containers by Little’s law, each reloading once per TTL', () => {
    // 1,000 single posts/s × 20 ms = 20 containers; a million events take 1,000 s: 20 × 1000/60 loads
    expect(catalogLoadsPerMillion(1000, 1, 20, 60)).toBeCloseTo((20 * 1000) / 60, 10);
    // 10 posts of 100 a second × 40 ms = 0.4 → one container
    expect(catalogLoadsPerMillion(1000, 100, 40, 60)).toBeCloseTo(1000 / 60, 10);
  });
});

describe('the price file', () => {
  it('has a date, a source for every price, and says it was not fetched live', () => {
    const file = readPriceFile(PRICE_FILE);
    expect(file.recordedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(file.fetchedLive).toBe(false);
    for (const p of Object.values(file.prices)) expect(p.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });
});

describe('constants the cost model copies from the code', () => {
  it('match the intake and roll-up concurrency', () => {
    const intake = readFileSync(join(REPO_ROOT, 'functions/intake.ts'), 'utf8');
    const apply = readFileSync(join(REPO_ROOT, 'shared/rollup/apply.ts'), 'utf8');
    expect(intake).toContain(`const PUT_CONCURRENCY = ${INTAKE_PUT_CONCURRENCY};`);
    expect(apply).toContain(`const WRITE_CONCURRENCY = ${ROLLUP_WRITE_CONCURRENCY};`);
  });
});

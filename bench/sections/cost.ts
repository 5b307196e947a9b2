/**
 * Cost per million intake events on AWS at list prices (bench/prices/, dated, with sources), from the
 * figures the other sections measured: request counts (API posts, roll-up invocations and their
 * writes at the modelled peak), item sizes (write units), and handler CPU (Lambda duration). Priced
 * for single-event posts and for posts of 100, beside the same posts with the naive roll-up.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { functions } from '../../infra/topology.js';
import { parseEnv } from '../../shared/config/env.js';
import { placeUnits } from '../../shared/domain/import-plan.js';
import { campaignKey } from '../../shared/store/keys.js';
import {
  billedMs,
  type CostBreakdown,
  catalogLoadsPerMillion,
  costPerMillionEvents,
  type IntakeCostModel,
  readPriceFile,
  summarize,
} from '../lib/cost.js';
import { itemSize, readUnits, writeUnits } from '../lib/dynamo-size.js';
import { nationalModel } from '../lib/national.js';
import { queryCost, unitItem } from '../lib/risk-ports.js';
import { row, type Section } from '../lib/types.js';
import { PEAK_EVENTS_PER_SECOND, PROJECTION_DAYS } from './hotkey.js';

export const PRICE_FILE = join(REPO_ROOT, 'bench', 'prices', 'aws-us-east-1-2026-11.json');
/** Assumed DynamoDB round trip inside the region (AWS: single-digit milliseconds). */
export const DYNAMODB_LATENCY_MS = 5;
/** functions/intake.ts PUT_CONCURRENCY: puts in flight per request. */
export const INTAKE_PUT_CONCURRENCY = 25;
/** shared/rollup/apply.ts WRITE_CONCURRENCY: totals writes in flight per batch. */
export const ROLLUP_WRITE_CONCURRENCY = 16;

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`the cost section needs ${what} (run its section first)`);
  return value;
};

export const cost: Section = {
  name: 'cost',
  title: 'Cost per million intake events on AWS',
  needs: ['cpu', 'hotkey'],
  async run(ctx) {
    const m = ctx.measured;
    const file = readPriceFile(PRICE_FILE);
    const intakeFn = functions.find((f) => f.name === 'Intake');
    const rollupFn = functions.find((f) => f.stream);
    if (!intakeFn || !rollupFn) throw new Error('the topology lacks the Intake or the roll-up function');
    const ttlSeconds = parseEnv({}).CATALOG_CACHE_SECONDS;

    // One catalogue load of the national campaign: the campaign item (consistent GetItem) and the unit Query pages.
    const national = nationalModel(ctx.seed);
    const campaignItem = { ...campaignKey(national.file.campaign.id), ...national.file.campaign };
    const listing = queryCost(
      placeUnits(national.file.units).map((u) => itemSize(unitItem(national.file.campaign.id, u))),
    );
    const catalogLoadRru = readUnits(itemSize(campaignItem), true) + listing.rru;
    m.catalogLoadRru = catalogLoadRru;

    const intakeWruPerEvent = writeUnits(need(m.intakeItemBytes, 'the intake item size'));
    const naiveWritesPerEvent = need(m.naiveWritesPerEvent, 'the naive writes per event');
    const rollupUsPerEvent = need(m.rollupUsPerEvent, 'roll-up CPU');
    // A DAY item's write units on day 90: the projection, or the DynamoDB Local run when it measured more.
    const dayWru = Math.max(need(m.projectedDayItemWru, 'the projection'), m.measuredDayItemWru ?? 0);
    const alternative = need(m.alternative, 'the 2 s window peak');
    const previous = need(m.previousDesign, 'the previous design');

    /** A roll-up design at the peak: records per invocation, writes and write units per invocation. */
    interface Rollup {
      readonly eventsPerBatch: number;
      readonly writesPerBatch: number;
      readonly wruPerBatch: number;
      readonly usPerEvent: number;
    }
    const designs = {
      day1: {
        eventsPerBatch: need(m.peakEventsPerBatch, 'the peak batching'),
        writesPerBatch: need(m.peakWritesPerBatch, 'the peak writes per batch'),
        wruPerBatch: need(m.peakWruPerBatch, 'the peak write units'),
        usPerEvent: rollupUsPerEvent,
      },
      day90: {
        eventsPerBatch: need(m.peakEventsPerBatch, 'the peak batching'),
        writesPerBatch: need(m.peakWritesPerBatch, 'the peak writes per batch'),
        wruPerBatch: need(m.peakWritesPerBatch, 'the peak writes per batch') * dayWru,
        usPerEvent: rollupUsPerEvent,
      },
      window2sDay90: {
        eventsPerBatch: alternative.eventsPerBatch,
        writesPerBatch: alternative.writesPerBatch,
        wruPerBatch: alternative.writesPerBatch * dayWru,
        usPerEvent: rollupUsPerEvent,
      },
      previousDay90: {
        eventsPerBatch: previous.eventsPerBatch,
        writesPerBatch: previous.writesPerBatch,
        wruPerBatch:
          previous.writesPerBatch *
          (previous.totalWriteShare * previous.totalItemWruDay90 +
            (1 - previous.totalWriteShare) * previous.dayItemWruDay90),
        usPerEvent: rollupUsPerEvent,
      },
      naive: {
        eventsPerBatch: need(m.peakEventsPerBatch, 'the peak batching'),
        writesPerBatch: naiveWritesPerEvent * need(m.peakEventsPerBatch, 'the peak batching'),
        wruPerBatch: naiveWritesPerEvent * need(m.peakEventsPerBatch, 'the peak batching'),
        usPerEvent: need(m.naiveRollupUsPerEvent, 'naive roll-up CPU'),
      },
    } satisfies Record<string, Rollup>;

    const intakeBilled = (eventsPerPost: number) => {
      const usPerEvent =
        eventsPerPost === 1
          ? need(m.intakeUsPerEvent1, 'intake CPU')
          : need(m.intakeUsPerEvent100, 'intake CPU');
      return billedMs(
        (usPerEvent * eventsPerPost) / 1000,
        intakeFn.memoryMb,
        Math.ceil(eventsPerPost / INTAKE_PUT_CONCURRENCY),
        DYNAMODB_LATENCY_MS,
      );
    };
    const rollupBilled = (r: Rollup) =>
      billedMs(
        (r.usPerEvent * r.eventsPerBatch) / 1000,
        rollupFn.memoryMb,
        Math.ceil(r.writesPerBatch / ROLLUP_WRITE_CONCURRENCY),
        DYNAMODB_LATENCY_MS,
      );

    const modelFor = (eventsPerPost: number, r: Rollup): IntakeCostModel => {
      const billed = intakeBilled(eventsPerPost);
      const loads = catalogLoadsPerMillion(PEAK_EVENTS_PER_SECOND, eventsPerPost, billed, ttlSeconds);
      return {
        eventsPerPost,
        intakeMemoryMb: intakeFn.memoryMb,
        intakeBilledMsPerPost: billed,
        intakeWruPerEvent,
        catalogRruPerMillion: loads * catalogLoadRru,
        rollupMemoryMb: rollupFn.memoryMb,
        rollupEventsPerInvocation: r.eventsPerBatch,
        rollupBilledMsPerInvocation: rollupBilled(r),
        rollupWruPerEvent: r.wruPerBatch / r.eventsPerBatch,
      };
    };
    const price = (eventsPerPost: number, r: Rollup) => {
      const model = modelFor(eventsPerPost, r);
      return { model, breakdown: costPerMillionEvents(model, file.prices) };
    };
    const single = price(1, designs.day1);
    const singleNaive = price(1, designs.naive);
    const hundred = price(100, designs.day1);
    const hundredNaive = price(100, designs.naive);
    const hundredDay90 = price(100, designs.day90);
    const hundredPrevious = price(100, designs.previousDay90);
    const hundredWindow2s = price(100, designs.window2sDay90);

    const prices = `${file.region} list prices recorded ${file.recordedOn} in bench/prices/ (NOT fetched live: no network here; check the sources)`;
    const perEvent = (r: Rollup) =>
      `${(r.writesPerBatch / r.eventsPerBatch).toFixed(2)} writes and ${(r.wruPerBatch / r.eventsPerBatch).toFixed(2)} WRU per event`;
    const assumptions =
      `at the modelled peak of ${PEAK_EVENTS_PER_SECOND} events/s: roll-up invocations of ${designs.day1.eventsPerBatch} records, ` +
      `${perEvent(designs.day1)}; ` +
      `Lambda duration = measured CPU × ${`1769/memory`} + ${DYNAMODB_LATENCY_MS} ms (assumed) per wave of DynamoDB requests ` +
      `(intake ${intakeBilled(1)} ms per single post, ${intakeBilled(100)} ms per post of 100; roll-up ${rollupBilled(designs.day1)} ms per invocation); ` +
      `intake item ${m.intakeItemBytes} B = ${intakeWruPerEvent} WRU; catalogue reload ${catalogLoadRru.toFixed(0)} RRU per warm container per ${ttlSeconds} s`;
    const line = (b: CostBreakdown) => summarize(b);
    const rows = [
      row(
        'cost.day1.posts1',
        'cost per 1M events, single-event posts',
        single.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        singleNaive.breakdown.totalUsd,
        `${line(single.breakdown)}; ${(single.breakdown.totalUsd / hundred.breakdown.totalUsd).toFixed(1)}× the cost of ` +
          `posts of 100; ${prices}`,
      ),
      row(
        'cost.day1.posts100',
        'cost per 1M events, posts of 100',
        hundred.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        hundredNaive.breakdown.totalUsd,
        `${line(hundred.breakdown)}; naive: ${line(hundredNaive.breakdown)}; ${assumptions}`,
      ),
      row(
        'cost.day90.posts100',
        `cost per 1M events, posts of 100, day ${PROJECTION_DAYS}`,
        hundredDay90.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        hundredNaive.breakdown.totalUsd,
        `every roll-up write at ${dayWru} WRU (the busiest DAY item's size on day ${PROJECTION_DAYS}: hot-key and ` +
          `watermark rows; DAY items do not grow with the campaign's age); target ≤ $2.00; ${line(hundredDay90.breakdown)}`,
      ),
      row(
        'cost.day90.posts100.previousDesign',
        `previous design (TOTAL + DAY, 2 s window), day ${PROJECTION_DAYS}`,
        hundredPrevious.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        hundredNaive.breakdown.totalUsd,
        `PROJECTION as published before this design: ${previous.eventsPerBatch} records per invocation, ` +
          `${perEvent(designs.previousDay90)} (TOTAL items ${previous.totalItemWruDay90} WRU, DAY items ` +
          `${previous.dayItemWruDay90} WRU on day ${PROJECTION_DAYS}); ${line(hundredPrevious.breakdown)}`,
      ),
      row(
        'cost.day90.posts100.window2s',
        `cost per 1M events, posts of 100, day ${PROJECTION_DAYS}, ${alternative.windowSeconds} s window`,
        hundredWindow2s.breakdown.totalUsd,
        'USD',
        `default window (${rollupFn.stream?.maxBatchingWindowSeconds} s, the row above)`,
        hundredDay90.breakdown.totalUsd,
        `the trade: a ${alternative.windowSeconds} s window aggregates ${alternative.eventsPerBatch} records per invocation ` +
          `(${perEvent(designs.window2sDay90)}) but a total shows ~${alternative.windowSeconds} s later at best (e2e rows); ` +
          line(hundredWindow2s.breakdown),
      ),
    ];
    return {
      rows,
      details: {
        priceFile: PRICE_FILE.slice(REPO_ROOT.length + 1),
        region: file.region,
        recordedOn: file.recordedOn,
        fetchedLive: file.fetchedLive,
        assumptions: {
          eventsPerSecond: PEAK_EVENTS_PER_SECOND,
          dynamodbLatencyMs: DYNAMODB_LATENCY_MS,
          intakePutConcurrency: INTAKE_PUT_CONCURRENCY,
          rollupWriteConcurrency: ROLLUP_WRITE_CONCURRENCY,
          catalogTtlSeconds: ttlSeconds,
          catalogLoadRru,
        },
        singleEventPosts: single,
        singleEventPostsNaive: singleNaive,
        posts100: hundred,
        posts100Naive: hundredNaive,
        posts100Day90: hundredDay90,
        posts100PreviousDesignDay90: hundredPrevious,
        posts100Window2sDay90: hundredWindow2s,
      },
    };
  },
};

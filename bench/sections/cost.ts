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
    const eventsPerBatch = need(m.peakEventsPerBatch, 'the peak batching');
    const writesPerBatch = need(m.peakWritesPerBatch, 'the peak writes per batch');
    const wruPerBatch = need(m.peakWruPerBatch, 'the peak write units');
    const naiveWritesPerEvent = need(m.naiveWritesPerEvent, 'the naive writes per event');

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
    const rollupBilled = billedMs(
      (need(m.rollupUsPerEvent, 'roll-up CPU') * eventsPerBatch) / 1000,
      rollupFn.memoryMb,
      Math.ceil(writesPerBatch / ROLLUP_WRITE_CONCURRENCY),
      DYNAMODB_LATENCY_MS,
    );
    const naiveRollupBilled = billedMs(
      (need(m.naiveRollupUsPerEvent, 'naive roll-up CPU') * eventsPerBatch) / 1000,
      rollupFn.memoryMb,
      Math.ceil((naiveWritesPerEvent * eventsPerBatch) / ROLLUP_WRITE_CONCURRENCY),
      DYNAMODB_LATENCY_MS,
    );

    const modelFor = (eventsPerPost: number, rollup: 'ours' | 'naive' | 'day90'): IntakeCostModel => {
      const billed = intakeBilled(eventsPerPost);
      const loads = catalogLoadsPerMillion(PEAK_EVENTS_PER_SECOND, eventsPerPost, billed, ttlSeconds);
      const share = need(m.peakTotalWriteShare, 'the TOTAL write share');
      const day90WruPerBatch =
        writesPerBatch *
        (share * need(m.projectedTotalItemWru, 'the projection') +
          (1 - share) * need(m.projectedDayItemWru, 'the projection'));
      return {
        eventsPerPost,
        intakeMemoryMb: intakeFn.memoryMb,
        intakeBilledMsPerPost: billed,
        intakeWruPerEvent,
        catalogRruPerMillion: loads * catalogLoadRru,
        rollupMemoryMb: rollupFn.memoryMb,
        rollupEventsPerInvocation: eventsPerBatch,
        rollupBilledMsPerInvocation: rollup === 'naive' ? naiveRollupBilled : rollupBilled,
        rollupWruPerEvent:
          rollup === 'naive'
            ? naiveWritesPerEvent
            : (rollup === 'day90' ? day90WruPerBatch : wruPerBatch) / eventsPerBatch,
      };
    };
    const price = (eventsPerPost: number, rollup: 'ours' | 'naive' | 'day90') => {
      const model = modelFor(eventsPerPost, rollup);
      return { model, breakdown: costPerMillionEvents(model, file.prices) };
    };
    const single = price(1, 'ours');
    const singleNaive = price(1, 'naive');
    const hundred = price(100, 'ours');
    const hundredNaive = price(100, 'naive');
    const hundredDay90 = price(100, 'day90');

    const prices = `${file.region} list prices recorded ${file.recordedOn} in bench/prices/ (NOT fetched live: no network here; check the sources)`;
    const assumptions =
      `at the modelled peak of ${PEAK_EVENTS_PER_SECOND} events/s: roll-up invocations of ${eventsPerBatch} records, ` +
      `${(writesPerBatch / eventsPerBatch).toFixed(2)} writes and ${(wruPerBatch / eventsPerBatch).toFixed(2)} WRU per event; ` +
      `Lambda duration = measured CPU × ${`1769/memory`} + ${DYNAMODB_LATENCY_MS} ms (assumed) per wave of DynamoDB requests ` +
      `(intake ${intakeBilled(1)} ms per single post, ${intakeBilled(100)} ms per post of 100; roll-up ${rollupBilled} ms per invocation); ` +
      `intake item ${m.intakeItemBytes} B = ${intakeWruPerEvent} WRU; catalogue reload ${catalogLoadRru.toFixed(0)} RRU per warm container per ${ttlSeconds} s`;
    const line = (b: CostBreakdown) => summarize(b);
    const rows = [
      row(
        'cost',
        'cost per 1M events, single-event posts',
        single.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        singleNaive.breakdown.totalUsd,
        `${line(single.breakdown)}; ${(single.breakdown.totalUsd / hundred.breakdown.totalUsd).toFixed(1)}× the cost of ` +
          `posts of 100; ${prices}`,
      ),
      row(
        'cost',
        'cost per 1M events, posts of 100',
        hundred.breakdown.totalUsd,
        'USD',
        'same posts, naive roll-up',
        hundredNaive.breakdown.totalUsd,
        `${line(hundred.breakdown)}; naive: ${line(hundredNaive.breakdown)}; ${assumptions}`,
      ),
      row(
        'cost',
        `cost per 1M events, posts of 100, day ${PROJECTION_DAYS} (projected)`,
        hundredDay90.breakdown.totalUsd,
        'USD',
        'day 1 (the row above)',
        hundred.breakdown.totalUsd,
        `PROJECTION (see the hot-key rows): TOTAL items carrying the last 30 h of shard watermarks on day ${PROJECTION_DAYS}, ` +
          `${m.projectedTotalItemWru} WRU per TOTAL write, as an upper bound (every TOTAL item written from every shard); ` +
          line(hundredDay90.breakdown),
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
      },
    };
  },
};

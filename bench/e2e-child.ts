/**
 * The local end-to-end benchmark, run by bench/sections/e2e.ts in a process of its own (the local
 * runtime loads the function modules with DynamoDB Local's endpoint in their environment, which must
 * not meet the copies the in-memory sections load). Prints one line `BENCH_E2E_RESULT <json>`.
 *
 * On a fresh DynamoDB Local (temporary directory, any free port), with the scenario campaign:
 * 1. warm-up: 400 events through the API, streams drained (the JVM is slow for its first seconds);
 * 2. baseline: raw conditional PutItems of IntakeEvents-shaped items into a table of the same
 *    definition, 100 in flight (what 4 clients × 25 puts per request put in flight);
 * 3. 4 IntakeClients post their share of the events in batches of 100, concurrently: accepted/s;
 * 4. the streams drain, and the root's total must equal every accepted event;
 * 5. latency: 4 lanes, each posting one event at a time to its own commune and polling its progress
 *    every 100 ms until the new total shows.
 * `--window <s>` runs the roll-up with another batching window than the topology's; `--latency-only`
 * skips steps 2–4 (the cost/latency trade at a second setting).
 */
import './env.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { localPaths, REPO_ROOT } from '../infra/local/paths.js';
import { startLocalSystem } from '../infra/local/runtime.js';
import { ensureTables } from '../infra/local/tables.js';
import { loadOrCreateKeys, mintToken } from '../infra/local/tokens.js';
import { functions, tables } from '../infra/topology.js';
import { IntakeClient, isStored } from '../shared/client/index.js';
import { mulberry32 } from '../shared/domain/generate.js';
import { createDocumentClient, localClientConfig } from '../shared/store/client.js';
import { mapConcurrent } from '../shared/util/concurrency.js';
import { campaignModel, type GeneratedEvent, generateEvents } from './lib/load.js';

export interface E2eResult {
  readonly scenario: string;
  readonly units: number;
  readonly startSeconds: number;
  readonly rawPuts: number;
  readonly rawPutsPerSecond: number;
  readonly rawConcurrency: number;
  readonly clients: number;
  readonly posted: number;
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  readonly postSeconds: number;
  readonly drainSeconds: number;
  readonly rootTotal: number;
  readonly rootExpected: number;
  readonly latencyMs: number[];
  readonly postRttMs: number[];
  readonly windowSeconds: number;
}

const SCENARIO = 'scenarios/hung-yen-2021.json';
const CLIENTS = 4;
const RAW_CONCURRENCY = 100;

async function main() {
  const quick = process.argv.includes('--quick');
  const seedArg = process.argv.indexOf('--seed');
  const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 1;
  const lanes = 4;
  const samplesPerLane = quick ? 2 : 5;
  const windowArg = process.argv.indexOf('--window');
  const streamWindowSeconds = windowArg > 0 ? Number(process.argv[windowArg + 1]) : undefined;
  const latencyOnly = process.argv.includes('--latency-only');
  const events = latencyOnly ? 0 : quick ? 1000 : 4000;

  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'quota-bench-e2e-'));
  const paths = localPaths(dir);
  const system = await startLocalSystem({
    port: 0,
    paths,
    loadDemo: false,
    schedules: false,
    ...(streamWindowSeconds !== undefined && { streamWindowSeconds }),
  });
  // Stopped by the parent (its time limit) or Ctrl-C: still stop DynamoDB Local's java process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void system.stop().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(1);
      });
    });
  }
  try {
    const startSeconds = (Date.now() - started) / 1000;
    const token = await mintToken(await loadOrCreateKeys(paths.keys), {
      sub: 'bench',
      units: ['*'],
      scope: 'admin intake:write progress:read',
      ttlSeconds: 3600,
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const fileText = readFileSync(join(REPO_ROOT, SCENARIO), 'utf8');
    const model = campaignModel(JSON.parse(fileText));
    const campaignId = model.file.campaign.id;
    const root = model.hierarchy.root.id;
    const load = await fetch(`${system.url}/v1/campaigns/${campaignId}`, {
      method: 'PUT',
      headers,
      body: fileText,
    });
    if (load.status !== 201)
      throw new Error(`loading ${SCENARIO} answered ${load.status}: ${await load.text()}`);

    const progressOf = async (unitId: string): Promise<number> => {
      const response = await fetch(`${system.url}/v1/campaigns/${campaignId}/units/${unitId}/progress`, {
        headers,
      });
      if (response.status !== 200) throw new Error(`progress of ${unitId}: ${response.status}`);
      return ((await response.json()) as { total: number }).total;
    };
    const postAll = async (list: readonly GeneratedEvent[]) => {
      const shares = Array.from({ length: CLIENTS }, (_, c) => list.filter((_, i) => i % CLIENTS === c));
      const outcomes = await Promise.all(
        shares.map((share) =>
          new IntakeClient({ baseUrl: system.url, token }).post(share.map((e) => e.input)),
        ),
      );
      return outcomes.flat().filter(isStored).length;
    };
    const generate = (count: number, prefix: string, offset: number) =>
      generateEvents(model, {
        count,
        random: mulberry32(seed + offset),
        idPrefix: prefix,
        day: '2021-03-13',
      });

    // 1. Warm-up.
    const warm = generate(400, 'e2e-warm', 40);
    const warmAccepted = await postAll(warm);
    await system.streams.drain(120_000);

    // 2. Baseline: raw conditional puts, same item shape, same concurrency.
    const rawTable = 'BenchRawPuts';
    const client = new DynamoDBClient(localClientConfig(system.descriptor.dynamoEndpoint));
    await ensureTables(client, [{ def: tables.intakeEvents, name: rawTable }]);
    const db = createDocumentClient(localClientConfig(system.descriptor.dynamoEndpoint));
    const rawItems = generate(events + 200, 'e2e-raw', 41).map((e) => ({
      pk: `${campaignId}#${e.input.eventId}`,
      ...e.input,
      occurredAt: new Date(e.input.occurredAt).toISOString(),
      day: e.rolled.day,
      path: e.rolled.path,
      payloadHash: 'x'.repeat(43),
      receivedAt: new Date().toISOString(),
      sub: 'bench',
      ingestId: '00000000-0000-4000-8000-000000000000',
    }));
    const put = (item: Record<string, unknown>) =>
      db.send(
        new PutCommand({
          TableName: rawTable,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    await mapConcurrent(rawItems.slice(0, 200), RAW_CONCURRENCY, put); // warm-up of the new table
    const rawStart = performance.now();
    await mapConcurrent(rawItems.slice(200), RAW_CONCURRENCY, put);
    const rawSeconds = (performance.now() - rawStart) / 1000;
    client.destroy();
    db.destroy();

    // 3. Throughput through the API.
    const list = generate(events, 'e2e-load', 42);
    const postStart = performance.now();
    const accepted = await postAll(list);
    const postSeconds = (performance.now() - postStart) / 1000;

    // 4. Drain and check.
    const drainStart = performance.now();
    await system.streams.drain(180_000);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const rootTotal = await progressOf(root);
    const rootExpected = warmAccepted + accepted;

    // 5. Latency from POST to the total being visible.
    const latencyMs: number[] = [];
    const postRttMs: number[] = [];
    const random = mulberry32(seed + 43);
    const laneUnits = model.leaves.slice(0, lanes).map((l) => l.id);
    await Promise.all(
      laneUnits.map(async (unitId, lane) => {
        for (let s = 0; s < samplesPerLane; s++) {
          const before = await progressOf(unitId);
          const count = 1 + Math.floor(random() * 3);
          const event = {
            eventId: `e2e-lat-${lane}-${s}-${seed}`,
            campaignId,
            unitId,
            occurredAt: '2021-03-13T10:00:00+07:00',
            count,
            kind: 'new',
          };
          const t0 = performance.now();
          const response = await fetch(`${system.url}/v1/intake-events`, {
            method: 'POST',
            headers,
            body: JSON.stringify(event),
          });
          if (response.status !== 200) throw new Error(`latency post answered ${response.status}`);
          postRttMs.push(performance.now() - t0);
          for (;;) {
            if ((await progressOf(unitId)) >= before + count) break;
            if (performance.now() - t0 > 30_000) throw new Error(`total of ${unitId} not visible after 30 s`);
            await new Promise((r) => setTimeout(r, 100));
          }
          latencyMs.push(performance.now() - t0);
        }
      }),
    );

    const stream = functions.find((f) => f.stream)?.stream;
    const result: E2eResult = {
      scenario: SCENARIO,
      units: model.hierarchy.size,
      startSeconds,
      rawPuts: rawItems.length - 200,
      rawPutsPerSecond: (rawItems.length - 200) / rawSeconds,
      rawConcurrency: RAW_CONCURRENCY,
      clients: CLIENTS,
      posted: list.length,
      accepted,
      acceptedPerSecond: accepted / postSeconds,
      postSeconds,
      drainSeconds,
      rootTotal,
      rootExpected,
      latencyMs,
      postRttMs,
      windowSeconds: streamWindowSeconds ?? stream?.maxBatchingWindowSeconds ?? 0,
    };
    process.stdout.write(`BENCH_E2E_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await system.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

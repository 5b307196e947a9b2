/**
 * The whole system on one machine: DynamoDB Local with data under .local/, the tables of the
 * stack, every function of the topology behind the local gateway, the stream pollers and the
 * scheduler. `npm start` (main.ts) and the end-to-end tests start it through here. Each concern has
 * its module under ./runtime/:
 *
 * - environment.ts: local table names, the state kept under .local/, the functions' environment.
 * - campaigns.ts: the scenario loaded into an empty store, the living demo's campaign file.
 * - functions.ts: the topology's functions loaded and sorted into routes, stream consumers, jobs.
 * - streams.ts: the stream pollers; jobs.ts: the schedules and `POST /local/jobs/{job}`.
 * - server.ts: the gateway on 127.0.0.1 with its verifier and OpenID provider.
 * - living-demo.ts: the demo feed; descriptor.ts: .local/runtime.json, how the CLIs find it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import type { TableKey } from '../../shared/store/tables.js';
import { tables } from '../topology.js';
import { DEMO_CAMPAIGN_ID, type DemoFeed } from './demo.js';
import { startDynamoDbLocal } from './dynamodb.js';
import { type LocalPaths, localPaths } from './paths.js';
import {
  campaignsNote,
  type DemoCampaignFile,
  livingDemoFile,
  loadScenarioWhenEmpty,
} from './runtime/campaigns.js';
import {
  type RuntimeDescriptor,
  readRuntimeDescriptor,
  writeRuntimeDescriptor,
} from './runtime/descriptor.js';
import { clearLocalState, localTableNames, setFunctionEnvironment } from './runtime/environment.js';
import { loadFunctions } from './runtime/functions.js';
import { localJobRoute, startJobSchedules } from './runtime/jobs.js';
import { startLivingDemo } from './runtime/living-demo.js';
import { startLocalServer } from './runtime/server.js';
import { type LocalStreams, startLocalStreams } from './runtime/streams.js';
import type { LocalScheduler } from './scheduler.js';
import { ensureTables } from './tables.js';
import { loadOrCreateKeys } from './tokens.js';
import { startBackgroundWebBuild, webBuildIsStale } from './web.js';

export { DEMO_CAMPAIGN_FILE } from './runtime/campaigns.js';
export { type RuntimeDescriptor, readRuntimeDescriptor } from './runtime/descriptor.js';
export { localTableName } from './runtime/environment.js';
export type { LocalStreams } from './runtime/streams.js';

/** DASHBOARD_URL as the user set it (the runtime sets it to its own URL otherwise). */
const DASHBOARD_URL_AT_START = process.env.DASHBOARD_URL;

export interface LocalSystemOptions {
  /** Gateway port on 127.0.0.1; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** Start with an empty store (deletes .local/dynamodb first). */
  readonly fresh?: boolean;
  readonly schedules?: boolean;
  /** Load the demo campaign when the store has no campaign. Default true. */
  readonly loadDemo?: boolean;
  readonly paths?: LocalPaths;
  readonly log?: (line: string) => void;
  /**
   * The living demo campaign (infra/local/demo.ts): created when absent, its earlier days posted in
   * the background, intake continuing while it runs. Default false (npm start turns it on).
   */
  readonly demo?: boolean;
  /** Serve the dashboard (web/dist) at `/`. Default true. */
  readonly dashboard?: boolean;
  /** Build web/dist in the background when stale (npm start). Default false: tests build it first. */
  readonly buildDashboard?: boolean;
  /** Test hook passed to the gateway (see GatewayOptions.dropResponse). */
  readonly dropResponse?: (routeKey: string) => boolean;
  /** Bench hook: another batching window than the topology's, to show the cost/latency trade. */
  readonly streamWindowSeconds?: number;
}

export interface LocalSystem {
  readonly url: string;
  /** The demo's feed (history, live intake), when the demo runs. */
  readonly demo: DemoFeed | null;
  /** A sign-in link for the demo's province leader, when the demo runs. */
  readonly signInLink: string | null;
  readonly descriptor: RuntimeDescriptor;
  readonly notes: readonly string[];
  readonly streams: LocalStreams;
  stop(): Promise<void>;
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const paths = options.paths ?? localPaths();
  const log = options.log ?? (() => {});
  const running = await readRuntimeDescriptor(paths);
  if (running && running.pid !== process.pid) {
    throw new Error(
      `The local system is already running at ${running.url} (pid ${running.pid}); stop it first`,
    );
  }
  if (options.fresh) await clearLocalState(paths);

  const dynamo = await startDynamoDbLocal({ dbPath: paths.db });
  const cleanups: (() => Promise<void>)[] = [() => dynamo.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };

  try {
    const tableNames = localTableNames();
    setFunctionEnvironment(paths, dynamo.endpoint);

    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    cleanups.push(async () => client.destroy());
    const created = await ensureTables(
      client,
      (Object.keys(tables) as TableKey[]).map((key) => ({ def: tables[key], name: tableNames[key] })),
    );
    const notes: string[] = [];
    if (created.length > 0) notes.push(`created tables ${created.join(', ')}`);

    const store = new DynamoCampaignStore(
      createDocumentClient(localClientConfig(dynamo.endpoint)),
      tableNames.campaign,
    );
    const campaigns =
      options.loadDemo !== false ? await loadScenarioWhenEmpty(store, notes) : await store.listCampaigns();
    const demoFile: DemoCampaignFile | null = options.demo ? await livingDemoFile(store, notes) : null;

    // The dashboard builds in the background when stale, so `ready` never waits for Vite; until it is
    // done the previous build is served (or a 503 saying it is being built).
    const webBuild =
      options.dashboard !== false && options.buildDashboard && (await webBuildIsStale())
        ? startBackgroundWebBuild(log)
        : null;
    cleanups.push(async () => webBuild?.done);

    const { routes, streamFunctions, jobs } = await loadFunctions();
    const streams = await startLocalStreams({
      streamFunctions,
      endpoint: dynamo.endpoint,
      tableNames,
      paths,
      log,
      ...(options.streamWindowSeconds !== undefined && { streamWindowSeconds: options.streamWindowSeconds }),
    });
    cleanups.push(() => streams.pause());

    routes.push(localJobRoute(jobs, store));
    let scheduler: LocalScheduler | undefined;
    if (options.schedules !== false) {
      scheduler = startJobSchedules(jobs, log);
      const started = scheduler;
      cleanups.push(async () => started.stop());
    }

    const keys = await loadOrCreateKeys(paths.keys);
    const server = await startLocalServer({
      routes,
      keys,
      paths,
      dynamoEndpoint: dynamo.endpoint,
      campaignTable: tableNames.campaign,
      port: options.port ?? 3000,
      dashboard: options.dashboard !== false,
      log,
      ...(options.dropResponse && { dropResponse: options.dropResponse }),
    });
    cleanups.push(() => server.close());
    const { url } = server;
    // Alerts link to the dashboard served here, unless DASHBOARD_URL was set before start.
    process.env.DASHBOARD_URL = DASHBOARD_URL_AT_START ?? url;

    const descriptor: RuntimeDescriptor = {
      pid: process.pid,
      url,
      dynamoEndpoint: dynamo.endpoint,
      dynamoPid: dynamo.pid ?? null,
      tables: tableNames,
      startedAt: new Date().toISOString(),
    };
    cleanups.push(await writeRuntimeDescriptor(paths, descriptor));

    const building = webBuild?.pendingNote();
    if (building) notes.push(building);
    notes.push(
      campaignsNote(
        campaigns.map((c) => c.id),
        demoFile ? DEMO_CAMPAIGN_ID : null,
      ),
    );
    for (const r of routes)
      notes.push(`route ${r.method} ${r.path} → ${r.functionName}${r.auth === 'none' ? ' (public)' : ''}`);
    if (!scheduler) notes.push('schedules: off (--no-schedules); run jobs with `npm run job -- <name>`');
    for (const { name, at } of scheduler?.upcoming() ?? []) {
      notes.push(`schedule ${name}: next run ${at.toISOString()}`);
    }
    for (const { fn } of streamFunctions) {
      notes.push(
        `stream ${fn.stream?.table} → ${fn.name} (batch ${fn.stream?.batchSize}, window ${fn.stream?.maxBatchingWindowSeconds} s)`,
      );
    }
    let demo: DemoFeed | null = null;
    let signInLink: string | null = null;
    if (demoFile) {
      const living = await startLivingDemo({
        file: demoFile,
        url,
        paths,
        keys,
        store,
        streams,
        risk: jobs.get('risk'),
        log,
      });
      demo = living.demo;
      signInLink = living.signInLink;
      cleanups.push(() => living.demo.stop());
      notes.push(
        `demo: ${DEMO_CAMPAIGN_ID}, its earlier days load in the background ("demo: history loaded" when done)`,
      );
    }
    return { url, descriptor, notes, streams, stop, demo, signInLink };
  } catch (error) {
    await stop();
    throw error;
  }
}

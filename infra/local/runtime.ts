/**
 * The whole system on one machine: DynamoDB Local with data under .local/, the tables of the
 * stack, every function of the topology behind the local gateway, and (later issues) the stream
 * poller and scheduler. `npm start` (main.ts) and the end-to-end tests start it through here.
 */
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callerFrom, requireScope } from '../../shared/auth/claims.js';
import { importCampaign } from '../../shared/catalog/import.js';
import { parseCampaignText } from '../../shared/catalog/parse.js';
import { HttpProblem, jsonResponse, notFound, problemResponse } from '../../shared/http/problem.js';
import { loadClientSecretKey } from '../../shared/identity/local-directory.js';
import { DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { DynamoIdentityStore } from '../../shared/store/identity-store.js';
import type { TableKey } from '../../shared/store/tables.js';
import { DEFAULT_SCHEDULES } from '../config/schedules.js';
import type { FunctionDeclaration } from '../topology.js';
import { functions, tableEnvironment, tables } from '../topology.js';
import { startDynamoDbLocal } from './dynamodb.js';
import { type BoundRoute, createGateway, type LocalHandler } from './gateway.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './identity/provider.js';
import { type LocalPaths, localPaths, REPO_ROOT } from './paths.js';
import { type LocalScheduler, startScheduler } from './scheduler.js';
import { type StreamPoller, startStreamPoller } from './stream-poller.js';
import { ensureTables } from './tables.js';
import { createVerifier, loadOrCreateKeys, recordIssuer, type TokenVerifier } from './tokens.js';

/** A scheduled function's handler: it takes the schedule's input ({} or { campaignId, asOf, … }). */
type JobHandler = (event: Record<string, unknown>) => Promise<unknown>;

/** Jobs are named after their function: Risk → `risk`. */
const jobName = (fn: FunctionDeclaration) => fn.name.toLowerCase();

/** `POST /local/jobs/{job}` (scope admin): runs a scheduled function now with the body as its input. */
function localJobRoute(jobs: ReadonlyMap<string, { handler: JobHandler }>): BoundRoute {
  return {
    method: 'POST',
    path: '/local/jobs/{job}',
    auth: 'jwt',
    functionName: 'local-jobs',
    handler: async (event) => {
      try {
        requireScope(callerFrom(event), 'admin');
        const name = event.pathParameters?.job ?? '';
        const job = jobs.get(name);
        if (!job) throw notFound(`No job "${name}"; jobs: ${[...jobs.keys()].join(', ') || 'none'}`);
        const input = event.body ? (JSON.parse(event.body) as Record<string, unknown>) : {};
        return jsonResponse(200, { job: name, result: (await job.handler(input)) ?? null });
      } catch (error) {
        if (error instanceof HttpProblem) return problemResponse(error.problem);
        return problemResponse({ status: 500, title: 'Job failed', detail: (error as Error).message });
      }
    },
  };
}

/** A stream-triggered function's handler as the poller calls it (functions/rollup.ts). */
type StreamHandler = Parameters<typeof startStreamPoller>[0]['handler'];

export const DEMO_CAMPAIGN_FILE = join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json');

/** What CLIs read to find the running local system (.local/runtime.json). */
export interface RuntimeDescriptor {
  readonly pid: number;
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** DynamoDB Local's java process, so an operator (or a test) can check nothing is left behind. */
  readonly dynamoPid: number | null;
  readonly tables: Record<TableKey, string>;
  readonly startedAt: string;
}

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
  /** Test hook passed to the gateway (see GatewayOptions.dropResponse). */
  readonly dropResponse?: (routeKey: string) => boolean;
}

export interface LocalStreams {
  /** Waits until every record in the streams has been handled (or set aside). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the stream pollers (checkpoints kept), as if Lambda's mappings were disabled. */
  pause(): Promise<void>;
  /** Starts them again from their checkpoints. */
  resume(): Promise<void>;
}

export interface LocalSystem {
  readonly url: string;
  readonly descriptor: RuntimeDescriptor;
  readonly notes: readonly string[];
  readonly streams: LocalStreams;
  stop(): Promise<void>;
}

/** Local table names are the logical names: the Campaign table is "Campaign". */
export const localTableName = (key: TableKey) => tables[key].logicalName;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readRuntimeDescriptor(
  paths: LocalPaths = localPaths(),
): Promise<RuntimeDescriptor | null> {
  try {
    const descriptor = JSON.parse(await readFile(paths.runtime, 'utf8')) as RuntimeDescriptor;
    return isAlive(descriptor.pid) ? descriptor : null;
  } catch {
    return null;
  }
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
  if (options.fresh) {
    await rm(paths.db, { recursive: true, force: true });
    await rm(paths.streams, { recursive: true, force: true });
  }

  const dynamo = await startDynamoDbLocal({ dbPath: paths.db });
  const cleanups: (() => Promise<void>)[] = [() => dynamo.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };

  try {
    const tableNames = Object.fromEntries(
      (Object.keys(tables) as TableKey[]).map((key) => [key, localTableName(key)]),
    ) as Record<TableKey, string>;

    // The functions read their configuration from the environment, as in Lambda.
    Object.assign(process.env, {
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // CloudWatch EMF lines mean nothing on a laptop.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      // Where the roll-up sets aside poison records: the same file as the stream's on-failure destination.
      ROLLUP_FAILURE_FILE: paths.streamFailures,
      // The SNS stand-in: messages delivered to the registry's recipients are written here.
      LOCAL_ALERTS_FILE: paths.alerts,
      // The local identity provider's directory (one-time passwords, client secrets): the admin routes use it.
      LOCAL_IDENTITY_KEYS_DIR: paths.keys,
    });
    for (const fn of functions) Object.assign(process.env, tableEnvironment(fn, localTableName));

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
    let campaigns = await store.listCampaigns();
    if (campaigns.length === 0 && options.loadDemo !== false) {
      const { file, problems } = parseCampaignText(await readFile(DEMO_CAMPAIGN_FILE, 'utf8'), 'json');
      if (!file)
        throw new Error(`The demo campaign is invalid: ${problems[0]?.message ?? 'unknown problem'}`);
      await importCampaign(store, file);
      notes.push(`loaded the demo campaign ${file.campaign.id} (${file.units.length} units) from scenarios/`);
      campaigns = await store.listCampaigns();
    }

    const routes: BoundRoute[] = [];
    const streamFunctions: { fn: FunctionDeclaration; handler: StreamHandler }[] = [];
    const jobs = new Map<string, { fn: FunctionDeclaration; handler: JobHandler }>();
    for (const fn of functions) {
      const module = (await import(pathToFileURL(join(REPO_ROOT, fn.entry)).href)) as { handler: unknown };
      for (const route of fn.routes) {
        routes.push({ ...route, functionName: fn.name, handler: module.handler as LocalHandler });
      }
      if (fn.stream) streamFunctions.push({ fn, handler: module.handler as StreamHandler });
      if (fn.schedules) jobs.set(jobName(fn), { fn, handler: module.handler as JobHandler });
    }

    // One poller per stream-triggered function, with its mapping's settings (Lambda's rules).
    await mkdir(paths.streams, { recursive: true });
    let pollers: StreamPoller[] = [];
    const startPollers = async () => {
      pollers = await Promise.all(
        streamFunctions.map(({ fn, handler }) => {
          const trigger = fn.stream as NonNullable<FunctionDeclaration['stream']>;
          return startStreamPoller({
            endpoint: dynamo.endpoint,
            tableName: tableNames[trigger.table],
            trigger,
            handler,
            checkpointFile: join(paths.streams, `${fn.name}.checkpoints.json`),
            failureFile: paths.streamFailures,
            log,
          });
        }),
      );
    };
    const stopPollers = async () => {
      const running = pollers;
      pollers = [];
      await Promise.all(running.map((p) => p.stop()));
    };
    await startPollers();
    cleanups.push(stopPollers);
    const streams: LocalStreams = {
      drain: async (timeoutMs) => {
        await Promise.all(pollers.map((p) => p.drain(timeoutMs)));
      },
      pause: stopPollers,
      resume: async () => {
        if (pollers.length === 0) await startPollers();
      },
    };

    // Scheduled functions: the cron rules (as EventBridge Scheduler would fire them), and a
    // local-only admin route that runs one now (`npm run job -- <name>`).
    routes.push(localJobRoute(jobs));
    let scheduler: LocalScheduler | undefined;
    if (options.schedules !== false) {
      scheduler = startScheduler(
        [...jobs].flatMap(([name, { fn, handler }]) =>
          (fn.schedules ?? []).map((rule) => ({
            name: `${name}:${rule}`,
            rule: DEFAULT_SCHEDULES[rule],
            run: async () => {
              await handler({});
            },
          })),
        ),
        { log },
      );
      const running = scheduler;
      cleanups.push(async () => running.stop());
    }

    const keys = await loadOrCreateKeys(paths.keys);
    // The issuer is the base URL, known once the port is bound: until then no token passes.
    let verifier: TokenVerifier = async () => {
      throw new Error('the local system is starting');
    };
    let identity: LocalIdentityProvider | undefined;
    const server = createGateway({
      routes,
      verify: (token) => verifier(token),
      identity: { handle: async (req, res) => (identity ? identity.handle(req, res) : false) },
      onError: (error) => log(`gateway error: ${(error as Error).stack ?? String(error)}`),
      ...(options.dropResponse && { dropResponse: options.dropResponse }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    await recordIssuer(paths.keys, url);
    verifier = await createVerifier(keys, { issuer: url });
    identity = createLocalIdentityProvider({
      issuer: url,
      keys,
      clientSecretKey: await loadClientSecretKey(paths.keys),
      store: new DynamoIdentityStore(
        createDocumentClient(localClientConfig(dynamo.endpoint)),
        tableNames.campaign,
      ),
      log,
    });

    const descriptor: RuntimeDescriptor = {
      pid: process.pid,
      url,
      dynamoEndpoint: dynamo.endpoint,
      dynamoPid: dynamo.pid ?? null,
      tables: tableNames,
      startedAt: new Date().toISOString(),
    };
    await writeFile(paths.runtime, `${JSON.stringify(descriptor, null, 2)}\n`);
    cleanups.push(() => unlink(paths.runtime).catch(() => {}));

    notes.push(`campaigns: ${campaigns.map((c) => c.id).join(', ') || '(none)'}`);
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
    return { url, descriptor, notes, streams, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

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
import type { Context } from 'aws-lambda';
import { type Caller, callerFrom, requireScope } from '../../shared/auth/claims.js';
import { requireGrantIn } from '../../shared/auth/scope.js';
import { importCampaign } from '../../shared/catalog/import.js';
import { parseCampaignText } from '../../shared/catalog/parse.js';
import { addDays, localDate } from '../../shared/domain/calendar.js';
import { grantsCoverCampaign, unitsGrantedIn } from '../../shared/domain/grants.js';
import { buildHierarchy } from '../../shared/domain/hierarchy.js';
import {
  badRequest,
  forbidden,
  HttpProblem,
  jsonResponse,
  notFound,
  problemResponse,
} from '../../shared/http/problem.js';
import { loadClientSecretKey } from '../../shared/identity/local-directory.js';
import { CampaignId } from '../../shared/schemas/campaign.js';
import { type CampaignStore, DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { DynamoIdentityStore } from '../../shared/store/identity-store.js';
import type { TableKey } from '../../shared/store/tables.js';
import { DEFAULT_SCHEDULES } from '../config/schedules.js';
import type { FunctionDeclaration } from '../topology.js';
import { functions, tableEnvironment, tables } from '../topology.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_SOURCE_FILE,
  DEMO_TODAY_INDEX,
  type DemoFeed,
  demoCampaignFile,
  startDemoFeed,
} from './demo.js';
import { startDynamoDbLocal } from './dynamodb.js';
import { type BoundRoute, createGateway, type LocalHandler } from './gateway.js';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './identity/provider.js';
import { invokedLocally } from './lambda-context.js';
import { type LocalPaths, localPaths, REPO_ROOT } from './paths.js';
import { type LocalScheduler, startScheduler } from './scheduler.js';
import { type StreamPoller, startStreamPoller } from './stream-poller.js';
import { ensureTables } from './tables.js';
import { createVerifier, loadOrCreateKeys, mintToken, recordIssuer, type TokenVerifier } from './tokens.js';
import { ensureWebBuild, staticAnswer, webBuildIsStale } from './web.js';

/** A scheduled function's handler: it takes the schedule's input ({} or { campaignId, asOf, … }). */
type JobHandler = (event: Record<string, unknown>) => Promise<unknown>;

/** Jobs are named after their function: Risk → `risk`. */
const jobName = (fn: FunctionDeclaration) => fn.name.toLowerCase();

/**
 * Who may run a job by hand: a job for one campaign (`{ campaignId }`) needs a grant covering that
 * campaign's stored root; a job for every campaign (no campaignId) needs `*`.
 */
async function requireJobAuthority(
  caller: Caller,
  input: Record<string, unknown>,
  store: Pick<CampaignStore, 'listUnits'>,
): Promise<void> {
  const { campaignId } = input;
  if (campaignId === undefined) {
    if (!caller.grants.some((g) => g.kind === 'all')) {
      throw forbidden('A job over every campaign needs the grant "*"; give a campaignId');
    }
    return;
  }
  if (typeof campaignId !== 'string' || !CampaignId.safeParse(campaignId).success) {
    throw badRequest('campaignId is not a campaign id', [
      { path: 'campaignId', message: 'is not a campaign id' },
    ]);
  }
  requireGrantIn(campaignId, caller);
  const units = await store.listUnits(campaignId);
  if (units.length === 0) {
    if (unitsGrantedIn(caller.grants, campaignId) === 'all') throw notFound(`No campaign "${campaignId}"`);
    throw forbidden(`A job for campaign ${campaignId} needs a grant covering its root unit`);
  }
  if (!grantsCoverCampaign(caller.grants, campaignId, buildHierarchy(units))) {
    throw forbidden(`A job for campaign ${campaignId} needs a grant covering its root unit`);
  }
}

/** The job's input: the body as a JSON object ({} without a body); 400 otherwise. */
function jobInput(body: string | undefined): Record<string, unknown> {
  if (!body) return {};
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    throw badRequest('The body is not valid JSON');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw badRequest('The body must be a JSON object');
  }
  return input as Record<string, unknown>;
}

/** DASHBOARD_URL as the user set it (the runtime sets it to its own URL otherwise). */
const DASHBOARD_URL_AT_START = process.env.DASHBOARD_URL;

/** `POST /local/jobs/{job}` (scope admin): runs a scheduled function now with the body as its input. */
function localJobRoute(
  jobs: ReadonlyMap<string, { handler: JobHandler }>,
  store: Pick<CampaignStore, 'listUnits'>,
): BoundRoute {
  return {
    method: 'POST',
    path: '/local/jobs/{job}',
    auth: 'jwt',
    scopes: ['admin'],
    functionName: 'local-jobs',
    handler: async (event) => {
      try {
        const caller = callerFrom(event);
        requireScope(caller, 'admin');
        const name = event.pathParameters?.job ?? '';
        const job = jobs.get(name);
        if (!job)
          throw notFound(`No job "${name.slice(0, 64)}"; jobs: ${[...jobs.keys()].join(', ') || 'none'}`);
        const input = jobInput(event.body);
        await requireJobAuthority(caller, input, store);
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
  /** The demo's feed (history, live intake), when the demo runs. */
  readonly demo: DemoFeed | null;
  /** A sign-in link for the demo's province leader, when the demo runs. */
  readonly signInLink: string | null;
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
    // Everything the local system keeps, except its signing key (tokens handed out stay valid).
    await rm(paths.db, { recursive: true, force: true });
    await rm(paths.streams, { recursive: true, force: true });
    await rm(paths.alerts, { force: true });
    await rm(paths.streamFailures, { force: true });
    await rm(join(paths.dir, 'demo.json'), { force: true });
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

    // The living demo: a campaign like any other, with its own id and dates around today.
    let demoFile: Awaited<ReturnType<typeof demoCampaignFile>> | null = null;
    if (options.demo) {
      const parsed = parseCampaignText(await readFile(DEMO_SOURCE_FILE, 'utf8'), 'json');
      if (!parsed.file) throw new Error('The demo scenario is invalid');
      const stored = await store.getCampaign(DEMO_CAMPAIGN_ID);
      const today = localDate(new Date(), parsed.file.campaign.timeZone);
      // Kept across restarts with the dates it was made with (a restart days later is then further in).
      demoFile = demoCampaignFile(parsed.file, stored ? addDays(stored.startDate, DEMO_TODAY_INDEX) : today);
      if (!stored)
        notes.push(`demo: creating ${DEMO_CAMPAIGN_ID} (today is its day ${DEMO_TODAY_INDEX + 1})`);
    }

    // The dashboard builds in the background when stale, so `ready` never waits for Vite; until it is
    // done the previous build is served (or a 503 saying it is being built).
    let webBuild: Promise<void> = Promise.resolve();
    if (options.dashboard !== false && options.buildDashboard && (await webBuildIsStale())) {
      notes.push('dashboard: web/dist is older than web/src, building it in the background');
      webBuild = ensureWebBuild().then(
        (note) => log(note),
        (error: unknown) =>
          log(
            `dashboard: the build failed (${(error as Error).message.split('\n')[0]}); the API works without it`,
          ),
      );
    }
    cleanups.push(() => webBuild);

    const routes: BoundRoute[] = [];
    const streamFunctions: { fn: FunctionDeclaration; handler: StreamHandler }[] = [];
    const jobs = new Map<string, { fn: FunctionDeclaration; handler: JobHandler }>();
    for (const fn of functions) {
      const module = (await import(pathToFileURL(join(REPO_ROOT, fn.entry)).href)) as {
        handler: (event: unknown, context: Context) => Promise<unknown>;
      };
      // Each invocation gets a Lambda context, as in AWS: its log lines carry it.
      const handler = invokedLocally(fn, module.handler);
      for (const route of fn.routes) {
        routes.push({ ...route, functionName: fn.name, handler: handler as LocalHandler });
      }
      if (fn.stream) streamFunctions.push({ fn, handler: handler as StreamHandler });
      if (fn.schedules) jobs.set(jobName(fn), { fn, handler: handler as JobHandler });
    }

    // One poller per stream-triggered function, with its mapping's settings (Lambda's rules).
    await mkdir(paths.streams, { recursive: true });
    let pollers: StreamPoller[] = [];
    const startPollers = async () => {
      pollers = await Promise.all(
        streamFunctions.map(({ fn, handler }) => {
          const declared = fn.stream as NonNullable<FunctionDeclaration['stream']>;
          const trigger =
            options.streamWindowSeconds === undefined
              ? declared
              : { ...declared, maxBatchingWindowSeconds: options.streamWindowSeconds };
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
    routes.push(localJobRoute(jobs, store));
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
    let url = '';
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
      ...(options.dashboard !== false && {
        staticFiles: (pathname: string) => staticAnswer(pathname, () => ({ apiUrl: url }), url),
      }),
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
    url = `http://127.0.0.1:${port}`;
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
    let demo: DemoFeed | null = null;
    let signInLink: string | null = null;
    if (demoFile) {
      const risk = jobs.get('risk');
      const file = demoFile;
      demo = startDemoFeed(file, {
        url,
        dir: paths.dir,
        token: await mintToken(keys, {
          sub: 'demo-feed',
          units: [`${DEMO_CAMPAIGN_ID}:*`],
          scope: 'intake:write progress:read admin',
          ttlSeconds: 30 * 24 * 3600,
        }),
        drain: () => streams.drain(120_000),
        // Created in the background too, so that `ready` never waits for it.
        ensureCampaign: async () => {
          if (!(await store.getCampaign(DEMO_CAMPAIGN_ID))) await importCampaign(store, file);
        },
        risk: async (asOf) => {
          await risk?.handler({ campaignId: file.campaign.id, asOf });
        },
        log,
      });
      const running = demo;
      cleanups.push(() => running.stop());
      const root = file.units.find((u) => u.parentId === null)?.id ?? '';
      signInLink = `${url}/#token=${await mintToken(keys, {
        sub: `demo-leader-${root}`,
        units: [`${DEMO_CAMPAIGN_ID}:${root}`],
        scope: 'progress:read',
        ttlSeconds: 12 * 3600,
      })}`;
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

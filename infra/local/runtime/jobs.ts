/**
 * Scheduled functions: the cron rules (as EventBridge Scheduler would fire them), and a local-only
 * admin route that runs one now (`npm run job -- <name>`, `POST /local/jobs/{job}`).
 */
import { type Caller, callerFrom, requireScope } from '../../../shared/auth/claims.js';
import { requireGrantIn } from '../../../shared/auth/scope.js';
import { grantsCoverCampaign, unitsGrantedIn } from '../../../shared/domain/grants.js';
import { buildHierarchy } from '../../../shared/domain/hierarchy.js';
import {
  badRequest,
  forbidden,
  HttpProblem,
  jsonResponse,
  notFound,
  problemResponse,
} from '../../../shared/http/problem.js';
import { CampaignId } from '../../../shared/schemas/campaign.js';
import type { CampaignStore } from '../../../shared/store/campaign-store.js';
import { DEFAULT_SCHEDULES } from '../../config/schedules.js';
import type { BoundRoute } from '../gateway.js';
import { type LocalScheduler, startScheduler } from '../scheduler.js';
import type { JobFunction, JobHandler } from './functions.js';

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

/** `POST /local/jobs/{job}` (scope admin): runs a scheduled function now with the body as its input. */
export function localJobRoute(
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

/** Starts the cron rules of every scheduled function. */
export function startJobSchedules(
  jobs: ReadonlyMap<string, JobFunction>,
  log: (line: string) => void,
): LocalScheduler {
  return startScheduler(
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
}

/**
 * Silences over HTTP (scope admin; the silenced unit must be inside the caller's `units`, or `*`).
 * A silence mutes a unit and its whole subtree until a time, with a reason (docs/ARCHITECTURE.md §4); the risk
 * job reads the active ones at each evaluation. One function, chosen by `event.routeKey`:
 *
 * - POST   /v1/campaigns/{campaignId}/silences              { unitId, until, reason } → 201 the silence
 * - GET    /v1/campaigns/{campaignId}/silences              → 200 { silences } (active, in scope)
 * - DELETE /v1/campaigns/{campaignId}/silences/{silenceId}  → 204
 */

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignAdminRouter, recordInScope, unitInScope, withinGrants } from '../shared/auth/scope.js';
import { MAX_RECORD_BODY_BYTES, parseBody } from '../shared/http/body.js';
import type { HttpHandler } from '../shared/http/handler.js';
import { noQueryParameters, pathParameter } from '../shared/http/params.js';
import { jsonResponse } from '../shared/http/problem.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { createLogger } from '../shared/observability/logger.js';
import { type CampaignRecordsHandlerDeps, campaignRecordsDeps } from '../shared/services/campaign-view.js';
import { SilenceService } from '../shared/services/silences.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoSilenceStore, type SilenceStore } from '../shared/store/silence-store.js';

export const ROUTES = {
  create: 'POST /v1/campaigns/{campaignId}/silences',
  list: 'GET /v1/campaigns/{campaignId}/silences',
  remove: 'DELETE /v1/campaigns/{campaignId}/silences/{silenceId}',
} as const;

export interface SilencesDeps extends CampaignRecordsHandlerDeps {
  readonly silences: SilenceStore;
}

const logger = createLogger('silences');

/** The body's schema is loaded by the route that reads it (the others need no zod). */
const parseInput = async (event: APIGatewayProxyEventV2) =>
  parseBody(event, (await import('../shared/schemas/recipients.js')).SilenceInput, {
    maxBytes: MAX_RECORD_BODY_BYTES,
    invalid: 'The silence is not valid',
  });

export function makeHandler(deps: SilencesDeps): HttpHandler {
  const service = new SilenceService({ ...campaignRecordsDeps(deps), store: deps.silences });

  return campaignAdminRouter(logger, ROUTES, {
    create: async (event, { caller, campaignId }) => {
      const input = await parseInput(event);
      await unitInScope(service, campaignId, input.unitId, caller);
      const silence = await orProblem(service.add(campaignId, input, caller.sub));
      logger.info('silence added', {
        campaignId,
        silenceId: silence.id,
        unitId: silence.unitId,
        sub: caller.sub,
      });
      return jsonResponse(201, silence);
    },
    list: async (event, { caller, campaignId }) => {
      noQueryParameters(event); // the list takes none
      const view = await orProblem(service.view(campaignId));
      const active = await orProblem(service.listActive(campaignId));
      return jsonResponse(200, { silences: withinGrants(active, view.hierarchy, campaignId, caller) });
    },
    remove: async (event, { caller, campaignId }) => {
      const silenceId = pathParameter(event, 'silenceId');
      await recordInScope(service, 'silence', campaignId, silenceId, caller);
      await orProblem(service.remove(campaignId, silenceId));
      logger.info('silence removed', { campaignId, silenceId, sub: caller.sub });
      return { statusCode: 204 };
    },
  });
}

const { env, db, table } = await campaignTableFromEnv();
export const handler = makeHandler({
  silences: new DynamoSilenceStore(db, table),
  campaigns: new DynamoCampaignStore(db, table),
  catalogTtlMs: env.CATALOG_CACHE_SECONDS * 1000,
});

/**
 * The leaders' registry over HTTP (scope admin; the recipient's unit must be inside the caller's
 * `units`, a unit granting its subtree, or `*`). One function, chosen by `event.routeKey`:
 *
 * - POST   /v1/campaigns/{campaignId}/recipients                → 201 the recipient (with its id)
 * - GET    /v1/campaigns/{campaignId}/recipients[?unitId=]      → 200 { recipients } (those in scope)
 * - PUT    /v1/campaigns/{campaignId}/recipients/{recipientId}  → 200 the recipient, replaced
 * - DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}  → 204
 *
 * Each channel of a recipient is an SNS subscription on the alerts topic (ALERTS_TOPIC_ARN) with a
 * filter policy; without that variable (local mode) no subscription is made, and the local SNS
 * stand-in reads the registry itself.
 */

import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  localSubscriptions,
  SnsSubscriptions,
  type SubscriptionManager,
} from '../shared/alerts/subscriptions.js';
import {
  campaignAdminRouter,
  recordInScope,
  requireUnitInScope,
  unitInScope,
  withinGrants,
} from '../shared/auth/scope.js';
import { awsOrLocal, loadEnv } from '../shared/config/env-rules.js';
import { MAX_RECORD_BODY_BYTES, parseBody } from '../shared/http/body.js';
import type { HttpHandler } from '../shared/http/handler.js';
import { optionalQueryParameters, pathParameter } from '../shared/http/params.js';
import { jsonResponse, notFound } from '../shared/http/problem.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { createLogger } from '../shared/observability/logger.js';
import { type CampaignRecordsHandlerDeps, campaignRecordsDeps } from '../shared/services/campaign-view.js';
import { RecipientRegistry } from '../shared/services/recipients.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoRecipientStore, type RecipientStore } from '../shared/store/recipient-store.js';

export const ROUTES = {
  create: 'POST /v1/campaigns/{campaignId}/recipients',
  list: 'GET /v1/campaigns/{campaignId}/recipients',
  replace: 'PUT /v1/campaigns/{campaignId}/recipients/{recipientId}',
  remove: 'DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}',
} as const;

export interface RecipientsDeps extends CampaignRecordsHandlerDeps {
  readonly recipients: RecipientStore;
  readonly subscriptions: SubscriptionManager;
}

const logger = createLogger('recipients');

/** The schemas are loaded by the routes that read a body or a query (the others need no zod). */
const schemas = () => import('../shared/schemas/recipients.js');

const parseInput = async (event: APIGatewayProxyEventV2) =>
  parseBody(event, (await schemas()).RecipientInput, {
    maxBytes: MAX_RECORD_BODY_BYTES,
    invalid: 'The recipient is not valid',
  });

export function makeHandler(deps: RecipientsDeps): HttpHandler {
  const registry = new RecipientRegistry({
    ...campaignRecordsDeps(deps),
    store: deps.recipients,
    subscriptions: deps.subscriptions,
  });

  const respond = (status: number, recipient: object, notes: readonly string[]) =>
    jsonResponse(status, notes.length > 0 ? { ...recipient, notes } : recipient);

  return campaignAdminRouter(logger, ROUTES, {
    create: async (event, { caller, campaignId }) => {
      const input = await parseInput(event);
      await unitInScope(registry, campaignId, input.unitId, caller);
      await orProblem(registry.requireUnit(campaignId, input.unitId));
      const { recipient, notes } = await orProblem(registry.add(campaignId, input, caller.sub));
      logger.info('recipient added', {
        campaignId,
        recipientId: recipient.id,
        unitId: recipient.unitId,
        sub: caller.sub,
      });
      return respond(201, recipient, notes);
    },
    list: async (event, { caller, campaignId }) => {
      const { unitId } = await optionalQueryParameters(
        event,
        async () => (await schemas()).RecipientListQuery,
      );
      const view = await orProblem(registry.view(campaignId));
      if (unitId !== undefined) {
        requireUnitInScope(view.hierarchy, campaignId, unitId, caller);
        if (!view.hierarchy.has(unitId)) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);
      }
      const all = await orProblem(registry.list(campaignId, unitId));
      return jsonResponse(200, { recipients: withinGrants(all, view.hierarchy, campaignId, caller) });
    },
    replace: async (event, { caller, campaignId }) => {
      const recipientId = pathParameter(event, 'recipientId');
      const input = await parseInput(event);
      const { record, view } = await recordInScope(registry, 'recipient', campaignId, recipientId, caller);
      requireUnitInScope(view.hierarchy, campaignId, input.unitId, caller);
      await orProblem(registry.requireUnit(campaignId, input.unitId));
      // Replaced only while it is still the version checked (409 if another admin changed it since).
      const { recipient, notes } = await orProblem(registry.update(campaignId, recipientId, input, record));
      logger.info('recipient updated', {
        campaignId,
        recipientId,
        unitId: recipient.unitId,
        sub: caller.sub,
      });
      return respond(200, recipient, notes);
    },
    remove: async (event, { caller, campaignId }) => {
      const recipientId = pathParameter(event, 'recipientId');
      const { record } = await recordInScope(registry, 'recipient', campaignId, recipientId, caller);
      const { notes } = await orProblem(registry.remove(campaignId, recipientId, record));
      logger.info('recipient removed', { campaignId, recipientId, sub: caller.sub, notes });
      return { statusCode: 204 };
    },
  });
}

/** SNS subscriptions when ALERTS_TOPIC_ARN is set; none locally. A Lambda without the topic fails to start. */
export async function subscriptionsFromEnv(
  raw: Readonly<Record<string, unknown>>,
): Promise<SubscriptionManager> {
  const { aws: topicArn } = awsOrLocal(await loadEnv(raw), 'ALERTS_TOPIC_ARN');
  if (topicArn) return new SnsSubscriptions(new SNSClient({ maxAttempts: 5 }), topicArn);
  return localSubscriptions;
}

const { env, db, table } = await campaignTableFromEnv();
export const handler = makeHandler({
  recipients: new DynamoRecipientStore(db, table),
  campaigns: new DynamoCampaignStore(db, table),
  subscriptions: await subscriptionsFromEnv(env),
  catalogTtlMs: env.CATALOG_CACHE_SECONDS * 1000,
});

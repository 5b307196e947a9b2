/**
 * Acknowledgements and the unit alerts feed (scope progress:read; the unit must be inside the
 * caller's `units`). One function, chosen by `event.routeKey`:
 *
 * - POST   /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements        { note?, until? } → 201
 *   pauses the repeats of the unit and its sub-targets, for all its leaders, until the level worsens
 *   or `until` (default 3 days, at most 30) passes; escalation still happens.
 * - DELETE /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements/{id}   → 200 (its author or an admin)
 * - GET    /v1/campaigns/{campaignId}/units/{unitId}/alerts?from=&to=        → 200 { alerts }
 *   (local days, inclusive; default the last 30 days; at most 92).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Caller, callerFrom, requireScope } from '../shared/auth/claims.js';
import { requireGrantIn, unitInScope } from '../shared/auth/scope.js';
import { resolveAlertSettings } from '../shared/domain/alert-settings.js';
import { buildAlertsFeed } from '../shared/domain/alerts-feed.js';
import { addDays, daysBetween, localDate, zonedInstant } from '../shared/domain/calendar.js';
import { grantsCoverUnit } from '../shared/domain/grants.js';
import type { CatalogView } from '../shared/domain/intake.js';
import { parseBody } from '../shared/http/body.js';
import { type HttpHandler, httpRouter } from '../shared/http/handler.js';
import { optionalQueryParameters, pathParameter } from '../shared/http/params.js';
import { badRequest, forbidden, jsonResponse, notFound } from '../shared/http/problem.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { createLogger } from '../shared/observability/logger.js';
import { FEED_DEFAULT_DAYS, FEED_MAX_DAYS } from '../shared/schemas/values.js';
import { type CampaignRecordsHandlerDeps, campaignRecordsDeps } from '../shared/services/campaign-view.js';
import {
  AcknowledgementService,
  type AcknowledgementStore,
  DynamoAcknowledgementStore,
} from '../shared/store/acknowledgement-store.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoOutbox, type SentEntry, type SmsBudget } from '../shared/store/outbox-store.js';
import { DynamoRecipientStore, type RecipientStore } from '../shared/store/recipient-store.js';
import { DynamoSilenceStore, type SilenceStore } from '../shared/store/silence-store.js';

export const ROUTES = {
  acknowledge: 'POST /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements',
  withdraw: 'DELETE /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements/{acknowledgementId}',
  feed: 'GET /v1/campaigns/{campaignId}/units/{unitId}/alerts',
} as const;

export const MAX_ACK_BODY_BYTES = 4 * 1024;

export interface AlertsDeps extends CampaignRecordsHandlerDeps {
  readonly acknowledgements: AcknowledgementStore;
  readonly outbox: {
    forScope(campaignId: string, unitId: string, from: string, to: string): Promise<SentEntry[]>;
  };
  readonly smsBudget: Pick<SmsBudget, 'get'>;
  readonly recipients: Pick<RecipientStore, 'listByUnit'>;
  readonly silences: Pick<SilenceStore, 'listActive'>;
}

const logger = createLogger('alerts');

const isAdmin = (caller: Caller) => caller.scopes.has('admin');

/** The schemas are loaded by the routes that read a body or a query (the others need no zod). */
const schemas = () => import('../shared/schemas/alerts.js');

/** The feed's range as instants: [from 00:00, the day after `to` 00:00) local. */
async function feedRange(event: APIGatewayProxyEventV2, timeZone: string, now: Date) {
  const query = await optionalQueryParameters(event, async () => (await schemas()).AlertsFeedQuery);
  const to = query.to ?? localDate(now, timeZone);
  const from = query.from ?? addDays(to, -(FEED_DEFAULT_DAYS - 1));
  if (from > to) throw badRequest('from is after to', [{ path: 'from', message: `must not be after ${to}` }]);
  if (daysBetween(from, to) + 1 > FEED_MAX_DAYS) {
    throw badRequest(`The range is longer than ${FEED_MAX_DAYS} days`, [
      { path: 'from', message: `must be at most ${FEED_MAX_DAYS} days before to` },
    ]);
  }
  return {
    from: zonedInstant(from, '00:00', timeZone).toISOString(),
    to: zonedInstant(addDays(to, 1), '00:00', timeZone).toISOString(),
    months: [
      ...new Set([
        from.slice(0, 7),
        to.slice(0, 7),
        addDays(from, 31).slice(0, 7),
        addDays(from, 62).slice(0, 7),
      ]),
    ]
      .filter((m) => m <= to.slice(0, 7))
      .sort(),
  };
}

/** What every alerts route starts from: the caller, and the unit it may see. */
interface UnitContext {
  readonly caller: Caller;
  readonly campaignId: string;
  readonly unitId: string;
  readonly view: CatalogView;
}

export function makeHandler(deps: AlertsDeps): HttpHandler {
  const clock = deps.clock ?? (() => new Date());
  const service = new AcknowledgementService({
    ...campaignRecordsDeps(deps),
    store: deps.acknowledgements,
    clock,
  });

  return httpRouter(logger, {
    routes: ROUTES,
    before: async (event): Promise<UnitContext> => {
      const caller = callerFrom(event);
      requireScope(caller, 'progress:read');
      const campaignId = pathParameter(event, 'campaignId');
      const unitId = pathParameter(event, 'unitId');
      requireGrantIn(campaignId, caller);
      // Scope before existence: an unknown unit is told only to a grant of the whole campaign.
      const view = await unitInScope(service, campaignId, unitId, caller);
      if (!view.hierarchy.has(unitId)) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);

      return { caller, campaignId, unitId, view };
    },
    handlers: {
      acknowledge: async (event, { caller, campaignId, unitId }) => {
        const input = parseBody(event, (await schemas()).AcknowledgementInput, {
          maxBytes: MAX_ACK_BODY_BYTES,
          invalid: 'The acknowledgement is not valid',
        });
        const ack = await orProblem(service.add(campaignId, unitId, input, caller.sub));
        logger.info('acknowledged', { campaignId, unitId, acknowledgementId: ack.id, sub: caller.sub });
        return jsonResponse(201, ack);
      },
      withdraw: async (event, { caller, campaignId, unitId }) => {
        const id = pathParameter(event, 'acknowledgementId');
        const ack = await service.get(campaignId, id);
        if (!ack || ack.unitId !== unitId) throw notFound(`No acknowledgement ${id} of unit ${unitId}`);
        if (ack.createdBy !== caller.sub && !isAdmin(caller)) {
          throw forbidden('Only its author or an administrator may withdraw an acknowledgement');
        }
        const withdrawn = await orProblem(service.withdraw(campaignId, id, caller.sub));
        logger.info('acknowledgement withdrawn', {
          campaignId,
          unitId,
          acknowledgementId: id,
          sub: caller.sub,
        });
        return jsonResponse(200, withdrawn);
      },
      feed: async (event, { caller, campaignId, unitId, view }) => {
        const range = await feedRange(event, view.campaign.timeZone, clock());
        const parentId = view.hierarchy.get(unitId)?.parentId ?? null;
        const scopes = parentId === null ? [unitId] : [unitId, parentId];
        const lineage = new Set(view.hierarchy.pathOf(unitId));
        const cap = resolveAlertSettings(view.campaign.alerts).smsMonthlyCap;
        const [entries, recipients, acknowledgements, silences, budget] = await Promise.all([
          Promise.all(scopes.map((s) => deps.outbox.forScope(campaignId, s, range.from, range.to))),
          Promise.all(scopes.map((s) => deps.recipients.listByUnit(campaignId, s))),
          service.ofUnit(campaignId, unitId, new Date(range.from)),
          deps.silences.listActive(campaignId, new Date(range.from)),
          Promise.all(
            range.months.map(async (month) => ({
              month,
              cap,
              ...(await deps.smsBudget.get(campaignId, month)),
            })),
          ),
        ]);
        const alerts = buildAlertsFeed({
          unitId,
          from: range.from,
          to: range.to,
          entries: entries.flat(),
          recipients: recipients.flat(),
          acknowledgements,
          silences: silences.filter((s) => lineage.has(s.unitId)),
          budget,
          admin: isAdmin(caller),
          parentVisible:
            parentId !== null && grantsCoverUnit(caller.grants, campaignId, parentId, view.hierarchy),
        });
        return jsonResponse(200, { alerts });
      },
    },
  });
}

const { env, db, table } = await campaignTableFromEnv();
const outbox = new DynamoOutbox(db, table);
export const handler = makeHandler({
  acknowledgements: new DynamoAcknowledgementStore(db, table),
  campaigns: new DynamoCampaignStore(db, table),
  outbox,
  smsBudget: outbox,
  recipients: new DynamoRecipientStore(db, table),
  silences: new DynamoSilenceStore(db, table),
  catalogTtlMs: env.CATALOG_CACHE_SECONDS * 1000,
});

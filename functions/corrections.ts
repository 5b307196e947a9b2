/**
 * GET /v1/campaigns/{campaignId}/units/{unitId}/corrections (scope progress:read; the unit inside the
 * caller's units): who corrected which event of the unit or a unit below it, when and why, received
 * from `from` through `to` (local days of receivedAt, bounded like the daily series), oldest first.
 *
 * Reads: one Query page (or a few) of IntakeEvents' sparse correctionsByCampaign index (only
 * corrections are in it) from the first instant of `from` to the last of `to`, filtered to the
 * unit's subtree (`unitId` or `path`), at most MAX_CORRECTIONS_PER_PAGE with a `next` cursor; then
 * one BatchGetItem of the corrected events' state items for each correction's admitted `from`.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerFrom, requireScope } from '../shared/auth/claims.js';
import { requireGrantIn, requireUnitInScope } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { loadEnv, requireVar } from '../shared/config/env-rules.js';
import { addDays, localDate, startOfLocalDay } from '../shared/domain/calendar.js';
import type { CorrectionState } from '../shared/domain/corrections.js';
import { grantsCoverCampaign } from '../shared/domain/grants.js';
import { type HttpHandler, httpHandler } from '../shared/http/handler.js';
import { dateRange, pathParameter, plainQueryParameters } from '../shared/http/params.js';
import { badRequest, jsonResponse, notFound } from '../shared/http/problem.js';
import { createLogger } from '../shared/observability/logger.js';
import type {
  CorrectionEntry,
  CorrectionsQuery,
  CorrectionsResponse,
} from '../shared/schemas/corrections.js';
import { MAX_CORRECTIONS_PER_PAGE } from '../shared/schemas/values.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { documentClientFor } from '../shared/store/client.js';
import { DynamoCorrectionStore } from '../shared/store/correction-store.js';

export interface CorrectionsSource {
  listCorrections(
    campaignId: string,
    unitId: string,
    range: { fromInstant: string; toInstant: string },
    limit: number,
    cursor?: Record<string, string>,
  ): Promise<{ items: Record<string, unknown>[]; next: Record<string, string> | null }>;
  getStates(
    campaignId: string,
    originals: readonly { unitId: string; originalId: string }[],
  ): Promise<Map<string, CorrectionState>>;
}

export interface CorrectionsDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly corrections: CorrectionsSource;
  readonly clock?: () => Date;
}

const logger = createLogger('corrections');

/**
 * The query string read by plain rules (shared/http/params.ts `plainQueryParameters`): the schema,
 * and zod with it, loads only for a query the rules refuse, to say why (bench: coldstart).
 */
const correctionsQuery = (event: APIGatewayProxyEventV2): Promise<CorrectionsQuery> =>
  plainQueryParameters(
    event,
    { from: 'date', to: 'date', cursor: 'cursor' },
    async () => (await import('../shared/schemas/corrections.js')).CorrectionsQuery,
  );

const encodeCursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * The index position a cursor names, else 400: string attributes only, an event of this campaign,
 * received within the days asked (compared as DynamoDB compares the key, as text). A position
 * outside the key condition is one DynamoDB refuses (ValidationException): a `next` sent again with
 * other days, or edited, is answered 400, never 500.
 */
function decodeCursor(
  cursor: string,
  campaignId: string,
  range: { readonly fromInstant: string; readonly toInstant: string },
): Record<string, string> {
  const invalid = badRequest('The query string is not valid', [
    { path: 'cursor', message: 'must be the `next` of a previous answer' },
  ]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid;
  const entries = Object.entries(value);
  const allowed = new Set(['pk', 'correctionCampaignId', 'receivedAt']);
  if (entries.length !== 3 || entries.some(([k, v]) => !allowed.has(k) || typeof v !== 'string'))
    throw invalid;
  const key = value as Record<string, string>;
  if (key.correctionCampaignId !== campaignId || !key.pk?.startsWith(`${campaignId}#`)) throw invalid;
  const at = key.receivedAt ?? '';
  if (at < range.fromInstant || at > range.toInstant) throw invalid;
  return key;
}

export function makeHandler({
  catalog,
  corrections,
  clock = () => new Date(),
}: CorrectionsDeps): HttpHandler {
  return httpHandler(logger, async (event: APIGatewayProxyEventV2) => {
    const caller = callerFrom(event);
    requireScope(caller, 'progress:read');
    const campaignId = pathParameter(event, 'campaignId');
    const unitId = pathParameter(event, 'unitId');
    const query = await correctionsQuery(event);
    // 403 before 404: who holds nothing here learns nothing of what exists.
    requireGrantIn(campaignId, caller);
    const view = await catalog.get(campaignId);
    if (!view) throw notFound(`No campaign "${campaignId}"`);
    requireUnitInScope(view.hierarchy, view.campaign.id, unitId, caller);
    if (!view.hierarchy.has(unitId)) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);

    const { timeZone, startDate } = view.campaign;
    const range = dateRange(query, { today: localDate(clock(), timeZone), startDate });
    const instants = {
      fromInstant: startOfLocalDay(range.from, timeZone).toISOString(),
      toInstant: new Date(startOfLocalDay(addDays(range.to, 1), timeZone).getTime() - 1).toISOString(),
    };
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, campaignId, instants);
    const page = await corrections.listCorrections(
      campaignId,
      unitId,
      instants,
      MAX_CORRECTIONS_PER_PAGE,
      cursor,
    );
    const { next } = page;
    // The index filters on the `path` stamped at intake; a unit moved since (docs/ARCHITECTURE.md §4,
    // reorganisation) is no longer in its old ancestors' subtree. Authority is the stored tree's
    // (§5): only corrections of units that lie in the unit's subtree as stored now are shown; those of
    // a unit the campaign no longer has, only to a grant of the whole campaign.
    const wholeCampaign = grantsCoverCampaign(caller.grants, campaignId, view.hierarchy);
    const items = page.items.filter((i) => {
      const id = String(i.unitId);
      return view.hierarchy.has(id) ? view.hierarchy.pathOf(id).includes(unitId) : wholeCampaign;
    });
    const states = await corrections.getStates(
      campaignId,
      items.map((i) => ({ unitId: String(i.unitId), originalId: String(i.corrects) })),
    );
    const entries = items.map((i): CorrectionEntry => {
      const eventId = String(i.eventId);
      const admitted = states.get(String(i.corrects))?.admitted[eventId];
      return {
        eventId,
        corrects: String(i.corrects),
        unitId: String(i.unitId),
        day: String(i.day),
        from: admitted?.from ?? null,
        to: Number(i.count),
        delta: admitted?.delta ?? null,
        reason: String(i.reason),
        sub: String(i.sub),
        receivedAt: String(i.receivedAt),
        occurredAt: String(i.occurredAt),
      };
    });
    const body: CorrectionsResponse = {
      campaignId,
      unitId,
      from: range.from,
      to: range.to,
      corrections: entries,
      next: next === null ? null : encodeCursor(next),
    };
    return jsonResponse(200, body);
  });
}

const env = await loadEnv();
const db = documentClientFor(env);
const campaignTable = requireVar(env, 'CAMPAIGN_TABLE');
export const handler = makeHandler({
  catalog: new CatalogCache(new DynamoCampaignStore(db, campaignTable), env.CATALOG_CACHE_SECONDS * 1000),
  corrections: new DynamoCorrectionStore(db, campaignTable, requireVar(env, 'INTAKE_EVENTS_TABLE')),
});

/**
 * POST /v1/intake-events (scope intake:write): one event or { events: [...] } (1 to 100).
 * Each event is checked on its own and stored with one conditional put (exactly once); a
 * correction (`corrects`) is checked against the event it names, read first for the whole request
 * in one BatchGetItem (docs/ARCHITECTURE.md, corrections). The
 * answer has one result per event, in order. When storage fails for some events the answer is
 * 503 with Retry-After, still saying per event what happened, so nothing is silently lost.
 */
import { randomUUID } from 'node:crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerFrom, requireScope } from '../shared/auth/claims.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { loadEnv, requireVar } from '../shared/config/env-rules.js';
import { type Grant, unitsGrantedIn } from '../shared/domain/grants.js';
import {
  type CatalogView,
  checkEvent,
  correctsOf,
  eventIdOf,
  type NormalizedEvent,
  type OriginalLookup,
  prepareChecks,
  type StoredOriginal,
} from '../shared/domain/intake.js';
import { parseInput } from '../shared/http/body.js';
import { type HttpHandler, httpHandler, parseJsonBody } from '../shared/http/handler.js';
import { badRequest, jsonResponse, problemResponse } from '../shared/http/problem.js';
import { createLogger } from '../shared/observability/logger.js';
import type { IntakeFailedResult } from '../shared/schemas/intake.js';
import { readIntakeBatch } from '../shared/schemas/intake-rules.js';
import { MAX_INTAKE_BODY_BYTES } from '../shared/schemas/values.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { documentClientFor } from '../shared/store/client.js';
import { DynamoIntakeEventStore, type IntakeEventStore } from '../shared/store/intake-store.js';
import { mapConcurrent } from '../shared/util/concurrency.js';
import { lazyInstance } from '../shared/util/lazy.js';

/** Puts in flight per request: a batch of 100 takes about 4 round trips, not 100. */
const PUT_CONCURRENCY = 25;
const RETRY_AFTER_SECONDS = 2;

export interface IntakeDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly events: IntakeEventStore;
  readonly clock?: () => Date;
  readonly metrics?: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

const logger = createLogger('intake');

/**
 * The events of the body: one event object, or the `events` array of a batch, read by plain rules
 * (shared/schemas/intake-rules.ts); the batch schema (and zod) loads only to say why they refused it.
 */
async function eventsOf(body: unknown): Promise<unknown[]> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The body must be one intake event or { "events": [ … ] }');
  }
  if (!('events' in body)) return [body];
  const events = readIntakeBatch(body);
  if (events !== undefined) return events;
  const { IntakeBatch } = await import('../shared/schemas/intake.js');
  return parseInput(IntakeBatch, body, 'The batch is not of the form { "events": [ 1 to 100 events ] }')
    .events;
}

/**
 * The campaigns the events name where the token grants something: the only ones whose catalogue
 * (or corrected events) a request reads. An event of any other campaign is refused as outside the
 * caller's units before its campaign is looked at (shared/domain/intake.ts `scopedCatalog`), so a
 * token of one commune cannot make a request read up to 100 other campaigns (docs/ARCHITECTURE.md §5).
 */
function grantedCampaignsOf(events: readonly unknown[], grants: readonly Grant[]): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    if (e !== null && typeof e === 'object' && 'campaignId' in e && typeof e.campaignId === 'string') {
      ids.add(e.campaignId);
    }
  }
  for (const id of ids) {
    const granted = unitsGrantedIn(grants, id);
    if (granted !== 'all' && granted.size === 0) ids.delete(id);
  }
  return ids;
}

export function makeHandler({
  catalog,
  events: store,
  clock = () => new Date(),
  metrics,
}: IntakeDeps): HttpHandler {
  return httpHandler(logger, async (request: APIGatewayProxyEventV2) => {
    const caller = callerFrom(request);
    requireScope(caller, 'intake:write');
    const rawEvents = await eventsOf(parseJsonBody(request, MAX_INTAKE_BODY_BYTES));
    const now = clock();
    // Valid events are read by plain rules; the schemas load only to say why they refuse one.
    await prepareChecks(rawEvents);

    // The catalogues first (usually one campaign, from memory), so the checks need no I/O.
    const campaigns = grantedCampaignsOf(rawEvents, caller.grants);
    const views = new Map<string, CatalogView | null | 'unavailable'>();
    await Promise.all(
      [...campaigns].map(async (id) => {
        try {
          views.set(id, await catalog.get(id));
        } catch (error) {
          logger.error('catalog unavailable', { campaignId: id, error: error as Error });
          views.set(id, 'unavailable');
        }
      }),
    );

    // The events that corrections name, in one strongly consistent BatchGetItem per campaign.
    const originals = await readOriginals(rawEvents, store, campaigns);

    const results: IntakeFailedResult[] = new Array(rawEvents.length);
    const toStore: { index: number; event: NormalizedEvent; warning?: string }[] = [];
    /** For each eventId in this batch, the index of its first occurrence (the one stored). */
    const firstOccurrence = new Map<string, { index: number; event: NormalizedEvent }>();
    const repeats: { index: number; of: number }[] = [];
    const catalogOf = (id: string) => {
      const view = views.get(id);
      if (view === 'unavailable') throw new Unavailable('the campaign catalogue is unavailable');
      return view ?? null;
    };
    const originalOf = (campaignId: string, eventId: string): OriginalLookup => {
      const found = originals.get(campaignId);
      if (found === 'unavailable') {
        throw new Unavailable('storage is unavailable; send this event again with the same eventId');
      }
      return found?.stored.get(eventId) ?? (found?.inRequest.has(eventId) ? 'not-stored-yet' : null);
    };
    rawEvents.forEach((raw, index) => {
      let check: ReturnType<typeof checkEvent>;
      try {
        check = checkEvent(raw, { grants: caller.grants, now, catalogOf, originalOf });
      } catch (error) {
        if (!(error instanceof Unavailable)) throw error;
        results[index] = { eventId: eventIdOf(raw), status: 'failed', error: error.message };
        return;
      }
      if (!check.ok) {
        results[index] = { eventId: check.eventId, status: 'rejected', error: check.error };
        return;
      }
      const key = `${check.event.campaignId}#${check.event.eventId}`;
      const first = firstOccurrence.get(key);
      if (first) {
        const status = first.event.payloadHash === check.event.payloadHash ? 'duplicate' : 'conflict';
        results[index] = {
          eventId: check.event.eventId,
          status,
          ...(status === 'duplicate' && check.warning !== undefined && { warning: check.warning }),
        };
        repeats.push({ index, of: first.index });
        return;
      }
      firstOccurrence.set(key, { index, event: check.event });
      toStore.push({
        index,
        event: check.event,
        ...(check.warning !== undefined && { warning: check.warning }),
      });
    });

    const ingestId = randomUUID();
    const receivedAt = now.toISOString();
    await mapConcurrent(toStore, PUT_CONCURRENCY, async ({ index, event, warning }) => {
      try {
        const status = await store.putIfAbsent({ ...event, receivedAt, sub: caller.sub, ingestId });
        results[index] = {
          eventId: event.eventId,
          status,
          ...(warning !== undefined && status !== 'conflict' && { warning }),
        };
      } catch (error) {
        logger.warn('event not stored', { eventId: event.eventId, error: error as Error });
        results[index] = {
          eventId: event.eventId,
          status: 'failed',
          error: 'storage is unavailable; send this event again with the same eventId',
        };
      }
    });
    // A repeat within the batch shares its first occurrence's fate when that one was not stored.
    for (const { index, of } of repeats) {
      const first = results[of];
      if (first?.status === 'failed') results[index] = { ...first };
    }

    const counts = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0, failed: 0 };
    for (const r of results) counts[r.status]++;
    if (metrics) {
      for (const [status, n] of Object.entries(counts))
        if (n > 0) metrics.addMetric(status, MetricUnit.Count, n);
      metrics.publishStoredMetrics();
    }
    logger.info('intake', { sub: caller.sub, events: rawEvents.length, ...counts });

    if (counts.failed > 0) {
      return problemResponse(
        {
          type: 'urn:problem:storage-unavailable',
          title: 'Some events were not stored',
          status: 503,
          detail: `${counts.failed} of ${rawEvents.length} events were not stored; send them again with the same eventId`,
        },
        { extensions: { results }, retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    return jsonResponse(200, { results });
  });
}

class Unavailable extends Error {}

type Originals = Map<string, { stored: Map<string, StoredOriginal>; inRequest: Set<string> } | 'unavailable'>;

/**
 * Per campaign (of `campaigns`, those the token grants something in): the stored events the
 * request's corrections name, and the eventIds the request holds.
 */
async function readOriginals(
  rawEvents: readonly unknown[],
  store: IntakeEventStore,
  campaigns: ReadonlySet<string>,
): Promise<Originals> {
  const named = new Map<string, Set<string>>();
  for (const raw of rawEvents) {
    const target = correctsOf(raw);
    if (!target || !campaigns.has(target.campaignId)) continue;
    const ids = named.get(target.campaignId) ?? new Set<string>();
    ids.add(target.eventId);
    named.set(target.campaignId, ids);
  }
  const out: Originals = new Map();
  await Promise.all(
    [...named].map(async ([campaignId, ids]) => {
      const inRequest = new Set<string>();
      for (const raw of rawEvents) {
        const id = eventIdOf(raw);
        if (id !== null && ids.has(id)) inRequest.add(id);
      }
      try {
        out.set(campaignId, { stored: await store.getMany(campaignId, [...ids]), inRequest });
      } catch (error) {
        logger.error('corrected events unreadable', { campaignId, error: error as Error });
        out.set(campaignId, 'unavailable');
      }
    }),
  );
  return out;
}

const env = await loadEnv();
const db = documentClientFor(env);
export const handler = makeHandler({
  catalog: new CatalogCache(
    new DynamoCampaignStore(db, requireVar(env, 'CAMPAIGN_TABLE')),
    env.CATALOG_CACHE_SECONDS * 1000,
  ),
  events: new DynamoIntakeEventStore(db, requireVar(env, 'INTAKE_EVENTS_TABLE')),
  // Constructed at the first publish, not at load (cold start: shared/util/lazy.ts).
  metrics: lazyInstance(
    () =>
      new Metrics({
        namespace: env.POWERTOOLS_METRICS_NAMESPACE,
        serviceName: 'intake',
      }),
  ),
});

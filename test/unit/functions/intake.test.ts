import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/intake.js';
import { parseGrants } from '../../../shared/domain/grants.js';
import { MAX_INTAKE_BODY_BYTES } from '../../../shared/schemas/intake.js';
import { createDocumentClient } from '../../../shared/store/client.js';
import { DynamoIntakeEventStore } from '../../../shared/store/intake-store.js';
import { aCampaignFile, anHttpEvent, anIntakeEvent, type EventOptions } from '../../support/builders.js';
import { aCatalogView, fixedCatalog } from '../../support/catalog.js';
import { MemoryIntakeStore } from '../../support/memory-intake-store.js';

const NOW = new Date('2021-03-13T10:00:00Z');
const post = (
  body: unknown,
  claims: EventOptions['claims'] = { sub: 'post-17', scope: 'intake:write', units: ['33'] },
) => anHttpEvent({ method: 'POST', path: '/v1/intake-events', body, claims });
const json = (body: string | undefined) => JSON.parse(body ?? 'null');
type Result = { eventId: string | null; status: string; error?: string };
const statuses = (body: string | undefined) => (json(body).results as Result[]).map((r) => r.status);

describe('POST /v1/intake-events', () => {
  let store: MemoryIntakeStore;
  let handler: ReturnType<typeof makeHandler>;
  beforeEach(() => {
    store = new MemoryIntakeStore();
    handler = makeHandler({ catalog: fixedCatalog(aCatalogView()), events: store, clock: () => NOW });
  });

  it('stores one event sent alone, with who sent it and when', async () => {
    const response = await handler(post(anIntakeEvent({ eventId: 'evt-single-01' })));
    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({ results: [{ eventId: 'evt-single-01', status: 'accepted' }] });
    expect(store.items.get('cccd-2021-test#evt-single-01')).toMatchObject({
      sub: 'post-17',
      receivedAt: NOW.toISOString(),
      path: ['33', '323'],
    });
  });

  it('answers each event of a batch in order, rejecting only the bad ones', async () => {
    // Arrange
    const events = [
      anIntakeEvent({ eventId: 'evt-batch-001' }),
      anIntakeEvent({ eventId: 'evt-batch-002', unitId: '404' }),
      anIntakeEvent({ eventId: 'evt-batch-003', count: 37, channel: 'mobile' }),
    ];
    // Act
    const response = await handler(post({ events }));
    // Assert
    const body = json(response.body);
    expect(body.results.map((r: Result) => [r.eventId, r.status])).toEqual([
      ['evt-batch-001', 'accepted'],
      ['evt-batch-002', 'rejected'],
      ['evt-batch-003', 'accepted'],
    ]);
    expect(body.results[1].error).toContain('unit "404" is outside the units this token may post for');
    expect([...store.items.keys()].sort()).toEqual([
      'cccd-2021-test#evt-batch-001',
      'cccd-2021-test#evt-batch-003',
    ]);
  });

  it('tells a retry (duplicate) from a different event under the same id (conflict), within and across requests', async () => {
    const a = anIntakeEvent({ eventId: 'evt-dup-0001' });
    const first = await handler(post({ events: [a, a, { ...a, count: 2 }] }));
    const again = await handler(post({ events: [a, { ...a, count: 3 }] }));
    expect(statuses(first.body)).toEqual(['accepted', 'duplicate', 'conflict']);
    expect(statuses(again.body)).toEqual(['duplicate', 'conflict']);
    expect(store.items.size).toBe(1);
    expect(store.items.get('cccd-2021-test#evt-dup-0001')?.count).toBe(1);
  });

  it.each([
    ['no token', 401, null],
    ['a token without intake:write', 403, { sub: 'x', scope: 'progress:read', units: ['33'] }],
  ] as const)('answers %s with %i problem+json', async (_, status, claims) => {
    const response = await handler(post(anIntakeEvent(), claims));
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(store.items.size).toBe(0);
  });

  it.each([
    ['not JSON', '{"events": ['],
    ['an array', '[]'],
    ['a number', '42'],
    ['no events', '{"events": []}'],
    ['101 events', JSON.stringify({ events: Array.from({ length: 101 }, () => anIntakeEvent()) })],
    ['events not an array', '{"events": {}}'],
  ])('answers a body that is %s with 400', async (_, body) => {
    const response = await handler(post(body));
    expect(response.statusCode).toBe(400);
    expect(json(response.body).status).toBe(400);
  });

  it('gives the schemas’ reasons for what the plain rules refuse, loading them at that request', async () => {
    // A fresh module graph: no earlier request has loaded the schemas.
    vi.resetModules();
    const fresh = await import('../../../functions/intake.js');
    const freshHandler = fresh.makeHandler({
      catalog: fixedCatalog(aCatalogView()),
      events: store,
      clock: () => NOW,
    });
    const events = [
      anIntakeEvent({ eventId: 'evt-rule-0001' }),
      anIntakeEvent({ eventId: 'evt-rule-0002', count: 0 }),
      { ...anIntakeEvent({ eventId: 'evt-rule-0003' }), corrects: 'evt-rule-0001', count: 2 },
    ];
    const response = await freshHandler(post({ events }));
    expect(json(response.body).results).toEqual([
      { eventId: 'evt-rule-0001', status: 'accepted' },
      { eventId: 'evt-rule-0002', status: 'rejected', error: 'count: must be at least 1' },
      { eventId: 'evt-rule-0003', status: 'rejected', error: 'reason: must say why, in 1 to 200 characters' },
    ]);
    const batch = await freshHandler(post({ events: [] }));
    expect(batch.statusCode).toBe(400);
    expect(json(batch.body).errors).toEqual([{ path: 'events', message: 'must hold at least one event' }]);
  });

  it('refuses a body over 256 KB with 413 before parsing', async () => {
    const response = await handler(post(`{"events": [${' '.repeat(MAX_INTAKE_BODY_BYTES)}]}`));
    expect(response.statusCode).toBe(413);
  });

  it('answers 503 with Retry-After when some events could not be stored, saying what happened to each', async () => {
    // Arrange
    store.failWith = (e) => (e.eventId === 'evt-fail-0002' ? new Error('throttled') : undefined);
    const events = ['evt-fail-0001', 'evt-fail-0002', 'evt-fail-0003'].map((eventId) =>
      anIntakeEvent({ eventId }),
    );
    // Act
    const response = await handler(post({ events: [...events, events[1]] }));
    // Assert
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    expect(statuses(response.body)).toEqual(['accepted', 'failed', 'accepted', 'failed']);
    expect(store.items.size).toBe(2);
    // The retry of the whole batch stores the missing one and nothing twice.
    store.failWith = () => undefined;
    expect(statuses((await handler(post({ events }))).body)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect(store.items.size).toBe(3);
  });

  it('answers failed (503) rather than rejected when the campaign catalogue cannot be read', async () => {
    const broken = makeHandler({
      catalog: { get: async () => Promise.reject(new Error('DynamoDB down')) },
      events: store,
      clock: () => NOW,
    });
    const response = await broken(post({ events: [anIntakeEvent(), anIntakeEvent(), { eventId: 'bad' }] }));
    expect(response.statusCode).toBe(503);
    // Valid-looking events may be fine once the catalogue is back; one without a campaign never will be.
    expect(statuses(response.body)).toEqual(['failed', 'failed', 'rejected']);
  });

  it('reads nothing of a campaign where the token grants nothing: no catalogue, no corrected event', async () => {
    // Arrange: a tablet of commune 12001 names other campaigns (one real, some made up), and corrects in one
    const other = aCatalogView(aCampaignFile({ campaign: { id: 'cccd-2021-other' } }));
    const catalogReads: string[] = [];
    const catalogs = fixedCatalog(aCatalogView(), other);
    const originalReads: string[] = [];
    const getMany = store.getMany.bind(store);
    store.getMany = async (campaignId, eventIds) => {
      originalReads.push(campaignId);
      return getMany(campaignId, eventIds);
    };
    const tablet = makeHandler({
      catalog: {
        get: async (id) => {
          catalogReads.push(id);
          return catalogs.get(id);
        },
      },
      events: store,
      clock: () => NOW,
    });
    const claims = { sub: 'tablet-12001', scope: 'intake:write', units: ['cccd-2021-test:12001'] };
    const events = [
      anIntakeEvent({ eventId: 'evt-own-00001' }),
      anIntakeEvent({ eventId: 'evt-other-0001', campaignId: 'cccd-2021-other' }),
      ...[1, 2, 3].map((i) => anIntakeEvent({ eventId: `evt-made-up-${i}`, campaignId: `made-up-${i}` })),
      {
        ...anIntakeEvent({ eventId: 'fix-other-0001', campaignId: 'cccd-2021-other' }),
        corrects: 'evt-other-0000',
        reason: 'recount',
      },
    ];
    // Act
    const response = await tablet(post({ events }, claims));
    // Assert
    const results = json(response.body).results as Result[];
    expect(results.map((r) => r.status)).toEqual(['accepted', ...Array(5).fill('rejected')]);
    for (const r of results.slice(1)) expect(r.error).toContain('outside the units this token may post for');
    expect(catalogReads).toEqual(['cccd-2021-test']);
    expect(originalReads).toEqual([]);
  });

  it('counts outcomes as Powertools metrics', async () => {
    const metrics = { addMetric: vi.fn(), publishStoredMetrics: vi.fn() };
    const measured = makeHandler({
      catalog: fixedCatalog(aCatalogView()),
      events: store,
      clock: () => NOW,
      metrics,
    });
    const a = anIntakeEvent();
    await measured(post({ events: [a, a, anIntakeEvent({ unitId: '404' })] }));
    expect(metrics.addMetric.mock.calls).toEqual([
      ['accepted', 'Count', 1],
      ['duplicate', 'Count', 1],
      ['rejected', 'Count', 1],
    ]);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledOnce();
  });
});

describe('POST /v1/intake-events with DynamoDB edges (aws-sdk-client-mock)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const handlerWith = () =>
    makeHandler({
      catalog: fixedCatalog(aCatalogView()),
      events: new DynamoIntakeEventStore(
        createDocumentClient({ region: 'local', maxAttempts: 1 }),
        'IntakeEvents',
      ),
      clock: () => NOW,
    });
  beforeEach(() => ddb.reset());

  it('reads duplicate and conflict from the item returned by the failed condition', async () => {
    // Arrange: evt-a is stored with the same payload, evt-b with another
    const stored = await (async () => {
      const { checkEvent } = await import('../../../shared/domain/intake.js');
      const view = aCatalogView();
      const check = checkEvent(anIntakeEvent({ eventId: 'evt-aaaa-0001' }), {
        grants: parseGrants(['*']),
        now: NOW,
        catalogOf: () => view,
      });
      if (!check.ok) throw new Error('valid');
      return check.event.payloadHash;
    })();
    ddb.on(PutCommand).callsFake((input) => {
      const hash = input.Item.eventId === 'evt-aaaa-0001' ? stored : 'another-hash';
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: { payloadHash: { S: hash }, ingestId: { S: 'an-earlier-request' } },
      });
    });
    // Act
    const response = await handlerWith()(
      post({
        events: [anIntakeEvent({ eventId: 'evt-aaaa-0001' }), anIntakeEvent({ eventId: 'evt-bbbb-0001' })],
      }),
    );
    // Assert
    expect(statuses(response.body)).toEqual(['duplicate', 'conflict']);
    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('answers 503 with Retry-After under throttling, and every event says what happened', async () => {
    ddb.on(PutCommand).callsFake((input) => {
      if (input.Item.eventId === 'evt-thr-0002') {
        throw new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
      }
      return {};
    });
    const events = ['evt-thr-0001', 'evt-thr-0002', 'evt-thr-0003'].map((eventId) =>
      anIntakeEvent({ eventId }),
    );
    const response = await handlerWith()(post({ events }));
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    const body = json(response.body);
    expect(body.results.map((r: Result) => [r.eventId, r.status])).toEqual([
      ['evt-thr-0001', 'accepted'],
      ['evt-thr-0002', 'failed'],
      ['evt-thr-0003', 'accepted'],
    ]);
    expect(body.detail).toBe('1 of 3 events were not stored; send them again with the same eventId');
  });
});

describe('POST /v1/intake-events under malformed input (fast-check)', () => {
  const view = aCatalogView();
  const fieldValue = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.constantFrom('cccd-2021-test', '12001', '12002', '33', 'new', 'renewal', 'official', 'mobile'),
    fc.constantFrom(
      '2021-03-13T09:30:00+07:00',
      '2021-03-13T09:30:00',
      '2030-01-01T00:00:00Z',
      '2020-01-01T00:00:00Z',
    ),
  );
  const keys = fc.constantFrom(
    'eventId',
    'campaignId',
    'unitId',
    'occurredAt',
    'count',
    'kind',
    'channel',
    'group',
    'x',
  );
  const mutatedEvent = fc
    .tuple(
      fc.dictionary(keys, fieldValue, { maxKeys: 4 }),
      fc.subarray(['count', 'kind', 'unitId', 'occurredAt']),
    )
    .map(([changes, removed]) => {
      const event: Record<string, unknown> = { ...anIntakeEvent(), ...changes };
      for (const key of removed) delete event[key];
      return event;
    });
  const anyEvent = fc.oneof(mutatedEvent, fc.anything(), fc.constant(anIntakeEvent()));
  const body = fc.oneof(
    fc.record({ events: fc.array(anyEvent, { minLength: 0, maxLength: 105 }) }).map((b) => JSON.stringify(b)),
    anyEvent.map((e) => JSON.stringify(e) ?? 'undefined'),
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );

  it('never answers 5xx, never stores a rejected event, always explains', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        // Arrange
        const store = new MemoryIntakeStore();
        const handler = makeHandler({ catalog: fixedCatalog(view), events: store, clock: () => NOW });
        // Act
        const response = await handler(post(text, { sub: 'post-17', scope: 'intake:write', units: ['323'] }));
        // Assert
        expect(response.statusCode).toBeLessThan(500);
        const parsed = json(response.body);
        if (response.statusCode !== 200) {
          expect(response.headers?.['content-type']).toBe('application/problem+json');
          expect(parsed.detail).toEqual(expect.any(String));
          expect(store.items.size).toBe(0);
          return;
        }
        const results = parsed.results as Result[];
        for (const r of results) {
          if (r.status === 'rejected') expect(r.error).toEqual(expect.any(String));
        }
        const storedIds = new Set([...store.items.values()].map((e) => e.eventId));
        const acceptedIds = new Set(results.filter((r) => r.status === 'accepted').map((r) => r.eventId));
        expect(storedIds).toEqual(acceptedIds);
        for (const e of store.items.values()) expect(['12001', '12002']).toContain(e.unitId);
      }),
      { numRuns: 3000, seed: 20210313 },
    );
  });
});

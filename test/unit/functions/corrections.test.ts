import { describe, expect, it } from 'vitest';
import { type CorrectionsSource, makeHandler } from '../../../functions/corrections.js';
import type { CorrectionState } from '../../../shared/domain/corrections.js';
import { aCampaignFile, anHttpEvent, type TokenClaims } from '../../support/builders.js';
import { aCatalogView, fixedCatalog } from '../../support/catalog.js';

const CAMPAIGN = 'cccd-2021-test';
const NOW = new Date('2021-03-20T03:00:00Z');

/** Two corrections in commune 12001; the first admitted, the second not yet. */
function aSource() {
  const calls: {
    unitId: string;
    range: { fromInstant: string; toInstant: string };
    limit: number;
    cursor?: Record<string, string>;
  }[] = [];
  const source: CorrectionsSource = {
    listCorrections: async (_campaignId, unitId, range, limit, cursor) => {
      calls.push({ unitId, range, limit, ...(cursor && { cursor }) });
      const item = (eventId: string, count: number) => ({
        eventId,
        corrects: 'tally-370-001',
        unitId: '12001',
        day: '2021-03-13',
        count,
        reason: 'typed 370 for 37',
        sub: 'officer-12001',
        receivedAt: '2021-03-14T02:00:00.000Z',
        occurredAt: '2021-03-14T01:59:00.000Z',
        path: ['33', '323'],
      });
      return {
        items: [item('fix-1', 37), item('fix-2', 40)],
        next: {
          pk: `${CAMPAIGN}#fix-2`,
          correctionCampaignId: CAMPAIGN,
          receivedAt: '2021-03-14T02:00:00.000Z',
        },
      };
    },
    getStates: async () => {
      const state: CorrectionState = {
        version: 1,
        originalCount: 370,
        latest: { eventId: 'fix-1', occurredAt: '2021-03-14T01:59:00.000Z', count: 37 },
        admitted: { 'fix-1': { delta: -333, from: 370, to: 37 } },
      };
      return new Map([['tally-370-001', state]]);
    },
  };
  return { source, calls };
}

const request = (unitId: string, query?: Record<string, string>, claims?: TokenClaims) =>
  anHttpEvent({
    path: `/v1/campaigns/${CAMPAIGN}/units/${unitId}/corrections`,
    pathParameters: { campaignId: CAMPAIGN, unitId },
    ...(query && { queryStringParameters: query }),
    claims: claims ?? { sub: 'leader-323', scope: 'progress:read', units: ['323'] },
  });

/** The handler over the test catalogue and a recording corrections source, at NOW. */
function aHandler() {
  const { source, calls } = aSource();
  return {
    handler: makeHandler({ catalog: fixedCatalog(aCatalogView()), corrections: source, clock: () => NOW }),
    calls,
  };
}

describe('GET …/units/{unitId}/corrections', () => {
  it("lists the subtree's corrections of the days asked with who, when, why and what each moved", async () => {
    const { handler, calls } = aHandler();
    const response = await handler(request('323', { from: '2021-03-14', to: '2021-03-15' }));
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body ?? '{}');
    expect(body.corrections).toEqual([
      {
        eventId: 'fix-1',
        corrects: 'tally-370-001',
        unitId: '12001',
        day: '2021-03-13',
        from: 370,
        to: 37,
        delta: -333,
        reason: 'typed 370 for 37',
        sub: 'officer-12001',
        receivedAt: '2021-03-14T02:00:00.000Z',
        occurredAt: '2021-03-14T01:59:00.000Z',
      },
      expect.objectContaining({ eventId: 'fix-2', from: null, to: 40, delta: null }),
    ]);
    // Local days of Hà Nội as instants; the page size bounded
    expect(calls[0]).toMatchObject({
      unitId: '323',
      range: { fromInstant: '2021-03-13T17:00:00.000Z', toInstant: '2021-03-15T16:59:59.999Z' },
      limit: 200,
    });
    // The cursor goes round unchanged
    const again = await handler(request('323', { cursor: body.next }));
    expect(again.statusCode).toBe(200);
    expect(calls[1]?.cursor).toEqual({
      pk: `${CAMPAIGN}#fix-2`,
      correctionCampaignId: CAMPAIGN,
      receivedAt: '2021-03-14T02:00:00.000Z',
    });
  });

  it("refuses a cursor naming a position outside the days asked or another campaign's event (400), reading nothing", async () => {
    // DynamoDB refuses an ExclusiveStartKey outside the key condition (a ValidationException): a
    // `next` sent again with other days, or one edited by hand, is the caller's mistake, not a 500.
    const { handler, calls } = aHandler();
    const cursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const of = (receivedAt: string, pk = `${CAMPAIGN}#fix-2`) =>
      cursor({ pk, correctionCampaignId: CAMPAIGN, receivedAt });
    const days = { from: '2021-03-14', to: '2021-03-15' };
    const refused = [
      { ...days, cursor: of('2021-03-16T02:00:00.000Z') },
      { ...days, cursor: of('2021-03-13T16:59:59.999Z') },
      { ...days, cursor: of('not a time') },
      { ...days, cursor: of('2021-03-14T02:00:00.000Z', 'other-campaign#fix-2') },
    ];
    for (const query of refused) {
      const response = await handler(request('323', query));
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(String(response.body)).errors).toEqual([
        { path: 'cursor', message: 'must be the `next` of a previous answer' },
      ]);
    }
    expect(calls).toEqual([]);
    // The first and the last instant of the days asked are inside them
    expect(
      (await handler(request('323', { ...days, cursor: of('2021-03-13T17:00:00.000Z') }))).statusCode,
    ).toBe(200);
    expect(
      (await handler(request('323', { ...days, cursor: of('2021-03-15T16:59:59.999Z') }))).statusCode,
    ).toBe(200);
  });

  it('lists only the corrections of units that lie, as stored now, in the unit asked for (a commune moved away is no longer its old district’s)', async () => {
    // Arrange: commune 12001 moved from district 323 to 324, commune 12999 removed; their corrections
    // were stamped with their old paths
    const moved = aCatalogView(
      aCampaignFile({
        units: aCampaignFile().units.map((u) => (u.id === '12001' ? { ...u, parentId: '324' } : u)),
      }),
    );
    const correction = (eventId: string, unitId: string) => ({
      eventId,
      corrects: `orig-${eventId}`,
      unitId,
      day: '2021-03-13',
      count: 1,
      reason: 'recount',
      sub: `officer-${unitId}`,
      receivedAt: '2021-03-14T02:00:00.000Z',
      occurredAt: '2021-03-14T01:59:00.000Z',
      path: ['33', '323'],
    });
    const read: string[][] = [];
    const source: CorrectionsSource = {
      listCorrections: async () => ({
        items: [
          correction('fix-moved', '12001'),
          correction('fix-stayed', '12002'),
          correction('fix-removed', '12999'),
        ],
        next: null,
      }),
      getStates: async (_campaignId, originals) => {
        read.push(originals.map((o) => o.unitId));
        return new Map();
      },
    };
    const handler = makeHandler({ catalog: fixedCatalog(moved), corrections: source, clock: () => NOW });
    // Act
    const response = await handler(request('323'));
    // Assert
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body));
    expect(body.corrections.map((c: { eventId: string }) => c.eventId)).toEqual(['fix-stayed']);
    expect(read).toEqual([['12002']]);
    // A removed unit has no stored place: only a grant of the whole campaign covers it (as for a unit)
    const everything = await handler(request('323', {}, { sub: 'a', scope: 'progress:read', units: ['*'] }));
    expect(
      JSON.parse(String(everything.body)).corrections.map((c: { eventId: string }) => c.eventId),
    ).toEqual(['fix-stayed', 'fix-removed']);
  });

  it('refuses a unit outside the caller’s units (403), an unknown unit (404), a bad range or cursor (400), other scopes (403)', async () => {
    const { handler, calls } = aHandler();
    expect((await handler(request('324'))).statusCode).toBe(403);
    expect(
      (await handler(request('nope', {}, { sub: 'a', scope: 'progress:read', units: ['*'] }))).statusCode,
    ).toBe(404);
    expect((await handler(request('323', { from: '2021-03-15', to: '2021-03-14' }))).statusCode).toBe(400);
    const foreign = Buffer.from(
      JSON.stringify({ pk: 'x', correctionCampaignId: 'other', receivedAt: 'y' }),
    ).toString('base64url');
    expect((await handler(request('323', { cursor: foreign }))).statusCode).toBe(400);
    expect((await handler(request('323', { cursor: 'bm90LWpzb24' }))).statusCode).toBe(400);
    expect((await handler(request('323', { colour: 'red' }))).statusCode).toBe(400);
    // A query the plain rules refuse is read by the schema: the 400 names the field with its message.
    const refused = await handler(request('323', { cursor: 'bm90==' }));
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(String(refused.body)).errors).toEqual([
      { path: 'cursor', message: 'must be the `next` of a previous answer' },
    ]);
    expect(
      (await handler(request('323', {}, { sub: 'a', scope: 'intake:write', units: ['323'] }))).statusCode,
    ).toBe(403);
    expect(calls).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../functions/progress.js';
import { anHttpEvent } from '../../../support/builders.js';
import {
  aReadRequest,
  DISTRICT_323,
  json,
  PROVINCE_33,
  progressApi,
  type Route,
} from '../../../support/progress-reads.js';

const COMMUNE_12002 = { sub: 'xa-12002', scope: 'progress:read', units: ['12002'] };
const problemOf = (body: string | undefined) =>
  json(body) as { status: number; detail?: string; errors?: { path: string; message: string }[] };

describe('GET progress, children and daily of a unit', () => {
  const api = progressApi();

  describe('who may read what', () => {
    it.each([
      ['a district token reads its commune', DISTRICT_323, '12001'],
      ['a district token reads itself', DISTRICT_323, '323'],
      ['"*" reads everything', { sub: 'admin', scope: 'progress:read', units: ['*'] }, '12101'],
    ])('%s', async (_, claims, unitId) => {
      const response = await api.handler(aReadRequest('progress', unitId, { claims }));
      expect(response.statusCode).toBe(200);
    });

    it.each([
      ['a commune token may not read a sibling commune', COMMUNE_12002, '12001'],
      ['a district token may not read its parent', DISTRICT_323, '33'],
      ['a district token may not read another district', DISTRICT_323, '324'],
    ])('%s (403 problem+json naming the unit)', async (_, claims, unitId) => {
      // Act
      const response = await api.handler(aReadRequest('progress', unitId, { claims }));
      // Assert
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(problemOf(response.body)).toMatchObject({
        status: 403,
        detail: expect.stringContaining(unitId),
      });
    });

    it.each(Object.keys(ROUTES) as Route[])(
      '%s: 401 without claims, 403 without progress:read',
      async (route) => {
        // Act
        const anonymous = await api.handler(aReadRequest(route, '12001', { claims: null }));
        const writer = await api.handler(
          aReadRequest(route, '12001', { claims: { sub: 'post-1', scope: 'intake:write', units: ['33'] } }),
        );
        // Assert
        expect(anonymous.statusCode).toBe(401);
        expect(writer.statusCode).toBe(403);
        expect(problemOf(writer.body).detail).toContain('progress:read');
      },
    );

    it.each(Object.keys(ROUTES) as Route[])(
      '%s: 404 for an unknown unit or campaign only to a caller holding the whole campaign; 403 first otherwise',
      async (route) => {
        // Arrange
        const national = { sub: 'n', scope: 'progress:read', units: ['*'] };
        const otherCampaign = { sub: 'o', scope: 'progress:read', units: ['cccd-2099-other:*'] };
        // Act
        const unknownUnit = await api.handler(aReadRequest(route, '99999', { claims: national }));
        const unknownCampaign = await api.handler(
          aReadRequest(route, '12001', { campaignId: 'cccd-2099-none', claims: national }),
        );
        const unknownUnitToProvince = await api.handler(aReadRequest(route, '99999'));
        const existingToOther = await api.handler(aReadRequest(route, '12001', { claims: otherCampaign }));
        const unknownToOther = await api.handler(
          aReadRequest(route, '12001', { campaignId: 'cccd-2099-none', claims: otherCampaign }),
        );
        // Assert
        expect(unknownUnit.statusCode).toBe(404);
        expect(problemOf(unknownUnit.body).detail).toContain('99999');
        expect(unknownCampaign.statusCode).toBe(404);
        expect(unknownCampaign.headers?.['content-type']).toBe('application/problem+json');
        expect([unknownUnitToProvince, existingToOther, unknownToOther].map((r) => r.statusCode)).toEqual([
          403, 403, 403,
        ]);
      },
    );
  });

  describe('bad queries (400 problem+json, nothing read)', () => {
    it.each([
      ['an asOf that is not a date-time', { asOf: 'yesterday' }, 'asOf'],
      ['an asOf without time and offset', { asOf: '2021-03-10' }, 'asOf'],
      ['an asOf in the future', { asOf: '2021-03-15T08:00:00+07:00' }, 'asOf'],
      ['a misspelt parameter', { asof: '2021-03-10T08:00:00+07:00' }, 'asof'],
    ])('%s', async (_, query, path) => {
      // Act
      const responses = await Promise.all(
        (Object.keys(ROUTES) as Route[]).map((route) => api.handler(aReadRequest(route, '12001', { query }))),
      );
      // Assert
      for (const response of responses) {
        expect(response.statusCode).toBe(400);
        expect(response.headers?.['content-type']).toBe('application/problem+json');
        expect(problemOf(response.body).errors?.map((e) => e.path)).toEqual([path]);
      }
      expect(api.totals.reads.getTotals.length + api.totals.reads.getDays.length).toBe(0);
    });

    it.each([
      ['a date that does not exist', { from: '2021-02-30' }, 'from'],
      ['a date written otherwise', { to: '14/03/2021' }, 'to'],
      ['from after to', { from: '2021-03-10', to: '2021-03-01' }, 'from'],
      ['a range over 400 days', { from: '2021-01-01', to: '2022-03-01' }, 'to'],
    ])('daily: %s', async (_, query, path) => {
      // Act
      const response = await api.handler(aReadRequest('daily', '12001', { query }));
      // Assert
      expect(response.statusCode).toBe(400);
      expect(problemOf(response.body).errors?.map((e) => e.path)).toEqual([path]);
      expect(api.totals.reads.getDays).toHaveLength(0);
    });
  });

  it('answers 404 for a route it does not serve', async () => {
    const response = await api.handler(
      anHttpEvent({ method: 'GET', path: '/v1/elsewhere', claims: PROVINCE_33 }),
    );
    expect(response.statusCode).toBe(404);
  });
});

/** GET /v1/campaigns/{campaignId}/recipients: the handler of functions/recipients.ts over in-memory stores and a recording subscription manager. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../../../shared/schemas/recipients.js';
import { district, json, recipientsApi } from '../../../support/recipient-registry.js';

describe('recipients handler', () => {
  const api = recipientsApi();

  describe('GET /v1/campaigns/{campaignId}/recipients', () => {
    beforeEach(async () => {
      await api.post({ unitId: '323', name: 'Huyện Văn Lâm', sms: '0912000001' });
      await api.post({ unitId: '12001', name: 'Xã Một', sms: '0912000002' });
      await api.post({ unitId: '324', name: 'Huyện Văn Giang', email: 'vg@hungyen.gov.vn' });
    });

    it('lists the campaign, or one unit', async () => {
      const all = json((await api.request('GET', '')).body);
      expect(all.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323', '324']);
      const one = await api.request('GET', '?unitId=323', { queryStringParameters: { unitId: '323' } });
      expect(json(one.body).recipients.map((r: Recipient) => r.name)).toEqual(['Huyện Văn Lâm']);
    });

    it('shows a district administrator only the district subtree, and refuses a sibling unit', async () => {
      const mine = json((await api.request('GET', '', { claims: district('[323]') })).body);
      expect(mine.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323']);
      const sibling = await api.request('GET', '?unitId=324', {
        claims: district('[323]'),
        queryStringParameters: { unitId: '324' },
      });
      expect(sibling.statusCode).toBe(403);
    });

    it('answers 400 for an unknown query parameter and 404 for an unknown unit', async () => {
      expect(
        (await api.request('GET', '?unit=323', { queryStringParameters: { unit: '323' } })).statusCode,
      ).toBe(400);
      expect(
        (await api.request('GET', '?unitId=999', { queryStringParameters: { unitId: '999' } })).statusCode,
      ).toBe(404);
    });
  });
});

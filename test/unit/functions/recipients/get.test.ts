/** GET /v1/campaigns/{campaignId}/recipients: the handler of functions/recipients.ts over in-memory stores and a recording subscription manager. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../../../shared/schemas/recipients.js';
import { aRecipientsApi, district, json, type RecipientsApi } from '../../../support/recipient-registry.js';

describe('recipients handler', () => {
  let request: RecipientsApi['request'];
  let post: RecipientsApi['post'];
  beforeEach(async () => {
    ({ request, post } = await aRecipientsApi());
  });

  describe('GET /v1/campaigns/{campaignId}/recipients', () => {
    beforeEach(async () => {
      await post({ unitId: '323', name: 'Huyện Văn Lâm', sms: '0912000001' });
      await post({ unitId: '12001', name: 'Xã Một', sms: '0912000002' });
      await post({ unitId: '324', name: 'Huyện Văn Giang', email: 'vg@hungyen.gov.vn' });
    });

    it('lists the campaign, or one unit', async () => {
      const all = json((await request('GET', '')).body);
      expect(all.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323', '324']);
      const one = await request('GET', '?unitId=323', { queryStringParameters: { unitId: '323' } });
      expect(json(one.body).recipients.map((r: Recipient) => r.name)).toEqual(['Huyện Văn Lâm']);
    });

    it('shows a district administrator only the district subtree, and refuses a sibling unit', async () => {
      const mine = json((await request('GET', '', { claims: district('[323]') })).body);
      expect(mine.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323']);
      const sibling = await request('GET', '?unitId=324', {
        claims: district('[323]'),
        queryStringParameters: { unitId: '324' },
      });
      expect(sibling.statusCode).toBe(403);
    });

    it('answers 400 for an unknown query parameter and 404 for an unknown unit', async () => {
      expect((await request('GET', '?unit=323', { queryStringParameters: { unit: '323' } })).statusCode).toBe(
        400,
      );
      expect(
        (await request('GET', '?unitId=999', { queryStringParameters: { unitId: '999' } })).statusCode,
      ).toBe(404);
    });
  });
});

/** POST /v1/campaigns/{campaignId}/recipients: the handler of functions/recipients.ts over in-memory stores and a recording subscription manager. */
import { describe, expect, it } from 'vitest';
import { anHttpEvent } from '../../../support/builders.js';
import { CAMPAIGN, district, json, recipientsApi } from '../../../support/recipient-registry.js';

describe('recipients handler', () => {
  const api = recipientsApi();

  describe('POST /v1/campaigns/{campaignId}/recipients', () => {
    it('creates a recipient (201) with a generated id, defaults and normalised number, subscribed', async () => {
      // Act
      const response = await api.post({ unitId: '323', name: 'Nguyễn Văn An', sms: '0912345678' });
      // Assert
      expect(response.statusCode).toBe(201);
      const body = json(response.body);
      expect(body).toEqual({
        id: 'r-test0001',
        campaignId: CAMPAIGN,
        unitId: '323',
        name: 'Nguyễn Văn An',
        sms: '+84912345678',
        lang: 'vi',
        minSeverity: 'at_risk',
        subscriptions: { sms: 'arn:sms:+84912345678' },
        createdAt: '2021-03-13T08:00:00.000Z',
        updatedAt: '2021-03-13T08:00:00.000Z',
        createdBy: 'admin-1',
      });
      expect(await api.world.recipients.get(CAMPAIGN, 'r-test0001')).toEqual(body);
      expect(api.world.subscriptions.calls).toEqual(['sync r-test0001']);
    });

    it('passes on what an administrator must know (e-mail confirmation)', async () => {
      const response = await api.post({ unitId: '323', name: 'An', email: 'an@hungyen.gov.vn', lang: 'en' });
      expect(response.statusCode).toBe(201);
      expect(json(response.body).notes).toEqual(['email an@hungyen.gov.vn: SNS sent a confirmation e-mail']);
    });

    it('answers 401 without a token subject and 403 without the admin scope', async () => {
      const body = { unitId: '323', name: 'An', sms: '0912345678' };
      expect((await api.post(body, null)).statusCode).toBe(401);
      const forbidden = await api.post(body, { sub: 'u', scope: 'progress:read', units: ['*'] });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.headers?.['content-type']).toBe('application/problem+json');
      expect(api.world.recipients.items.size).toBe(0);
    });

    it('lets a district administrator register leaders in the district subtree, not in a sibling district', async () => {
      // Act
      const own = await api.post({ unitId: '12001', name: 'Xã Một', sms: '0912000001' }, district('[323]'));
      const sibling = await api.post(
        { unitId: '12101', name: 'Xã Ba', sms: '0912000002' },
        district('[323]'),
      );
      // Assert
      expect(own.statusCode).toBe(201);
      expect(sibling.statusCode).toBe(403);
      expect(json(sibling.body).detail).toBe('Unit "12101" is outside the units this token grants');
      expect([...api.world.recipients.items.values()].map((r) => r.unitId)).toEqual(['12001']);
    });

    it.each([
      ['a bad number', { unitId: '323', name: 'An', sms: '12345' }, ['sms']],
      ['no channel', { unitId: '323', name: 'An' }, ['sms']],
      [
        'a bad e-mail and an unknown field',
        { unitId: '323', name: 'An', email: 'an@', phone: 'x' },
        ['email', 'phone'],
      ],
      ['a unit the campaign does not have', { unitId: '99999', name: 'An', sms: '0912345678' }, ['unitId']],
    ])('answers 400 problem+json for %s, and stores nothing', async (_, body, paths) => {
      // Act
      const response = await api.post(body);
      // Assert
      expect(response.statusCode).toBe(400);
      expect(
        json(response.body)
          .errors.map((e: { path: string }) => e.path)
          .sort(),
      ).toEqual(paths);
      expect(api.world.recipients.items.size).toBe(0);
      expect(api.world.subscriptions.calls).toEqual([]);
    });

    it('answers 400 for a body that is not JSON', async () => {
      expect((await api.post('{"unitId":')).statusCode).toBe(400);
    });

    it('answers 404 for an unknown campaign', async () => {
      const response = await api.handler(
        anHttpEvent({
          method: 'POST',
          routeKey: 'POST /v1/campaigns/{campaignId}/recipients',
          pathParameters: { campaignId: 'no-such-campaign' },
          body: { unitId: '323', name: 'An', sms: '0912345678' },
        }),
      );
      expect(response.statusCode).toBe(404);
    });

    it('answers 409 when the number already belongs to a recipient', async () => {
      await api.post({ unitId: '323', name: 'An', sms: '0912345678' });
      const again = await api.post({ unitId: '324', name: 'An', sms: '+84912345678' });
      expect(again.statusCode).toBe(409);
      expect(api.world.recipients.items.size).toBe(1);
    });

    it('leaves nothing behind when SNS refuses the subscription', async () => {
      // Arrange
      api.world.subscriptions.fail = Object.assign(new Error('Invalid parameter: PhoneNumber'), {
        name: 'InvalidParameterException',
      });
      // Act
      const response = await api.post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Assert
      expect(response.statusCode).toBe(400);
      expect(json(response.body).detail).toContain('Invalid parameter: PhoneNumber');
      expect(api.world.recipients.items.size).toBe(0);
      expect(api.world.recipients.claims.size).toBe(0);
      expect(api.world.subscriptions.calls).toEqual([
        'sync r-test0001',
        'remove r-test0001 {"sms":"arn:partial"}',
      ]);
    });
  });
});

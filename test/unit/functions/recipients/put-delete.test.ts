/** PUT and DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}: the handler of functions/recipients.ts over in-memory stores and a recording subscription manager. */
import { describe, expect, it } from 'vitest';
import { CAMPAIGN, district, json, recipientsApi } from '../../../support/recipient-registry.js';

describe('recipients handler', () => {
  const api = recipientsApi();

  describe('PUT /v1/campaigns/{campaignId}/recipients/{recipientId}', () => {
    it('replaces a recipient, moving it to another unit and changing its number', async () => {
      // Arrange
      await api.post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Act
      const response = await api.request('PUT', '/r-test0001', {
        body: { unitId: '324', name: 'An', sms: '0987654321', minSeverity: 'critical' },
      });
      // Assert
      expect(response.statusCode).toBe(200);
      expect(json(response.body)).toMatchObject({
        id: 'r-test0001',
        unitId: '324',
        sms: '+84987654321',
        minSeverity: 'critical',
        subscriptions: { sms: 'arn:sms:+84987654321' },
      });
      expect(api.world.subscriptions.calls).toEqual([
        'sync r-test0001',
        'sync r-test0001 from 323/+84912345678',
      ]);
      expect(api.world.recipients.claims).toEqual(
        new Map([['cccd-2021-test|sms#+84987654321', 'r-test0001']]),
      );
    });

    it("refuses to move a recipient out of, or into, a unit outside the caller's units", async () => {
      await api.post({ unitId: '12001', name: 'An', sms: '0912345678' });
      const response = await api.request('PUT', '/r-test0001', {
        claims: district('[323]'),
        body: { unitId: '12101', name: 'An', sms: '0912345678' },
      });
      expect(response.statusCode).toBe(403);
      expect((await api.world.recipients.get(CAMPAIGN, 'r-test0001'))?.unitId).toBe('12001');
    });

    it('answers 404 for an unknown recipient', async () => {
      const response = await api.request('PUT', '/r-nobody', {
        body: { unitId: '323', name: 'An', sms: '0912345678' },
      });
      expect(response.statusCode).toBe(404);
    });
  });

  describe('DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}', () => {
    it('unsubscribes and deletes (204), then answers 404', async () => {
      // Arrange
      await api.post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Act
      const first = await api.request('DELETE', '/r-test0001');
      const second = await api.request('DELETE', '/r-test0001');
      // Assert
      expect(first.statusCode).toBe(204);
      expect(first.body).toBeUndefined();
      expect(second.statusCode).toBe(404);
      expect(api.world.recipients.items.size).toBe(0);
      expect(api.world.subscriptions.calls.at(-1)).toBe('remove r-test0001 {"sms":"arn:sms:+84912345678"}');
    });

    it("refuses a sibling district's recipient", async () => {
      await api.post({ unitId: '12101', name: 'Xã Ba', sms: '0912345678' });
      const response = await api.request('DELETE', '/r-test0001', { claims: district('[323]') });
      expect(response.statusCode).toBe(403);
      expect(api.world.recipients.items.size).toBe(1);
    });
  });

  describe('a recipient moved out of the caller’s units between the check and the write', () => {
    /** After the handler's first read (its scope check), another administrator moves the recipient to 12101. */
    const movedAfterTheCheck = () => {
      const store = api.world.recipients;
      const get = store.get.bind(store);
      let reads = 0;
      store.get = async (campaignId, id) => {
        const read = await get(campaignId, id);
        const stored = store.items.get(id);
        if (++reads === 1 && stored) {
          store.items.set(id, { ...stored, unitId: '12101', updatedAt: '2021-03-13T08:00:01.000Z' });
        }
        return read;
      };
    };

    it('is not replaced: 409, the other change stands', async () => {
      await api.post({ unitId: '12001', name: 'An', sms: '0912345678' });
      movedAfterTheCheck();
      const response = await api.request('PUT', '/r-test0001', {
        claims: district('[323]'),
        body: { unitId: '12002', name: 'Someone else', sms: '0987654321' },
      });
      expect(response.statusCode).toBe(409);
      expect(api.world.recipients.items.get('r-test0001')).toMatchObject({
        unitId: '12101',
        name: 'An',
        sms: '+84912345678',
      });
    });

    it('is not removed: 409, nothing unsubscribed', async () => {
      await api.post({ unitId: '12001', name: 'An', sms: '0912345678' });
      const calls = api.world.subscriptions.calls.length;
      movedAfterTheCheck();
      const response = await api.request('DELETE', '/r-test0001', { claims: district('[323]') });
      expect(response.statusCode).toBe(409);
      expect(api.world.recipients.items.get('r-test0001')?.unitId).toBe('12101');
      expect(api.world.subscriptions.calls.length).toBe(calls);
    });
  });
});

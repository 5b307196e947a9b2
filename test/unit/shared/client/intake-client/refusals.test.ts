import { describe, expect, it } from 'vitest';
import { IntakeAuthError, IntakeClientError } from '../../../../../shared/client/index.js';
import { aClient, anAppEvent, fakeIntakeServer, someEvents } from '../../../../support/fake-intake-server.js';

describe('IntakeClient', () => {
  describe('post()', () => {
    it('does not retry rejected or conflicting events', async () => {
      // Arrange
      const conflicting = anAppEvent();
      const server = fakeIntakeServer([], {
        reject: (e) => (e.eventId === 'bad-event-1' ? 'unit 99999 is outside your units' : undefined),
      });
      await aClient(server.fetch).client.post([{ ...conflicting, count: 2 }]);
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post([anAppEvent({ eventId: 'bad-event-1' }), conflicting]);
      // Assert
      expect(server.requests).toHaveLength(2);
      expect(outcomes).toEqual([
        {
          eventId: 'bad-event-1',
          status: 'rejected',
          error: 'unit 99999 is outside your units',
          attempts: 1,
        },
        {
          eventId: conflicting.eventId,
          status: 'conflict',
          error: 'this eventId is stored with another payload',
          attempts: 1,
        },
      ]);
    });

    it('marks the batch rejected with the problem detail on 400, without retrying', async () => {
      // Arrange
      const detail = 'The body must be { events: [...] } with 1 to 100 events';
      const server = fakeIntakeServer([
        { status: 400, body: { title: 'Invalid request', status: 400, detail } },
      ]);
      const { client } = aClient(server.fetch);
      // Act
      const outcomes = await client.post(someEvents(2));
      // Assert
      expect(server.requests).toHaveLength(1);
      expect(outcomes.map((o) => [o.status, o.error, o.attempts])).toEqual([
        ['rejected', detail, 1],
        ['rejected', detail, 1],
      ]);
    });

    it.each([401, 403])(
      'throws IntakeAuthError on %i, keeping the earlier batches’ outcomes',
      async (status) => {
        // Arrange
        const server = fakeIntakeServer([
          'network',
          'drop-after-store',
          'ok',
          { status, body: { title: 'Unauthorized', status, detail: 'token expired' } },
        ]);
        const { client } = aClient(server.fetch);
        const events = someEvents(250);
        // Act
        const error = await client.post(events).catch((e: unknown) => e);
        // Assert
        expect(error).toBeInstanceOf(IntakeAuthError);
        if (!(error instanceof IntakeAuthError)) return;
        expect(error.status).toBe(status);
        expect(error.message).toBe(`HTTP ${status}: token expired`);
        expect(server.requests).toHaveLength(4);
        expect(error.outcomes.map((o) => o.eventId)).toEqual(events.map((e) => e.eventId));
        expect(error.outcomes.slice(0, 100).every((o) => o.status === 'duplicate')).toBe(true);
        expect(error.outcomes.slice(100).every((o) => o.status === 'failed')).toBe(true);
        expect(error.outcomes.slice(100, 200).every((o) => o.attempts === 1)).toBe(true);
        expect(error.outcomes.slice(200).every((o) => o.attempts === 0)).toBe(true);
      },
    );

    it.each([
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
    ])('reads API Gateway\'s own %i body {"message":…} as well as problem+json', async (status, message) => {
      // Arrange: the JWT authorizer answers before the function, without problem+json
      const server = fakeIntakeServer([{ status, body: { message } }]);
      const { client } = aClient(server.fetch);
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeAuthError);
      expect((error as IntakeAuthError).status).toBe(status);
      expect((error as IntakeAuthError).message).toBe(`HTTP ${status}: ${message}`);
    });

    it('throws IntakeAuthError when the token function fails, before sending anything', async () => {
      // Arrange
      const server = fakeIntakeServer();
      const { client } = aClient(server.fetch, {
        token: () => Promise.reject(new Error('refresh token revoked')),
      });
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeAuthError);
      expect(server.requests).toHaveLength(0);
    });

    it('throws IntakeClientError on a status the contract does not name (404: wrong baseUrl)', async () => {
      // Arrange
      const server = fakeIntakeServer([{ status: 404, body: { title: 'Not found', status: 404 } }]);
      const { client } = aClient(server.fetch);
      // Act
      const error = await client.post(someEvents(1)).catch((e: unknown) => e);
      // Assert
      expect(error).toBeInstanceOf(IntakeClientError);
      expect(error).not.toBeInstanceOf(IntakeAuthError);
      expect(server.requests).toHaveLength(1);
    });
  });
});

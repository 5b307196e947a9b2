import { describe, expect, it } from 'vitest';
import type { QueuedEvent } from '../../../../../shared/client/intake/events.js';
import { interpretResponse } from '../../../../../shared/client/intake/response.js';

const anEvent = (eventId: string): QueuedEvent => ({
  eventId,
  campaignId: 'cccd-2021',
  unitId: '12001',
  occurredAt: '2021-04-01T02:00:00.000Z',
  kind: 'new',
});
const events = [anEvent('e1'), anEvent('e2')];
const json = (body: unknown) => JSON.stringify(body);

describe('interpretResponse()', () => {
  it('settles every event on a 200 whose results match the events, in order', () => {
    // Act
    const result = interpretResponse(
      200,
      json({
        results: [
          { eventId: 'e1', status: 'accepted' },
          { eventId: 'e2', status: 'duplicate' },
        ],
      }),
      null,
      events,
    );

    // Assert
    expect(result).toEqual({ kind: 'settled', results: [{ status: 'accepted' }, { status: 'duplicate' }] });
  });

  it('retries a 200 whose results do not match the events sent', () => {
    // Act
    const result = interpretResponse(
      200,
      json({ results: [{ eventId: 'e2', status: 'accepted' }] }),
      null,
      events,
    );

    // Assert
    expect(result).toMatchObject({
      kind: 'retry',
      error: 'protocol error: the results do not match the events sent',
    });
  });

  it('reads a 503 with results as partial, failed events left to send again, with Retry-After', () => {
    // Arrange
    const body = {
      type: 'urn:problem:storage-unavailable',
      title: 'Some events were not stored',
      status: 503,
      detail: '1 of 2 events were not stored',
      results: [
        { eventId: 'e1', status: 'accepted' },
        { eventId: 'e2', status: 'failed', error: 'storage is unavailable' },
      ],
    };

    // Act
    const result = interpretResponse(503, json(body), '2', events);

    // Assert
    expect(result).toEqual({
      kind: 'partial',
      results: [{ status: 'accepted' }, undefined],
      error: 'HTTP 503: 1 of 2 events were not stored',
      retryAfterMs: 2000,
    });
  });

  it("refuses on 400 with the detail and field errors, and stops on the gateway's own 401", () => {
    // Act
    const refused = interpretResponse(
      400,
      json({
        title: 'Invalid request',
        status: 400,
        detail: 'bad batch',
        errors: [{ path: 'events', message: 'too many' }],
      }),
      null,
      events,
    );
    const stopped = interpretResponse(401, json({ message: 'Unauthorized' }), null, events);

    // Assert
    expect(refused).toEqual({ kind: 'refused', error: 'bad batch (events: too many)' });
    expect(stopped).toEqual({ kind: 'stop', status: 401, error: 'HTTP 401: Unauthorized' });
  });

  it('retries 429 and 5xx, ignoring a Retry-After that is not delta-seconds', () => {
    // Act
    const throttled = interpretResponse(429, 'slow down', '5', events);
    const broken = interpretResponse(502, '<html>', 'Wed, 21 Oct 2015 07:28:00 GMT', events);

    // Assert
    expect(throttled).toEqual({ kind: 'retry', error: 'HTTP 429', retryAfterMs: 5000 });
    expect(broken).toEqual({ kind: 'retry', error: 'HTTP 502', retryAfterMs: undefined });
  });
});

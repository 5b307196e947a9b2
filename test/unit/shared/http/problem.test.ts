import { describe, expect, it } from 'vitest';
import { problemResponse } from '../../../../shared/http/problem.js';

describe('problemResponse()', () => {
  it('answers problem+json with the status URN by default and no Retry-After', () => {
    // Act
    const response = problemResponse({ status: 400, title: 'Invalid request', detail: 'bad' });

    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(JSON.parse(response.body ?? '')).toEqual({
      type: 'urn:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'bad',
    });
  });

  it('adds extension members after the standard ones, never over them, and Retry-After in seconds', () => {
    // Arrange
    const results = [{ eventId: 'e1', status: 'failed', error: 'storage is unavailable' }];

    // Act
    const response = problemResponse(
      { type: 'urn:problem:storage-unavailable', title: 'Some events were not stored', status: 503 },
      { extensions: { results, status: 200, title: 'overwritten?' }, retryAfterSeconds: 2 },
    );

    // Assert
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json', 'retry-after': '2' });
    expect(response.body).toBe(
      JSON.stringify({
        type: 'urn:problem:storage-unavailable',
        title: 'Some events were not stored',
        status: 503,
        results,
      }),
    );
  });
});

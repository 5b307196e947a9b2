/** Intake: events and corrections posted in batches (functions/intake.ts). */
import { MAX_EVENTS_PER_REQUEST } from '../intake.js';
import { problem } from './common.js';

export function intakePaths(): Record<string, unknown> {
  return {
    '/v1/intake-events': {
      post: {
        summary: `Record intake events (scope intake:write): one event, or { events } of 1 to ${MAX_EVENTS_PER_REQUEST}`,
        description:
          'The client-generated eventId is the idempotency key: re-sending an event is always safe. ' +
          'Each event gets a result, in order: accepted, duplicate (already stored, identical), ' +
          'conflict (already stored with another payload; nothing changes) or rejected (with the reason). ' +
          'A correction (`corrects`: the eventId of an accepted event; `count` 0..1000, 0 voids; `reason`) travels ' +
          "the same way: it must name a stored event of the same unit in the caller's units, not a correction, within " +
          "the campaign's correctionWindowDays; kind, channel and group are the corrected event's. The totals move by " +
          'the new count minus the count in force (the latest correction by occurredAt), exactly once.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/IntakeEvent' },
                  { $ref: '#/components/schemas/CorrectionEvent' },
                  {
                    type: 'object',
                    required: ['events'],
                    properties: {
                      events: {
                        type: 'array',
                        minItems: 1,
                        maxItems: MAX_EVENTS_PER_REQUEST,
                        items: {
                          oneOf: [
                            { $ref: '#/components/schemas/IntakeEvent' },
                            { $ref: '#/components/schemas/CorrectionEvent' },
                          ],
                        },
                      },
                    },
                  },
                ],
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per event, in order',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/IntakeResponse' } } },
          },
          '400': problem('The body is not an event or a batch of 1 to 100 events'),
          '401': problem('Missing or invalid token'),
          '403': problem('The token lacks scope intake:write'),
          '413': problem('The body is over 256 KB'),
          '503': {
            description:
              'Storage was unavailable for some events (Retry-After header). The body is problem+json with ' +
              '`results`: events with status `failed` were not stored and must be sent again with the same eventId.',
            content: {
              'application/problem+json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Problem' },
                    {
                      type: 'object',
                      properties: {
                        results: {
                          type: 'array',
                          items: { $ref: '#/components/schemas/IntakeFailedResult' },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
  };
}

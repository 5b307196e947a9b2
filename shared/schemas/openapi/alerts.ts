/** Acknowledgements and a unit's alerts feed (functions/alerts.ts). */
import { FEED_DEFAULT_DAYS, FEED_MAX_DAYS } from '../alerts.js';
import {
  dateParameter,
  getOperation,
  json,
  jsonBody,
  pathParameter,
  problem,
  readErrors,
  unitPathParameters,
} from './common.js';

export function alertPaths(): Record<string, unknown> {
  return {
    '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements': {
      post: {
        operationId: 'acknowledgeUnit',
        summary:
          "Acknowledge a unit's alerts: pauses the repeats of the unit and its sub-targets, for all its leaders, " +
          'until the level worsens or `until` passes (default 3 days, at most 30); escalation still happens ' +
          "(scope progress:read; the unit inside the token's units)",
        parameters: unitPathParameters,
        requestBody: jsonBody('AcknowledgementInput'),
        responses: {
          '201': json('Acknowledgement', 'Acknowledged'),
          ...readErrors,
          '400': problem('Invalid body (until not in the future or too far); `errors` lists each problem'),
        },
      },
    },
    '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements/{acknowledgementId}': {
      delete: {
        operationId: 'withdrawAcknowledgement',
        summary: 'Withdraw an acknowledgement (its author, or scope admin); the feed keeps both',
        parameters: [...unitPathParameters, pathParameter('acknowledgementId')],
        responses: {
          '200': json('Acknowledgement', 'Withdrawn'),
          ...readErrors,
          '409': problem('Already withdrawn'),
        },
      },
    },
    '/v1/campaigns/{campaignId}/units/{unitId}/alerts': {
      get: {
        operationId: 'getUnitAlerts',
        ...getOperation({
          summary:
            "What was delivered about the unit or to its leaders, and what was done about it, newest first (scope progress:read; the unit inside the token's units)",
          description:
            'kind: alert, report, notice (deliveries: one per leader and channel, endpoint masked unless the token has admin), ' +
            'acknowledgement, acknowledgement_withdrawn, silence (on the unit or an ancestor), sms_budget (80 % notice, cap reached).',
          parameters: [
            ...unitPathParameters,
            dateParameter('from', `First local day (default: ${FEED_DEFAULT_DAYS} days before to)`),
            dateParameter(
              'to',
              `Last local day, inclusive (default: today); at most ${FEED_MAX_DAYS} days in all`,
            ),
          ],
          response: 'AlertsFeed',
          errors: readErrors,
        }),
      },
    },
  };
}

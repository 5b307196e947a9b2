/** The recipient registry (functions/recipients.ts) and silences (functions/silences.ts). */
import {
  adminErrors,
  campaignIdParameter,
  getOperation,
  json,
  jsonBody,
  pathParameter,
  problem,
  queryParameter,
} from './common.js';

export function registryPaths(): Record<string, unknown> {
  return {
    '/v1/campaigns/{campaignId}/recipients': {
      post: {
        summary: "Register a leader of a unit (scope admin; the unit inside the token's units)",
        description:
          'Each channel (sms, email) becomes an SNS subscription on the alerts topic with a filter policy on ' +
          'campaignId, scope (the unit), lang, channel and severity. A Vietnamese number may be written ' +
          '0912345678 (stored as +84912345678). An e-mail address receives nothing until the leader confirms ' +
          'the subscription (`notes` says so). Within a campaign a number or address belongs to one recipient (409 otherwise); several campaigns may register it.',
        parameters: [campaignIdParameter],
        requestBody: jsonBody('RecipientInput'),
        responses: {
          '201': json('Recipient', 'Registered (with `notes` when there is something to know)'),
          '400': problem(
            'Invalid recipient, or a unit the campaign does not have; `errors` lists each problem',
          ),
          ...adminErrors,
          '404': problem('No such campaign'),
          '409': problem('The number or address is already registered'),
          '502': problem('SNS failed'),
        },
      },
      get: getOperation({
        summary: "List the leaders (scope admin; those inside the token's units)",
        parameters: [campaignIdParameter, queryParameter('unitId', { description: 'One unit only' })],
        response: 'RecipientList',
        errors: {
          '400': problem('Unknown query parameter'),
          ...adminErrors,
          '404': problem('No such campaign or unit'),
        },
      }),
    },
    '/v1/campaigns/{campaignId}/recipients/{recipientId}': {
      put: {
        summary: 'Replace a leader (same id): unit, name, channels, language, minimum severity (scope admin)',
        parameters: [campaignIdParameter, pathParameter('recipientId')],
        requestBody: jsonBody('RecipientInput'),
        responses: {
          '200': json('Recipient', 'Replaced'),
          '400': problem('Invalid recipient'),
          ...adminErrors,
          '404': problem('No such campaign or recipient'),
          '409': problem('The number or address is already registered, or the recipient changed meanwhile'),
          '502': problem('SNS failed part-way; the same request again completes it'),
        },
      },
      delete: {
        summary: 'Remove a leader and its SNS subscriptions (scope admin)',
        parameters: [campaignIdParameter, pathParameter('recipientId')],
        responses: {
          '204': { description: 'Removed' },
          ...adminErrors,
          '404': problem('No such campaign or recipient'),
          '502': problem('SNS failed; nothing was removed'),
        },
      },
    },
    '/v1/campaigns/{campaignId}/silences': {
      post: {
        summary:
          "Mute a unit and its subtree until a time, with a reason (scope admin; the unit inside the token's units)",
        parameters: [campaignIdParameter],
        requestBody: jsonBody('SilenceInput'),
        responses: {
          '201': json('Silence', 'Silenced'),
          '400': problem(
            'Invalid silence (until not in the future, unknown unit…); `errors` lists each problem',
          ),
          ...adminErrors,
          '404': problem('No such campaign'),
        },
      },
      get: getOperation({
        summary: "The active silences, soonest ending first (scope admin; those inside the token's units)",
        parameters: [campaignIdParameter],
        response: 'SilenceList',
        errors: { ...adminErrors, '404': problem('No such campaign') },
      }),
    },
    '/v1/campaigns/{campaignId}/silences/{silenceId}': {
      delete: {
        summary: 'End a silence now (scope admin)',
        parameters: [campaignIdParameter, pathParameter('silenceId')],
        responses: { '204': { description: 'Ended' }, ...adminErrors, '404': problem('No such silence') },
      },
    },
  };
}

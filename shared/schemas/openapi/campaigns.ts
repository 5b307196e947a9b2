/**
 * The campaigns: the list, one campaign's settings, unit search and level history
 * (functions/campaigns.ts), and the campaign file's import (functions/campaign-admin.ts).
 */
import { MAX_SEARCH_LIMIT } from '../dashboard.js';
import {
  asOfParameter,
  campaignIdParameter,
  getOperation,
  jsonBody,
  problem,
  queryParameter,
  readOperation,
  tokenErrors,
} from './common.js';

export function campaignPaths(): Record<string, unknown> {
  return {
    '/v1/campaigns': {
      get: getOperation({
        summary: 'The campaigns where the token holds a unit, newest first (scope progress:read)',
        description:
          'Each with its root, start, last deadline and the top units the token holds there (each with its ' +
          'subtree; the root with `*` or `<campaignId>:*`). Campaigns where it holds nothing are not listed.',
        response: 'CampaignList',
        errors: { '400': problem('Unknown query parameter'), ...tokenErrors('progress:read') },
      }),
    },
    '/v1/campaigns/{campaignId}/units': {
      get: getOperation({
        summary: 'Find units by name or code (scope progress:read; units inside the token’s grants)',
        description:
          'Names match ignoring case and Vietnamese diacritics, every word of q in any order ("thi tran" finds ' +
          '"Thị trấn Như Quỳnh"); ids match by prefix. Tree order (higher levels first), each with the names of ' +
          'its ancestors, root first.',
        parameters: [
          campaignIdParameter,
          queryParameter('q', { required: true, schema: { type: 'string', minLength: 1, maxLength: 100 } }),
          queryParameter('limit', {
            schema: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
          }),
        ],
        response: 'UnitSearchResponse',
        errors: {
          '400': problem('q missing or empty, limit out of range, or an unknown query parameter'),
          ...tokenErrors('progress:read'),
          '404': problem('No such campaign'),
        },
      }),
    },
    '/v1/campaigns/{campaignId}/units/{unitId}/risk-history': readOperation(
      "A unit's level changes, oldest first (scope progress:read)",
      'Each change the risk job stored: when the new level was first seen, the level before (null for the ' +
        'first) and after. With asOf, only the changes up to then.',
      'RiskHistoryResponse',
      [asOfParameter],
    ),
    '/v1/campaigns/{campaignId}': {
      get: getOperation({
        summary: "A campaign's settings and the token's top units in it (scope progress:read)",
        parameters: [campaignIdParameter],
        response: 'CampaignDetail',
        errors: {
          ...tokenErrors('progress:read'),
          '404': problem('No such campaign, or none of its units is granted to the token'),
        },
      }),
      put: {
        summary: 'Load or update a campaign and its units (scope admin)',
        parameters: [
          campaignIdParameter,
          queryParameter('allowRemoval', {
            schema: { type: 'boolean' },
            description: 'Delete stored units the file no longer lists',
          }),
          queryParameter('dryRun', {
            schema: { type: 'boolean' },
            description:
              'Only the plan (with, for moves and merges, each affected unit total before and after); nothing is written',
          }),
        ],
        requestBody: jsonBody('CampaignFile'),
        responses: {
          '200': {
            description: 'Updated (or unchanged)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportSummary' } } },
          },
          '201': {
            description: 'Created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportSummary' } } },
          },
          '400': problem('The file has errors; `errors` lists every one'),
          '401': problem('Missing or invalid token'),
          '403': problem('The token lacks scope admin or the campaign root'),
          '409': problem('The import would remove units and allowRemoval was not set'),
          '413': problem('The body is too large'),
        },
      },
    },
  };
}

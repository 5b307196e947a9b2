/** What the route groups' operations share: problem answers, parameters, the read operation's shape. */

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The parameters and error answers the three read routes share. */
export const unitPathParameters = [
  { name: 'campaignId', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'unitId', in: 'path', required: true, schema: { type: 'string' } },
];
export const asOfParameter = {
  name: 'asOf',
  in: 'query',
  required: false,
  schema: { type: 'string', format: 'date-time' },
  description:
    'ISO 8601 with an offset (encode "+" as %2B). The figures as they stood then: totals through the local ' +
    'day of asOf in the campaign time zone, which is also "today". Default: now. At most a day ahead of now.',
};
export const dateParameter = (name: 'from' | 'to', description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string', format: 'date' },
  description,
});
export const readErrors = {
  '400': problem('A query parameter is invalid (unknown parameter, bad date or asOf); `errors` lists each'),
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope progress:read, or the unit is outside the token's units"),
  '404': problem('No such campaign or unit'),
};
export const readOperation = (
  summary: string,
  description: string,
  response: string,
  parameters: unknown[],
) => ({
  get: {
    summary,
    description,
    parameters: [...unitPathParameters, ...parameters],
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${response}` } } },
      },
      ...readErrors,
    },
  },
});

export const campaignIdParameter = {
  name: 'campaignId',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
export const json = (ref: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
export const adminErrors = {
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope admin, or the unit is outside the token's units"),
};

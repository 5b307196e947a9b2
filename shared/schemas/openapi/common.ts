/** What the route groups' operations share: problem answers, parameters, the read operation's shape. */

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

interface ParameterOptions {
  /** Default: a string. */
  readonly schema?: Record<string, unknown>;
  readonly description?: string;
}

const parameter = (where: 'path' | 'query', name: string, required: boolean, options: ParameterOptions) => ({
  name,
  in: where,
  required,
  schema: options.schema ?? { type: 'string' },
  ...(options.description === undefined ? {} : { description: options.description }),
});
/** A path parameter (`{name}` in the path). */
export const pathParameter = (name: string, options: ParameterOptions = {}) =>
  parameter('path', name, true, options);
/** A query parameter, optional unless `required`. */
export const queryParameter = (
  name: string,
  options: ParameterOptions & { readonly required?: boolean } = {},
) => parameter('query', name, options.required ?? false, options);

export const campaignIdParameter = pathParameter('campaignId');
/** The parameters and error answers the three read routes share. */
export const unitPathParameters = [campaignIdParameter, pathParameter('unitId')];
export const asOfParameter = queryParameter('asOf', {
  schema: { type: 'string', format: 'date-time' },
  description:
    'ISO 8601 with an offset (encode "+" as %2B). The figures as they stood then: totals through the local ' +
    'day of asOf in the campaign time zone, which is also "today". Default: now. At most a day ahead of now.',
});
export const dateParameter = (name: 'from' | 'to', description: string) =>
  queryParameter(name, { schema: { type: 'string', format: 'date' }, description });
export const readErrors = {
  '400': problem('A query parameter is invalid (unknown parameter, bad date or asOf); `errors` lists each'),
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope progress:read, or the unit is outside the token's units"),
  '404': problem('No such campaign or unit'),
};
export const json = (ref: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
/** A required JSON request body: the component `ref`. */
export const jsonBody = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
/** 401 and 403 of a route that needs one scope. */
export const tokenErrors = (scope: string) => ({
  '401': problem('Missing or invalid token'),
  '403': problem(`The token lacks scope ${scope}`),
});

export interface GetOptions {
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: unknown[];
  /** The component the 200 answer holds. */
  readonly response: string;
  /** The problem answers, by status. */
  readonly errors: Record<string, unknown>;
}
/** A GET operation: the component `response` (200 OK), or one of `errors`. */
export const getOperation = ({ summary, description, parameters, response, errors }: GetOptions) => ({
  summary,
  ...(description === undefined ? {} : { description }),
  ...(parameters === undefined ? {} : { parameters }),
  responses: { '200': json(response, 'OK'), ...errors },
});
/** A read of one unit (`{campaignId}/units/{unitId}/…`, scope progress:read). */
export const readOperation = (
  summary: string,
  description: string,
  response: string,
  parameters: unknown[],
) => ({
  get: getOperation({
    summary,
    description,
    parameters: [...unitPathParameters, ...parameters],
    response,
    errors: readErrors,
  }),
});
export const adminErrors = {
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope admin, or the unit is outside the token's units"),
};

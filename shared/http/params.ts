/**
 * Every path and query parameter of the API, validated in one place before any I/O, so that no
 * malformed or unbounded request reaches a store or a loop: 400 problem+json, never 500, never a hang.
 *
 * - `pathParameter(event, name)`: a known path parameter (campaignId, unitId, recipientId, silenceId,
 *   reportId), decoded safely (`%ZZ` is a 400) and checked against the campaign file's patterns
 *   (a 3,000-character id is a 400).
 * - `queryParameters(event, schema)`: the query string through a strict zod schema (an unknown
 *   parameter is an error, not silently ignored). Build schemas from `QueryDate`, `QueryAsOf`.
 * - `plainQueryParameters(event, fields, load)`: the same for optional dates and `asOf`, read by plain
 *   rules; the schema is loaded only for a query they refuse (its messages).
 * - `asOfInstant(asOf, now)`: the moment figures are asked for, at most `now + 1 day`.
 * - `dateRange(query, { today, startDate })`: an explicit range of at most 400 days, or the default
 *   (from the campaign's start, clamped to the last 400 days, through today).
 * Dates are bounded to 2000-01-01..2100-12-31, so day arithmetic on them always ends.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { dailyRange } from '../domain/progress.js';
import { ID_RULES, type IdRule, idProblems, idSchema, type SchemaIdName } from '../schemas/ids.js';
import { plainQuery, type QueryValueKind } from '../schemas/query-rules.js';
import { MAX_AS_OF_AHEAD_MS } from '../schemas/values.js';
import { badRequest, type FieldError } from './problem.js';

// The schemas to build query schemas from (QueryDate, QueryAsOf) are in shared/schemas/query.ts.
export { MAX_AS_OF_AHEAD_MS, MAX_RANGE_DAYS } from '../schemas/values.js';

/** Longer than any valid parameter; checked before decoding or matching anything. */
const MAX_RAW_PARAMETER_LENGTH = 512;

/**
 * The path parameters the routes use, each with its rule (shared/schemas/ids.ts: plain, no zod), or
 * 'schema' for the two whose schema module registers them. A new route adds its own here.
 */
export const PATH_PARAMETERS = {
  campaignId: ID_RULES.campaignId,
  unitId: ID_RULES.unitId,
  recipientId: ID_RULES.recipientId,
  silenceId: ID_RULES.silenceId,
  reportId: 'schema',
  acknowledgementId: ID_RULES.acknowledgementId,
  email: 'schema',
  clientId: ID_RULES.clientId,
} as const satisfies Record<string, IdRule | 'schema'>;
export type PathParameterName = keyof typeof PATH_PARAMETERS;

/** The value as its rule or schema reads it, or the messages that refuse it. */
function checkPathParameter(
  name: PathParameterName,
  value: string,
): { value: string } | { messages: string[] } {
  const rule = PATH_PARAMETERS[name];
  if (rule !== 'schema') {
    const messages = idProblems(rule, value);
    return messages.length === 0 ? { value } : { messages };
  }
  const parsed = idSchema(name as SchemaIdName).safeParse(value);
  return parsed.success ? { value: parsed.data } : { messages: parsed.error.issues.map((i) => i.message) };
}

function decode(name: string, raw: string): string {
  if (raw.length > MAX_RAW_PARAMETER_LENGTH) {
    throw badRequest(`The path parameter ${name} is too long`, [
      { path: name, message: `is ${raw.length} characters long` },
    ]);
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`The path parameter ${name} is not validly percent-encoded`, [
      { path: name, message: 'is not validly percent-encoded' },
    ]);
  }
}

/** A path parameter, decoded and checked against its pattern; 400 problem otherwise. */
export function pathParameter(
  event: Pick<APIGatewayProxyEventV2, 'pathParameters'>,
  name: PathParameterName,
): string {
  const raw = event.pathParameters?.[name];
  if (!raw) throw badRequest(`Missing path parameter ${name}`, [{ path: name, message: 'is required' }]);
  const value = decode(name, raw);
  const checked = checkPathParameter(name, value);
  if ('messages' in checked) {
    throw badRequest(
      `The path parameter ${name} is not valid`,
      checked.messages.map((message) => ({ path: name, message })),
    );
  }
  return checked.value;
}

/** Several path parameters at once: `const { campaignId, unitId } = pathParameters(event, 'campaignId', 'unitId')`. */
export function pathParameters<N extends PathParameterName>(
  event: Pick<APIGatewayProxyEventV2, 'pathParameters'>,
  ...names: N[]
): Record<N, string> {
  const values = {} as Record<N, string>;
  for (const name of names) values[name] = pathParameter(event, name);
  return values;
}

/** The raw query string's parameters; 400 when a name or value is longer than any valid one. */
function rawQuery(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
): Record<string, string | undefined> {
  const raw = event.queryStringParameters ?? {};
  const tooLong = Object.entries(raw).filter(
    ([key, value]) =>
      key.length > MAX_RAW_PARAMETER_LENGTH || (value?.length ?? 0) > MAX_RAW_PARAMETER_LENGTH,
  );
  if (tooLong.length > 0) {
    throw badRequest(
      'The query string is not valid',
      tooLong.map(([key]) => ({ path: key.slice(0, 64), message: 'is too long' })),
    );
  }
  return raw;
}

const unknownParameters = (keys: readonly string[]): FieldError => ({
  path: keys.map((k) => k.slice(0, 64)).join(', '),
  message: 'is not a known query parameter',
});

/** The query string through a (strict) schema; 400 problem naming each bad or unknown parameter. */
export function queryParameters<S extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
  schema: S,
): z.infer<S> {
  const raw = rawQuery(event);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw badRequest(
    'The query string is not valid',
    parsed.error.issues.map(
      (issue): FieldError =>
        issue.code === 'unrecognized_keys'
          ? unknownParameters(issue.keys)
          : { path: issue.path.map(String).join('.') || '(query)', message: issue.message },
    ),
  );
}

/**
 * A route's optional query parameters: with none given, `{}` without loading the schema (so a
 * request without a query string needs no zod); otherwise `queryParameters` with the schema `load`
 * gives. For schemas whose fields are all optional with no default (`{}` parses to `{}`; each
 * caller's unit test checks its schema so).
 */
export async function optionalQueryParameters<S extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
  load: () => Promise<S>,
): Promise<z.infer<S>> {
  if (Object.keys(rawQuery(event)).length === 0) return {} as z.infer<S>;
  return queryParameters(event, await load());
}

/**
 * A route's optional query values (dates, `asOf`) read by the plain rules of
 * shared/schemas/query-rules.ts, which accept what the route's strict schema accepts and output what
 * it outputs: a valid query string (or none) needs no zod. A query the rules refuse goes through
 * `queryParameters` with the schema `load` gives, so its 400 carries the schema's messages.
 */
export async function plainQueryParameters<S extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
  fields: Readonly<Record<keyof z.infer<S> & string, QueryValueKind>>,
  load: () => Promise<S>,
): Promise<z.infer<S>> {
  const plain = plainQuery(rawQuery(event), fields);
  if (plain !== undefined) return plain as z.infer<S>;
  return queryParameters(event, await load());
}

/** A route that takes no query parameters: any is a 400 naming it, as a strict empty schema says. */
export function noQueryParameters(event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>): void {
  const keys = Object.keys(rawQuery(event));
  if (keys.length > 0) throw badRequest('The query string is not valid', [unknownParameters(keys)]);
}

/** The moment asked for (`asOf`, or now); 400 when it lies more than a day ahead of `now`. */
export function asOfInstant(asOf: string | undefined, now: Date): Date {
  if (asOf === undefined) return now;
  const at = new Date(asOf);
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + MAX_AS_OF_AHEAD_MS) {
    throw badRequest('asOf is too far in the future', [
      { path: 'asOf', message: `must not be later than a day after now (${now.toISOString()})` },
    ]);
  }
  return at;
}

/**
 * The days a request covers (shared/domain/progress.ts `dailyRange`): explicit `from`/`to` with
 * `from ≤ to` and at most 400 days; a missing `to` is today; a missing `from` the later of the
 * campaign's start and 399 days before `to` (never after `to`). 400 problem otherwise. The inputs
 * must already be bounded days (`QueryDate`). `readThrough` is the last day with figures (today at
 * the latest), or null when the whole range lies ahead.
 */
export function dateRange(
  query: { readonly from?: string | undefined; readonly to?: string | undefined },
  context: { readonly today: string; readonly startDate: string },
): { readonly from: string; readonly to: string; readonly readThrough: string | null } {
  const range = dailyRange(query, context);
  if (!range.ok) throw badRequest('The date range is not valid', range.errors);
  return range;
}

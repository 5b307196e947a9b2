/**
 * Request bodies, parsed one way: the JSON body (413 over the route's limit, 400 when missing or
 * malformed), then the route's zod schema, whose issues become problem+json 400 `errors[{path, message}]`
 * (an unknown field is named as such). Path and query parameters: shared/http/params.ts.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { fieldErrors } from '../schemas/issues.js';
import { badRequest, HttpProblem } from './problem.js';

/** The body limit of a registry record (a recipient, a silence): a few hundred bytes each. */
export const MAX_RECORD_BODY_BYTES = 16 * 1024;

/**
 * The request body as parsed JSON. A body over `maxBytes` is refused with 413 before parsing;
 * a missing or malformed body with 400.
 */
export function parseJsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
  if (bytes > maxBytes) {
    throw new HttpProblem({
      status: 413,
      title: 'Payload too large',
      detail: `The body is ${bytes} bytes; the limit is ${maxBytes} bytes`,
    });
  }
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.trim().length === 0) throw badRequest('The request needs a JSON body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** `value` through `schema`, or a 400 problem: `detail`, and one error per issue. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, detail: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(detail, fieldErrors(parsed.error.issues));
  return parsed.data;
}

/** The request's JSON body through `schema` (`invalid`: the 400's detail, e.g. "The silence is not valid"). */
export function parseBody<S extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
  options: { readonly maxBytes: number; readonly invalid: string },
): z.output<S> {
  return parseInput(schema, parseJsonBody(event, options.maxBytes), options.invalid);
}

/**
 * The HTTP handler wrapper every API function uses: turns thrown `HttpProblem`s into problem+json,
 * and any other error into a 500 that tells the client nothing internal (the log has the detail).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { badRequest, HttpProblem, problemResponse } from './problem.js';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpHandler(logger: Logger, handle: HttpHandler): HttpHandler {
  return async (event) => {
    try {
      return await handle(event);
    } catch (error) {
      if (error instanceof HttpProblem) return problemResponse(error.problem);
      logger.error('unhandled error', {
        error: error as Error,
        routeKey: event.routeKey,
        requestId: event.requestContext?.requestId,
      });
      return problemResponse({
        status: 500,
        title: 'Internal error',
        detail: `The request could not be completed; quote request id ${event.requestContext?.requestId ?? 'unknown'}`,
      });
    }
  };
}

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

/** A path parameter, decoded and checked against its pattern (shared/http/params.ts). */
export { pathParameter } from './params.js';

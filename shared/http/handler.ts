/**
 * The HTTP handler wrapper every API function uses: turns thrown `HttpProblem`s into problem+json,
 * and any other error into a 500 that tells the client nothing internal (the log has the detail).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpProblem, problemResponse } from './problem.js';

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

/** The request body as parsed JSON (shared/http/body.ts). */
export { parseJsonBody } from './body.js';
/** A path parameter, decoded and checked against its pattern (shared/http/params.ts). */
export { pathParameter } from './params.js';

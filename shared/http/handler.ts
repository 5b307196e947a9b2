/**
 * The HTTP handler wrapper every API function uses: turns thrown `HttpProblem`s into problem+json,
 * and any other error into a 500 that tells the client nothing internal (the log has the detail);
 * puts the Lambda context on the function's log lines (shared/observability/lambda-context.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { inLambdaContext } from '../observability/lambda-context.js';
import { HttpProblem, problemResponse } from './problem.js';
import { createRouter, type RouterOptions } from './router.js';

/** An HTTP function's entry point; Lambda passes the context, a test may leave it out. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpHandler(
  logger: Logger,
  handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
): HttpHandler {
  return (event, context) => inLambdaContext(logger, context, () => answer(logger, handle, event));
}

async function answer(
  logger: Logger,
  handle: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
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
}

/** The request body as parsed JSON (shared/http/body.ts). */
export { parseJsonBody } from './body.js';
/** A path parameter, decoded and checked against its pattern (shared/http/params.ts). */
export { pathParameter } from './params.js';

/** A multi-route function's entry point: its routes (shared/http/router.ts) inside `httpHandler`. */
export function httpRouter<N extends string, C>(logger: Logger, options: RouterOptions<N, C>): HttpHandler {
  return httpHandler(logger, createRouter(options));
}

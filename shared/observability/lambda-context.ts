/**
 * The Lambda context in every log line: each function's entry point is wrapped so that, per
 * invocation, its logger gets the context (function name and version, memory, request id, cold
 * start) as Powertools' `injectLambdaContext` does, and drops the invocation's temporary keys after.
 * HTTP functions get it from shared/http/handler.ts `httpHandler`; the others (stream, schedule,
 * Cognito trigger) from `withLambdaContext`. Without a context (a test, a tool) nothing is added.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/** Runs `work` with the invocation's context on the logger's lines. */
export async function inLambdaContext<T>(
  logger: Logger,
  context: Context | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (context) logger.addContext(context);
  try {
    return await work();
  } finally {
    logger.resetKeys();
  }
}

/** A non-HTTP entry point whose log lines carry the Lambda context. */
export function withLambdaContext<E, R>(
  logger: Logger,
  handle: (event: E) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  return (event, context) => inLambdaContext(logger, context, () => handle(event));
}

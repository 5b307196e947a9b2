/**
 * The Lambda context the local runtime hands each invocation, as Lambda does, so that the
 * functions' log lines carry it locally too (shared/observability/lambda-context.ts): the
 * function's name and memory from the topology, a fresh request id, the time left before its timeout.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionDeclaration } from '../topology.js';

export function localLambdaContext(
  fn: Pick<FunctionDeclaration, 'name' | 'memoryMb' | 'timeoutSeconds'>,
  now: () => number = Date.now,
): Context {
  const deadline = now() + fn.timeoutSeconds * 1000;
  return {
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${fn.name}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A function's entry point, invoked as Lambda invokes it: the event and a fresh context. */
export function invokedLocally<E, R>(
  fn: Pick<FunctionDeclaration, 'name' | 'memoryMb' | 'timeoutSeconds'>,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E) => Promise<R> {
  return (event) => handler(event, localLambdaContext(fn));
}

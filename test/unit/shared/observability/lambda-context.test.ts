/**
 * shared/observability/lambda-context.ts and the HTTP wrapper: every line a function logs during an
 * invocation carries the Lambda context (function name, request id, cold start), and the
 * invocation's temporary keys do not leak into the next one.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpHandler } from '../../../../shared/http/handler.js';
import { jsonResponse } from '../../../../shared/http/problem.js';
import { withLambdaContext } from '../../../../shared/observability/lambda-context.js';

const context = {
  functionName: 'quota-dev-Rollup',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:quota-dev-Rollup',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/quota-dev-Rollup',
  logStreamName: '2026/11/30/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 1000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

/** The keys every line logged during an invocation with `context` carries (besides cold_start). */
const CONTEXT_KEYS = { function_name: 'quota-dev-Rollup', function_request_id: context.awsRequestId };

/** A logger at INFO whose JSON lines are captured. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({ serviceName: 'test', logLevel: 'INFO' });
  const write = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write as typeof process.stderr.write);
  vi.spyOn(console, 'info').mockImplementation((line: unknown) => write(line));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => write(line));
  return { logger, lines };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('withLambdaContext()', () => {
  it("puts the invocation's context on each line and drops its temporary keys after", async () => {
    const { logger, lines } = capturedLogger();
    const handler = withLambdaContext(logger, async (event: { n: number }) => {
      logger.appendKeys({ batch: event.n });
      logger.info('working', { n: event.n });
      return event.n * 2;
    });
    expect(await handler({ n: 21 }, context)).toBe(42);
    await handler({ n: 1 }, { ...context, awsRequestId: 'second' });
    logger.info('between invocations');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      message: 'working',
      ...CONTEXT_KEYS,
      function_memory_size: '256',
      batch: 21,
    });
    expect(lines[0]).toHaveProperty('cold_start');
    expect(lines[1]).toMatchObject({ function_request_id: 'second', batch: 1 });
    expect(lines[2]).not.toHaveProperty('batch');
  });

  it('adds nothing without a context (tests, tools)', async () => {
    const { logger, lines } = capturedLogger();
    await withLambdaContext(logger, async () => logger.info('no context'))(undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ message: 'no context' });
    expect(lines[0]).not.toHaveProperty('function_request_id');
  });
});

describe('httpHandler()', () => {
  it("logs an unhandled error with the invocation's context, and answers 500", async () => {
    const { logger, lines } = capturedLogger();
    const handler = httpHandler(logger, async () => {
      throw new Error('boom');
    });
    const event = { routeKey: 'GET /v1/x', requestContext: { requestId: 'r-7' } } as APIGatewayProxyEventV2;
    const result = await handler(event, context);
    expect(result.statusCode).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'unhandled error',
      ...CONTEXT_KEYS,
      requestId: 'r-7',
    });
    expect((await handler(event)).statusCode).toBe(500);
  });

  it('answers as before for a request that succeeds', async () => {
    const { logger } = capturedLogger();
    const handler = httpHandler(logger, async () => jsonResponse(200, { ok: true }));
    expect(await handler({} as APIGatewayProxyEventV2, context)).toEqual(jsonResponse(200, { ok: true }));
  });
});

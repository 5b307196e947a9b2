/** infra/local/lambda-context.ts: the local runtime invokes each function with a Lambda context, as Lambda does. */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { invokedLocally, localLambdaContext } from '../../../../infra/local/lambda-context.js';

const fn = { name: 'Progress', memoryMb: 1024, timeoutSeconds: 29 };

describe('localLambdaContext()', () => {
  it("gives the function's name and memory, a fresh request id, and the time left", () => {
    let now = 1_000_000;
    const context = localLambdaContext(fn, () => now);
    expect(context).toMatchObject({
      functionName: 'Progress',
      memoryLimitInMB: '1024',
      functionVersion: '$LATEST',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(localLambdaContext(fn).awsRequestId).not.toBe(context.awsRequestId);
    expect(context.getRemainingTimeInMillis()).toBe(29_000);
    now += 30_000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });
});

describe('invokedLocally()', () => {
  it('hands the event through with a new context for each invocation', async () => {
    const seen: Context[] = [];
    const invoke = invokedLocally(fn, async (event: { n: number }, context: Context) => {
      seen.push(context);
      return event.n + 1;
    });
    expect(await invoke({ n: 1 })).toBe(2);
    await invoke({ n: 2 });
    expect(seen.map((c) => c.functionName)).toEqual(['Progress', 'Progress']);
    expect(seen[0]?.awsRequestId).not.toBe(seen[1]?.awsRequestId);
  });
});

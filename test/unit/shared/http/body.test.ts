/**
 * shared/http/body.ts: one way to read a body. Over the limit → 413; missing or malformed → 400;
 * through the route's schema, each issue → an `errors[{path, message}]` entry of a 400 problem.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseBody, parseInput } from '../../../../shared/http/body.js';
import { HttpProblem } from '../../../../shared/http/problem.js';

const Thing = z.strictObject({ name: z.string().min(1), count: z.number().int().min(1) });
const options = { maxBytes: 64, invalid: 'The thing is not valid' };
const withBody = (body: string | undefined, isBase64Encoded = false) =>
  ({ ...(body !== undefined && { body }), isBase64Encoded }) as APIGatewayProxyEventV2;

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpProblem) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('parseBody()', () => {
  it('returns the parsed, typed body', () => {
    expect(parseBody(withBody('{"name":"a","count":2}'), Thing, options)).toEqual({ name: 'a', count: 2 });
    const encoded = Buffer.from('{"name":"b","count":1}').toString('base64');
    expect(parseBody(withBody(encoded, true), Thing, options)).toEqual({ name: 'b', count: 1 });
  });

  it('answers 400 naming each bad field, and an unknown field as such', () => {
    const problem = problemOf(() => parseBody(withBody('{"name":"","count":0,"extra":1}'), Thing, options));
    expect(problem.status).toBe(400);
    expect(problem.detail).toBe('The thing is not valid');
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['count', 'extra', 'name']);
    expect(problem.errors?.find((e) => e.path === 'extra')?.message).toBe('is not a known field');
  });

  it('answers 400 for a missing or malformed body, 413 over the limit', () => {
    expect(problemOf(() => parseBody(withBody(undefined), Thing, options)).status).toBe(400);
    expect(problemOf(() => parseBody(withBody('{"name":'), Thing, options)).detail).toMatch(/not valid JSON/);
    expect(problemOf(() => parseBody(withBody(`{"name":"${'x'.repeat(100)}"}`), Thing, options)).status).toBe(
      413,
    );
  });
});

describe('parseInput()', () => {
  it('puts a whole-value issue at (body)', () => {
    const problem = problemOf(() => parseInput(Thing, 'text', 'The batch is not valid'));
    expect(problem.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });
});

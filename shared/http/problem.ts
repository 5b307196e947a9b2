/**
 * HTTP responses: JSON and application/problem+json (RFC 9457). Every handler shapes its
 * responses through these, so no handler builds { statusCode, headers, body } by hand.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import type { FieldError, Problem } from '../vocabulary/problem.js';

export type { FieldError, Problem } from '../vocabulary/problem.js';

const PROBLEM_TYPES: Record<number, string> = {
  400: 'urn:problem:validation',
  401: 'urn:problem:unauthenticated',
  403: 'urn:problem:forbidden',
  404: 'urn:problem:not-found',
  405: 'urn:problem:method-not-allowed',
  406: 'urn:problem:not-acceptable',
  409: 'urn:problem:conflict',
  413: 'urn:problem:payload-too-large',
  415: 'urn:problem:unsupported-media-type',
  500: 'urn:problem:internal',
};

/** Thrown anywhere below a handler to answer with a problem; caught by `httpHandler`. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'HttpProblem';
  }
}

export interface ProblemResponseOptions {
  /**
   * Extension members (RFC 9457 §3.2) after the standard ones, e.g. intake's per-event `results`;
   * a standard member's name is not overwritten.
   */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Retry-After in seconds (503, 429): when calling again may succeed. */
  readonly retryAfterSeconds?: number;
}

export function problemResponse(
  problem: Problem,
  options: ProblemResponseOptions = {},
): APIGatewayProxyStructuredResultV2 {
  const standard = {
    type: problem.type ?? PROBLEM_TYPES[problem.status] ?? 'about:blank',
    title: problem.title,
    status: problem.status,
    ...(problem.detail !== undefined && { detail: problem.detail }),
    ...(problem.errors !== undefined && { errors: problem.errors }),
  };
  const extensions = Object.entries(options.extensions ?? {}).filter(([name]) => !(name in standard));
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...(options.retryAfterSeconds !== undefined && { 'retry-after': String(options.retryAfterSeconds) }),
    },
    body: JSON.stringify({ ...standard, ...Object.fromEntries(extensions) }),
  };
}

export function jsonResponse(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

export const badRequest = (detail: string, errors?: readonly FieldError[]) =>
  new HttpProblem({ status: 400, title: 'Invalid request', detail, ...(errors && { errors }) });
export const unauthorized = (detail: string) =>
  new HttpProblem({ status: 401, title: 'Unauthorized', detail });
export const forbidden = (detail: string) => new HttpProblem({ status: 403, title: 'Forbidden', detail });
export const notFound = (detail: string) => new HttpProblem({ status: 404, title: 'Not found', detail });

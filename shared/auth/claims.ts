/**
 * The caller, from the JWT claims API Gateway's JWT authorizer hands to the Lambda in
 * `requestContext.authorizer.jwt.claims`. API Gateway flattens array claims into one string
 * such as "[12001 12002]"; the local gateway hands them over the same way, so this one parser
 * serves both (and also accepts a real array, for safety).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { forbidden, unauthorized } from '../http/problem.js';

export const SCOPES = ['intake:write', 'progress:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** `*` in `units` grants every unit of every campaign (national administrators). */
export const ALL_UNITS = '*';

export interface Caller {
  readonly sub: string;
  readonly scopes: ReadonlySet<string>;
  /** Unit ids granted, each with its whole subtree. */
  readonly units: readonly string[];
}

export function parseListClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((s) => s.length > 0);
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner
    .split(/[\s,]+/)
    .map((s) => s.replace(/^"|"$/g, ''))
    .filter((s) => s.length > 0);
}

type ClaimsEvent = Pick<APIGatewayProxyEventV2, 'requestContext'>;

export function callerFrom(event: ClaimsEvent): Caller {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
  const claims = context.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) {
    throw unauthorized('A bearer token with a subject is required');
  }
  return {
    sub: claims.sub,
    scopes: new Set(parseListClaim(claims.scope ?? claims.scp)),
    units: parseListClaim(claims.units),
  };
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) throw forbidden(`This action needs the scope "${scope}"`);
}

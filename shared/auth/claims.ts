/**
 * The caller: who sent the request and what its token grants.
 *
 * API Gateway's JWT authorizer verifies the bearer token (signature, issuer, audience, expiry,
 * route scopes) and hands its claims to the Lambda in `requestContext.authorizer.jwt.claims`, but
 * flattened: an array claim arrives as one string such as "[11977 *]", which cannot tell
 * `["11977 *"]` from `["11977", "*"]`. So `units` and `scope` are read from the verified token
 * itself (the payload of the Authorization header the authorizer has just checked), and its
 * subject must be the authorizer's. The local gateway hands over the same event.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodeJwt, type JWTPayload } from 'jose';
import { type Grant, parseGrants } from '../domain/grants.js';
import { forbidden, unauthorized } from '../http/problem.js';

export const SCOPES = ['intake:write', 'progress:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Caller {
  readonly sub: string;
  readonly scopes: ReadonlySet<string>;
  /** What the token's `units` claim grants (shared/domain/grants.ts); malformed elements are dropped. */
  readonly grants: readonly Grant[];
}

type ClaimsEvent = Pick<APIGatewayProxyEventV2, 'requestContext' | 'headers'>;

/** The `scope` claim: space separated (OAuth 2.0), or an array as some providers send it. */
export function parseScopes(value: unknown): Set<string> {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(' ') : [];
  return new Set(items.filter((s): s is string => typeof s === 'string' && s.length > 0));
}

function bearerPayload(event: ClaimsEvent): JWTPayload | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  try {
    return decodeJwt(match[1]);
  } catch {
    return undefined;
  }
}

export function callerFrom(event: ClaimsEvent): Caller {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
  const verifiedSub = context.authorizer?.jwt?.claims?.sub;
  const token = bearerPayload(event);
  if (typeof verifiedSub !== 'string' || verifiedSub.length === 0 || !token || token.sub !== verifiedSub) {
    throw unauthorized('A bearer token with a subject is required');
  }
  return {
    sub: verifiedSub,
    scopes: parseScopes(token.scope ?? token.scp),
    grants: parseGrants(token.units),
  };
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) throw forbidden(`This action needs the scope "${scope}"`);
}

/** The caller, who must hold `scope`: the `before` step of a router whose routes share one scope. */
export function callerWithScope(event: ClaimsEvent, scope: Scope): Caller {
  const caller = callerFrom(event);
  requireScope(caller, scope);
  return caller;
}

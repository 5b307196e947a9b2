/**
 * The local stand-in for API Gateway's HTTP API: routes from the topology, the JWT authorizer's
 * checks (signature, issuer, audience, expiry) with the local key, and the payload format 2.0
 * event that the same handlers receive in AWS, claims flattened as API Gateway flattens them.
 *
 * A request no route matches (unknown path, or a path without that method) gets API Gateway's own
 * answer before any handler runs: 404 `{"message":"Not Found"}` (`notFoundRoute()`, the answer the
 * functions' router gives too; HTTP APIs have no 405). The JWT authorizer's refusals are API
 * Gateway's too, never problem+json: a missing or invalid token 401 `{"message":"Unauthorized"}`
 * with a `www-authenticate` header naming the fault, a valid token holding none of the route's
 * scopes 403 `{"message":"Forbidden"}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problemResponse } from '../../shared/http/problem.js';
import { type CompiledPath, compilePath, matchPath, notFoundRoute } from '../../shared/http/router.js';
import type { HttpRoute } from '../topology.js';
import type { TokenVerifier } from './tokens.js';
import type { StaticAnswer } from './web.js';

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_GATEWAY_BODY_BYTES = 10 * 1024 * 1024;

export type LocalHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export type BoundRoute = HttpRoute & {
  readonly functionName: string;
  readonly handler: LocalHandler;
};

type CompiledRoute = BoundRoute & { readonly compiled: CompiledPath };

const compile = (route: BoundRoute): CompiledRoute => ({ ...route, compiled: compilePath(route.path) });

/** API Gateway hands every claim over as a string; arrays become "[a b c]". */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value)
      ? `[${value.join(' ')}]`
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}

/** Whether a token's `scope` claim (space separated) holds one of the route's scopes. */
export function hasRouteScope(scope: unknown, required: readonly string[]): boolean {
  const held: unknown[] = typeof scope === 'string' ? scope.split(' ') : Array.isArray(scope) ? scope : [];
  return required.some((s) => held.includes(s));
}

/** A `www-authenticate` parameter value: the header's quoting has no escape, so no double quotes in it. */
const quoted = (text: string) => `"${text.replace(/["\\\r\n]/g, "'")}"`;

/**
 * API Gateway's answer to a missing or invalid token: 401 `{"message":"Unauthorized"}`, the reason in
 * `www-authenticate` (for example `Bearer scope="" error="invalid_token" error_description="the token
 * does not have a valid audience"`); a request without a bearer token gets the bare challenge.
 */
export function unauthorizedAnswer(reason?: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 401,
    headers: {
      'content-type': 'application/json',
      'www-authenticate':
        reason === undefined
          ? 'Bearer'
          : `Bearer scope="" error="invalid_token" error_description=${quoted(reason)}`,
    },
    body: JSON.stringify({ message: 'Unauthorized' }),
  };
}

/**
 * API Gateway's answer to a valid token holding none of the route's `authorizationScopes`: 403
 * `{"message":"Forbidden"}`; the scopes the route takes are named in the RFC 6750 challenge.
 */
export function insufficientScopeAnswer(scopes: readonly string[]): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 403,
    headers: {
      'content-type': 'application/json',
      'www-authenticate': `Bearer scope=${quoted(scopes.join(' '))} error="insufficient_scope"`,
    },
    body: JSON.stringify({ message: 'Forbidden' }),
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_GATEWAY_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface GatewayOptions {
  readonly routes: readonly BoundRoute[];
  readonly verify: TokenVerifier;
  readonly onError?: (error: unknown) => void;
  /**
   * Fault injection for tests of clients on bad connections: when it answers true, the handler's
   * work is done (events stored) but the connection is cut before the response is sent.
   */
  readonly dropResponse?: (routeKey: string) => boolean;
  /**
   * Static files for GET/HEAD paths outside the API (the dashboard); null → the unmatched-route 404.
   * Never consulted for /v1/… and /local/…, so unknown API paths keep API Gateway's 404.
   */
  readonly staticFiles?: (pathname: string) => Promise<StaticAnswer | null>;
  /**
   * The local identity provider (Cognito's user pool and domain in AWS): answers its own paths
   * (/.well-known/…, /oauth2/…) before any route, and says false for every other path.
   */
  readonly identity?: { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };
}

const API_PREFIXES = ['/v1/', '/local/'];

export function createGateway({
  routes,
  verify,
  onError,
  dropResponse,
  staticFiles,
  identity,
}: GatewayOptions): Server {
  const compiled = routes.map(compile);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (identity && (await identity.handle(req, res))) return;
    let url: URL;
    try {
      // Only the path and query of the request line; never a host from it ("//host/…").
      url = new URL(`http://127.0.0.1/${(req.url ?? '/').replace(/^\/+/, '')}`);
    } catch {
      return send(
        res,
        problemResponse({
          status: 400,
          title: 'Invalid request',
          detail: 'The request target is not a valid URL',
        }),
      );
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const onPath = compiled.filter((r) => matchPath(r.compiled, url.pathname) !== null);
    const route = onPath.find((r) => r.method === method);
    if (!route) {
      if (
        staticFiles &&
        onPath.length === 0 &&
        (method === 'GET' || method === 'HEAD') &&
        !API_PREFIXES.some((p) => url.pathname.startsWith(p))
      ) {
        const answer = await staticFiles(url.pathname);
        if (answer) {
          res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
          res.end(method === 'HEAD' ? undefined : answer.body);
          return;
        }
      }
      return send(res, notFoundRoute());
    }

    let claims: Record<string, string> | undefined;
    if (route.auth === 'jwt') {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) return send(res, unauthorizedAnswer());
      let payload: Record<string, unknown>;
      try {
        payload = await verify(match[1]);
      } catch (error) {
        return send(res, unauthorizedAnswer(`the token is not valid: ${(error as Error).message}`));
      }
      // As API Gateway's authorizationScopes: one of the route's scopes must be in the token's `scope`.
      if (!hasRouteScope(payload.scope, route.scopes))
        return send(res, insufficientScopeAnswer(route.scopes));
      claims = flattenClaims(payload);
    }

    const body = await readBody(req);
    if (body === 'too-large') {
      return send(
        res,
        problemResponse({
          status: 413,
          title: 'Payload too large',
          detail: 'The gateway accepts at most 10 MB',
        }),
      );
    }

    const pathParameters = matchPath(route.compiled, url.pathname) ?? {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const query = Object.fromEntries(url.searchParams);
    const now = new Date();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
      ...(route.compiled.params.length > 0 && { pathParameters }),
      isBase64Encoded: false,
      ...(body.length > 0 && { body: body.toString('utf8') }),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        ...(claims && { authorizer: { jwt: { claims, scopes: [] } } }),
      } as APIGatewayProxyEventV2['requestContext'],
    };
    const result = await route.handler(event);
    if (dropResponse?.(event.routeKey)) {
      res.destroy();
      return;
    }
    send(res, result);
  };

  // Idle keep-alive connections live 60 s, as behind API Gateway, not Node's 5 s: a client whose event
  // loop was busy for a few seconds (a test running a CLI synchronously) otherwise reuses a socket the
  // server has just closed (ECONNRESET). server.close() still ends idle connections at once.
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError?.(error);
      if (!res.headersSent) {
        send(
          res,
          problemResponse({ status: 500, title: 'Internal error', detail: 'The local gateway failed' }),
        );
      } else {
        res.destroy();
      }
    });
  });
  return server;
}

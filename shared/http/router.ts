/**
 * The one router of the multi-route functions. Each function declares its routes once, as API
 * Gateway's route keys (`METHOD /path/{param}`), binds a handler to each by name (the compiler
 * refuses a route without one), and runs a `before` step shared by its routes (the caller and its
 * scope). An event is matched by its `routeKey`; an event without one of ours (`$default`, or a
 * hand-made event) by method and path, whose parameters then fill `pathParameters`.
 *
 * An unmatched request gets API Gateway's own answer, `404 {"message":"Not Found"}`, for an unknown
 * path and for a known path with another method alike: API Gateway answers so before any function
 * runs, the local gateway (infra/local/gateway.ts) does the same with `notFoundRoute()`, and a
 * function reached with a route it does not serve (a wiring mistake) answers the same again.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from './problem.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
/** An API Gateway route key: method, space, path with `{name}` parameters. */
export type RouteKey = `${HttpMethod} /${string}`;

export type RouteHandler<C> = (
  event: APIGatewayProxyEventV2,
  context: C,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route path compiled for matching: `/v1/campaigns/{campaignId}` → a pattern and its parameter names. */
export interface CompiledPath {
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

export function compilePath(path: string): CompiledPath {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\+?\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

/** The path's parameters (still percent-encoded, as API Gateway hands them over), or null when it does not match. */
export function matchPath(compiled: CompiledPath, pathname: string): Record<string, string> | null {
  const match = compiled.pattern.exec(pathname);
  if (!match) return null;
  return Object.fromEntries(compiled.params.map((name, i) => [name, match[i + 1] ?? '']));
}

/** API Gateway's answer to a request no route matches (unknown path, or a method the path lacks). */
export function notFoundRoute(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 404,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Not Found' }),
  };
}

export function splitRouteKey(key: RouteKey): { readonly method: HttpMethod; readonly path: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space) as HttpMethod, path: key.slice(space + 1) };
}

/** A route answering 200 with the JSON its reader returns. */
export function jsonRoute<C>(
  read: (event: APIGatewayProxyEventV2, context: C) => Promise<unknown>,
): RouteHandler<C> {
  return async (event, context) => jsonResponse(200, await read(event, context));
}

export interface RouterOptions<N extends string, C> {
  /** The routes, by name: `{ list: 'GET /v1/campaigns', ... }`. */
  readonly routes: Readonly<Record<N, RouteKey>>;
  /** One handler per route name. */
  readonly handlers: Readonly<Record<N, RouteHandler<C>>>;
  /** Runs once a route matched, before its handler; what it returns is the handler's context. */
  readonly before: (event: APIGatewayProxyEventV2) => C | Promise<C>;
}

export type Router = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export function createRouter<N extends string, C>({ routes, handlers, before }: RouterOptions<N, C>): Router {
  const table = (Object.keys(routes) as N[]).map((name) => {
    const key = routes[name];
    const { method, path } = splitRouteKey(key);
    return { key: key as string, method, compiled: compilePath(path), handle: handlers[name] };
  });
  const byKey = new Map(table.map((r) => [r.key, r]));

  function resolve(event: APIGatewayProxyEventV2) {
    const exact = byKey.get(event.routeKey);
    if (exact) return { route: exact, event };
    // API Gateway names the matched route; only a catch-all event is matched by its path.
    if (event.routeKey && event.routeKey !== '$default') return null;
    const method = event.requestContext?.http?.method?.toUpperCase();
    const path = event.rawPath ?? event.requestContext?.http?.path;
    if (!method || path === undefined) return null;
    for (const route of table) {
      if (route.method !== method) continue;
      const params = matchPath(route.compiled, path);
      if (params) {
        return {
          route,
          event: {
            ...event,
            routeKey: route.key,
            ...(route.compiled.params.length > 0 && {
              pathParameters: { ...event.pathParameters, ...params },
            }),
          },
        };
      }
    }
    return null;
  }

  return async (incoming) => {
    const resolved = resolve(incoming);
    if (!resolved) return notFoundRoute();
    const context = await before(resolved.event);
    return resolved.route.handle(resolved.event, context);
  };
}

/**
 * shared/http/router.ts: routes matched by API Gateway's route key or, for a catch-all event, by
 * method and path (filling the path parameters); one answer, API Gateway's own 404, for an unknown
 * path and for a known path with another method; `before` runs only for a matched route.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../../shared/http/problem.js';
import { compilePath, createRouter, matchPath, notFoundRoute } from '../../../../shared/http/router.js';

const ROUTES = {
  list: 'GET /v1/campaigns/{campaignId}/things',
  get: 'GET /v1/campaigns/{campaignId}/things/{thingId}',
  remove: 'DELETE /v1/campaigns/{campaignId}/things/{thingId}',
} as const;

function anEvent(routeKey: string, method: string, path: string, pathParameters?: Record<string, string>) {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    ...(pathParameters && { pathParameters }),
    requestContext: { http: { method, path }, requestId: 'r-1' },
  } as unknown as APIGatewayProxyEventV2;
}

function aRouter() {
  const seen: string[] = [];
  const router = createRouter({
    routes: ROUTES,
    before: (event: APIGatewayProxyEventV2) => {
      seen.push(`before ${event.routeKey}`);
      return { who: 'caller-1' };
    },
    handlers: {
      list: async (event, context) =>
        jsonResponse(200, { route: 'list', params: event.pathParameters, who: context.who }),
      get: async (event) => jsonResponse(200, { route: 'get', params: event.pathParameters }),
      remove: async (event) => jsonResponse(200, { route: 'remove', params: event.pathParameters }),
    },
  });
  return { router, seen };
}

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

describe('createRouter()', () => {
  it("dispatches on API Gateway's route key, passing what `before` returned", async () => {
    const { router, seen } = aRouter();
    const result = await router(anEvent(ROUTES.list, 'GET', '/v1/campaigns/c1/things', { campaignId: 'c1' }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ route: 'list', params: { campaignId: 'c1' }, who: 'caller-1' });
    expect(seen).toEqual([`before ${ROUTES.list}`]);
  });

  it('tells routes on one path apart by method', async () => {
    const { router } = aRouter();
    const params = { campaignId: 'c1', thingId: 't9' };
    const get = await router(anEvent(ROUTES.get, 'GET', '/v1/campaigns/c1/things/t9', params));
    const remove = await router(anEvent(ROUTES.remove, 'DELETE', '/v1/campaigns/c1/things/t9', params));
    expect([bodyOf(get).route, bodyOf(remove).route]).toEqual(['get', 'remove']);
  });

  it('matches a catch-all event by method and path, filling the path parameters', async () => {
    const { router } = aRouter();
    const result = await router(anEvent('$default', 'DELETE', '/v1/campaigns/c%201/things/t-2'));
    expect(bodyOf(result)).toEqual({
      route: 'remove',
      params: { campaignId: 'c%201', thingId: 't-2' },
    });
  });

  it("answers an unknown route key with API Gateway's 404, without running `before`", async () => {
    const { router, seen } = aRouter();
    const result = await router(anEvent('GET /v1/elsewhere', 'GET', '/v1/elsewhere'));
    expect(result).toEqual(notFoundRoute());
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toEqual({ message: 'Not Found' });
    expect(seen).toEqual([]);
  });

  it('answers a known path with a method it lacks with the same 404 (API Gateway has no 405)', async () => {
    const { router, seen } = aRouter();
    const wrongMethod = await router(anEvent('$default', 'POST', '/v1/campaigns/c1/things/t9'));
    const unknownPath = await router(anEvent('$default', 'GET', '/v1/campaigns/c1/other'));
    const tooDeep = await router(anEvent('$default', 'GET', '/v1/campaigns/c1/things/t9/more'));
    expect([wrongMethod, unknownPath, tooDeep]).toEqual([notFoundRoute(), notFoundRoute(), notFoundRoute()]);
    expect(seen).toEqual([]);
  });

  it('a route key of another method on a known path is not matched by that path', async () => {
    const { router } = aRouter();
    const result = await router(
      anEvent('PUT /v1/campaigns/{campaignId}/things/{thingId}', 'PUT', '/v1/campaigns/c1/things/t9'),
    );
    expect(result.statusCode).toBe(404);
  });
});

describe('compilePath() / matchPath()', () => {
  it('matches whole segments only and returns the raw parameters', () => {
    const compiled = compilePath('/v1/users/{email}/disable');
    expect(compiled.params).toEqual(['email']);
    expect(matchPath(compiled, '/v1/users/a%40b.vn/disable')).toEqual({ email: 'a%40b.vn' });
    expect(matchPath(compiled, '/v1/users/a/b/disable')).toBeNull();
    expect(matchPath(compiled, '/v1/users//disable')).toBeNull();
    expect(matchPath(compiled, '/v1/users/x/disable/')).toBeNull();
  });

  it('takes literal segments literally (a dot is not a wildcard)', () => {
    const compiled = compilePath('/v1/openapi.json');
    expect(matchPath(compiled, '/v1/openapi.json')).toEqual({});
    expect(matchPath(compiled, '/v1/openapiXjson')).toBeNull();
  });
});

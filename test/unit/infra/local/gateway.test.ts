/** The local gateway over real HTTP on 127.0.0.1, with a recording handler. */

import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../../infra/local/gateway.js';
import {
  createVerifier,
  LOCAL_AUDIENCE,
  loadOrCreateKeys,
  mintToken,
} from '../../../../infra/local/tokens.js';
import { callerFrom } from '../../../../shared/auth/claims.js';
import { formatGrant } from '../../../../shared/domain/grants.js';
import { jsonResponse } from '../../../../shared/http/problem.js';

describe('local gateway', () => {
  const seen: APIGatewayProxyEventV2[] = [];
  let server: Server;
  let base: string;
  let token: string;
  let foreignToken: string;
  let readerToken: string;

  beforeAll(async () => {
    const keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'quota-keys-')));
    const otherKeys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'quota-keys-')));
    token = await mintToken(keys, { sub: 'post-17', units: ['12046', '12047'], scope: 'intake:write' });
    readerToken = await mintToken(keys, { sub: 'r', units: ['12046'], scope: 'progress:read' });
    foreignToken = await mintToken(otherKeys, { sub: 'post-17', units: ['12046'], scope: 'intake:write' });
    const record = async (event: APIGatewayProxyEventV2) => {
      seen.push(event);
      return jsonResponse(200, { ok: true });
    };
    server = createGateway({
      verify: await createVerifier(keys),
      routes: [
        {
          method: 'PUT',
          path: '/v1/campaigns/{campaignId}',
          auth: 'jwt',
          scopes: ['intake:write', 'admin'],
          functionName: 'A',
          handler: record,
        },
        { method: 'GET', path: '/v1/openapi.json', auth: 'none', functionName: 'B', handler: record },
      ],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('hands the handler a payload 2.0 event with claims flattened as API Gateway does', async () => {
    // Act
    const response = await fetch(`${base}/v1/campaigns/cccd%2D2021?allowRemoval=true`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    // Assert
    expect(response.status).toBe(200);
    const event = seen.at(-1);
    if (!event) throw new Error('the handler was not called');
    expect(event?.routeKey).toBe('PUT /v1/campaigns/{campaignId}');
    expect(event?.pathParameters).toEqual({ campaignId: 'cccd%2D2021' });
    expect(event?.queryStringParameters).toEqual({ allowRemoval: 'true' });
    expect(event?.headers['content-type']).toBe('application/json');
    expect(event?.body).toBe('{"a":1}');
    const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, string> } } };
    const claims = context.authorizer?.jwt?.claims;
    expect(claims?.units).toBe('[12046 12047]');
    expect(claims?.aud).toBe(LOCAL_AUDIENCE);
    expect(callerFrom(event).grants.map(formatGrant)).toEqual(['12046', '12047']);
  });

  it.each([
    ['no token', {}, /^Bearer$/],
    [
      'a token signed by another key',
      { authorization: `Bearer FOREIGN` },
      /^Bearer scope="" error="invalid_token" error_description="the token is not valid: [^"]+"$/,
    ],
    ['a malformed header', { authorization: 'Basic abc' }, /^Bearer$/],
  ] as [string, Record<string, string>, RegExp][])(
    'answers %s as API Gateway does, 401 {"message":"Unauthorized"}, and does not call the handler',
    async (_, headers, challenge) => {
      const before = seen.length;
      const response = await fetch(`${base}/v1/campaigns/x`, {
        method: 'PUT',
        headers: Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [k, v.replace('FOREIGN', foreignToken)]),
        ) as Record<string, string>,
        body: '{}',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('www-authenticate')).toMatch(challenge);
      expect(seen.length).toBe(before);
    },
  );

  it('answers 403 {"message":"Forbidden"}, without calling the handler, when the token holds none of the route scopes', async () => {
    // Arrange: a valid token whose scope is progress:read only (or an ID token, which has no scope)
    const before = seen.length;
    // Act
    const response = await fetch(`${base}/v1/campaigns/x`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${readerToken}` },
      body: '{}',
    });
    // Assert
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'Forbidden' });
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer scope="intake:write admin" error="insufficient_scope"',
    );
    expect(seen.length).toBe(before);
  });

  it('answers 400, not 500, for a request target that is not a URL, and stays up', async () => {
    // Act: a raw request line that fetch would refuse to send
    const status = await new Promise<number>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        socket.write('GET //[bad/v1/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(Number(text.split(' ')[1])));
      socket.on('error', reject);
    });
    // Assert
    expect(status).toBeLessThan(500);
    expect((await fetch(`${base}/v1/openapi.json`)).status).toBe(200);
  });

  it("serves public routes without a token, and API Gateway's own 404 for an unknown path or method", async () => {
    expect((await fetch(`${base}/v1/openapi.json`)).status).toBe(200);
    const missing = await fetch(`${base}/v1/nothing`);
    const wrongMethod = await fetch(`${base}/v1/openapi.json`, { method: 'DELETE' });
    // API Gateway (HTTP API) answers an unmatched route itself, 404 for both: it has no 405.
    expect([missing.status, wrongMethod.status]).toEqual([404, 404]);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect([await missing.json(), await wrongMethod.json()]).toEqual([
      { message: 'Not Found' },
      { message: 'Not Found' },
    ]);
  });
});

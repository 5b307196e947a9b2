/** The intake client's client-credentials token source: fetch, cache until expiry, refresh, no secret leaks. */
import { describe, expect, it } from 'vitest';
import { ClientCredentialsError, clientCredentials } from '../../../../shared/client/client-credentials.js';

const SECRET = 's3cr3t-value-never-logged';

function tokenEndpoint(answers: { status: number; body: unknown }[]) {
  const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)] ?? { status: 500, body: {} };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  };
  return { fetch, calls };
}

describe('clientCredentials', () => {
  it('asks with HTTP Basic and grant_type=client_credentials, then serves the cached token until shortly before expiry', async () => {
    // Arrange
    let clock = 1_000_000;
    const endpoint = tokenEndpoint([
      { status: 200, body: { access_token: 'first', expires_in: 3600, token_type: 'Bearer' } },
      { status: 200, body: { access_token: 'second', expires_in: 3600, token_type: 'Bearer' } },
    ]);
    const token = clientCredentials({
      tokenUrl: 'http://127.0.0.1:3000/oauth2/token',
      clientId: 'c-1',
      clientSecret: SECRET,
      fetch: endpoint.fetch,
      now: () => clock,
    });
    // Act
    const a = await token();
    clock += 3000 * 1000;
    const b = await token();
    clock += 560 * 1000; // 40 s before expiry: inside the 60 s skew
    const c = await token();
    // Assert
    expect([a, b, c]).toEqual(['first', 'first', 'second']);
    expect(endpoint.calls).toHaveLength(2);
    expect(endpoint.calls[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`c-1:${SECRET}`).toString('base64')}`,
    );
    expect(endpoint.calls[0]?.body).toBe('grant_type=client_credentials');
  });

  it('shares one request between concurrent callers', async () => {
    // Arrange
    const endpoint = tokenEndpoint([{ status: 200, body: { access_token: 't', expires_in: 3600 } }]);
    const token = clientCredentials({
      tokenUrl: 'http://x/oauth2/token',
      clientId: 'c',
      clientSecret: SECRET,
      fetch: endpoint.fetch,
    });
    // Act
    const tokens = await Promise.all([token(), token(), token()]);
    // Assert
    expect(tokens).toEqual(['t', 't', 't']);
    expect(endpoint.calls).toHaveLength(1);
  });

  it('fails with the status and OAuth error, never the secret, and fetches again after invalidate()', async () => {
    // Arrange
    const endpoint = tokenEndpoint([
      { status: 401, body: { error: 'invalid_client' } },
      { status: 200, body: { access_token: 'ok', expires_in: 3600 } },
    ]);
    const token = clientCredentials({
      tokenUrl: 'http://x/oauth2/token',
      clientId: 'c',
      clientSecret: SECRET,
      fetch: endpoint.fetch,
    });
    // Act
    const error = await token().catch((e: unknown) => e);
    token.invalidate();
    const next = await token();
    // Assert
    expect(error).toBeInstanceOf(ClientCredentialsError);
    expect((error as ClientCredentialsError).status).toBe(401);
    expect(String((error as Error).message)).toContain('invalid_client');
    expect(
      JSON.stringify(error) + String((error as Error).message) + String((error as Error).stack),
    ).not.toContain(SECRET);
    expect(next).toBe('ok');
  });
});

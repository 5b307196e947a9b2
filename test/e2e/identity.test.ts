/**
 * The local identity provider end to end over HTTP: a machine client from `npm run clients`
 * gets a token by client credentials and posts intake inside its units only; a user from
 * `npm run users` signs in by authorization code + PKCE (the sign-in form submitted as a browser
 * would) and reads progress in its subtree; a changed grant shows in the next token; a disabled
 * user's refresh token and a removed client's credentials no longer work.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CLIENT_ID } from '../../infra/local/identity/provider.js';
import { localPaths, REPO_ROOT } from '../../infra/local/paths.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../../infra/local/tokens.js';
import { clientCredentials, IntakeClient } from '../../shared/client/index.js';
import { RESOURCE_SERVER_IDENTIFIER } from '../../shared/domain/identity.js';

const run = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

const CAMPAIGN = 'cccd-2021-hung-yen';
// From scenarios/hung-yen-2021.json: a district, one of its communes, and another district's commune.
const DISTRICT = '323';
const COMMUNE = '11977';
const OTHER_DISTRICT = '325';
const OTHER_COMMUNE = '11950';

/** A minimal cookie jar: what a browser would send back to the provider. */
class Cookies {
  private readonly jar = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('identity on the local runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quota-identity-'));
  const paths = localPaths(dir);
  let system: LocalSystem;
  // Run asynchronously: the system under test lives in this process and must keep answering.
  const cli = async (script: string, args: string[]) => {
    try {
      const { stdout, stderr } = await run(TSX, [script, ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, QUOTA_LOCAL_DIR: dir },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const usersCli = (...args: string[]) => cli('infra/local/cli/users.ts', args);
  const clientsCli = (...args: string[]) => cli('infra/local/cli/clients.ts', args);
  const tokenEndpoint = () => `${system.url}/oauth2/token`;

  const intake = (bearer: string, unitId: string) =>
    fetch(`${system.url}/v1/intake-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventId: randomUUID(),
        campaignId: CAMPAIGN,
        unitId,
        occurredAt: new Date().toISOString(),
        kind: 'new',
      }),
    });
  const progress = (bearer: string, unitId: string) =>
    fetch(`${system.url}/v1/campaigns/${CAMPAIGN}/units/${unitId}/progress`, {
      headers: { authorization: `Bearer ${bearer}` },
    });

  /** Authorization code + PKCE, as the dashboard does it, with the form filled in as a person would. */
  async function signIn(email: string, password: string) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const redirectUri = `${system.url}/`;
    const cookies = new Cookies();
    const authorize = new URL(`${system.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      client_id: DASHBOARD_CLIENT_ID,
      response_type: 'code',
      redirect_uri: redirectUri,
      // Cognito's form of the scope, as the dashboard asks in AWS; the token carries the bare name.
      scope: `openid ${RESOURCE_SERVER_IDENTIFIER}/progress:read`,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    let response = await fetch(authorize, { redirect: 'manual' });
    cookies.take(response);
    expect(response.status).toBe(303);
    const signInUrl = new URL(response.headers.get('location') ?? '', system.url);
    response = await fetch(signInUrl, { headers: { cookie: cookies.header() } });
    const page = await response.text();
    expect(response.status).toBe(200);
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no sign-in form:\n${page}`);
    response = await fetch(new URL(action, system.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });
    cookies.take(response);
    if (response.status !== 303) return { refused: response.status, page: await response.text() };
    // The provider resumes the authorization and redirects to the dashboard with the code.
    let location = response.headers.get('location') ?? '';
    for (let hops = 0; hops < 5 && new URL(location, system.url).pathname !== '/'; hops++) {
      response = await fetch(new URL(location, system.url), {
        redirect: 'manual',
        headers: { cookie: cookies.header() },
      });
      cookies.take(response);
      location = response.headers.get('location') ?? '';
    }
    const back = new URL(location);
    if (!back.searchParams.get('code')) throw new Error(`no code: ${location}`);
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code in ${location}`);
    const token = await fetch(tokenEndpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: DASHBOARD_CLIENT_ID,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    return (await token.json()) as { access_token: string; refresh_token: string };
  }

  const refresh = (refreshToken: string) =>
    fetch(tokenEndpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: DASHBOARD_CLIENT_ID,
      }).toString(),
    });

  beforeAll(async () => {
    system = await startLocalSystem({ port: 0, paths, schedules: false }); // loads the Hưng Yên demo
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves discovery and RS256 keys at Cognito-style paths, the issuer being the base URL', async () => {
    // Act
    const discovery = (await (
      await fetch(`${system.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    const jwks = (await (await fetch(`${system.url}/.well-known/jwks.json`)).json()) as {
      keys: { kty: string; d?: string }[];
    };
    // Assert
    expect(discovery.issuer).toBe(system.url);
    expect(discovery.token_endpoint).toBe(`${system.url}/oauth2/token`);
    expect(discovery.authorization_endpoint).toBe(`${system.url}/oauth2/authorize`);
    expect(discovery.jwks_uri).toBe(`${system.url}/.well-known/jwks.json`);
    expect(jwks.keys.map((k) => k.kty)).toEqual(['RSA']);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('clients add → client credentials → posts intake inside its units, rejected outside; removed → no token', async () => {
    // Arrange
    const added = await clientsCli(
      'add',
      '--name',
      'Văn Lâm tablets',
      '--units',
      `${CAMPAIGN}:${DISTRICT}`,
      '--scope',
      'intake:write',
    );
    expect(added.code, added.stderr).toBe(0);
    const clientId = /client_id=(\S+)/.exec(added.stdout)?.[1] ?? '';
    const clientSecret = /client_secret=(\S+)/.exec(added.stdout)?.[1] ?? '';
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const credentials = () =>
      fetch(tokenEndpoint(), {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    // Act
    const response = await credentials();
    const { access_token: token } = (await response.json()) as { access_token: string };
    const inside = await intake(token, COMMUNE);
    const outside = await intake(token, OTHER_COMMUNE);
    const wrongSecret = await fetch(tokenEndpoint(), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:not-the-secret`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    // Assert
    expect(response.status).toBe(200);
    expect(decodeJwt(token)).toMatchObject({
      sub: clientId,
      iss: system.url,
      scope: 'intake:write',
      units: [`${CAMPAIGN}:${DISTRICT}`],
    });
    expect(((await inside.json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
    expect(((await outside.json()) as { results: { status: string }[] }).results[0]?.status).toBe('rejected');
    expect(wrongSecret.status).toBe(401);
    expect((await clientsCli('list')).stdout).toContain(clientId);

    // Act: the typed intake client, configured with the client id and secret only
    const intakeClient = new IntakeClient({
      baseUrl: system.url,
      token: clientCredentials({ tokenUrl: tokenEndpoint(), clientId, clientSecret }),
    });
    const outcomes = await intakeClient.post([
      {
        eventId: randomUUID(),
        campaignId: CAMPAIGN,
        unitId: COMMUNE,
        occurredAt: new Date().toISOString(),
        kind: 'new',
      },
    ]);
    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['accepted']);

    // Act: the client is removed
    expect((await clientsCli('remove', clientId)).code).toBe(0);
    // Assert
    expect((await credentials()).status).toBe(401);
  });

  it('users add → sign-in with code + PKCE → reads progress in its subtree; a changed grant shows in the next token; disabled → refresh refused', async () => {
    // Arrange
    const email = 'chu.tich@vanlam.hungyen.gov.vn';
    const added = await usersCli(
      'add',
      '--email',
      email,
      '--name',
      'Chủ tịch UBND huyện Văn Lâm',
      '--units',
      `${CAMPAIGN}:${DISTRICT}`,
      '--scope',
      'progress:read',
    );
    expect(added.code, added.stderr).toBe(0);
    const password = /one-time password: (\S+)/.exec(added.stdout)?.[1] ?? '';

    // Act: a wrong password first, then the right one
    const wrong = await signIn(email, 'not-the-password');
    const tokens = await signIn(email, password);
    if (!('access_token' in tokens)) throw new Error('sign-in failed');
    // Assert
    expect('refused' in wrong && wrong.refused).toBe(401);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: system.url,
      scope: 'progress:read',
      units: [`${CAMPAIGN}:${DISTRICT}`],
    });
    expect((await progress(tokens.access_token, DISTRICT)).status).toBe(200);
    expect((await progress(tokens.access_token, COMMUNE)).status).toBe(200);
    expect((await progress(tokens.access_token, OTHER_DISTRICT)).status).toBe(403);
    expect((await intake(tokens.access_token, COMMUNE)).status).toBe(403);

    // Act: the grant changes; the next token (a refresh) carries it
    expect(
      (
        await usersCli(
          'update',
          email,
          '--units',
          `${CAMPAIGN}:${OTHER_DISTRICT}`,
          '--scope',
          'progress:read',
        )
      ).code,
    ).toBe(0);
    const refreshed = await refresh(tokens.refresh_token);
    const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
    // Assert
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(next.access_token).units).toEqual([`${CAMPAIGN}:${OTHER_DISTRICT}`]);
    expect((await progress(next.access_token, OTHER_DISTRICT)).status).toBe(200);
    expect((await progress(next.access_token, DISTRICT)).status).toBe(403);

    // Act: disabled
    const disabled = await usersCli('disable', email);
    const afterDisable = await refresh(next.refresh_token);
    const signInDisabled = await signIn(email, password);
    // Assert
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(afterDisable.status).toBe(400);
    expect(((await afterDisable.json()) as { error: string }).error).toBe('invalid_grant');
    expect('refused' in signInDisabled && signInDisabled.refused).toBe(401);
    expect((await usersCli('list')).stdout).toMatch(/chu\.tich@vanlam\.hungyen\.gov\.vn\s+.*disabled/);
  });

  it('the HTTP twin: a district admin gives only what its grants cover, and manages only those users', async () => {
    // Arrange
    const admin = await mintToken(await loadOrCreateKeys(paths.keys), {
      sub: 'district-admin',
      units: [`${CAMPAIGN}:${DISTRICT}`],
      scope: 'admin progress:read',
    });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${system.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    // Act
    const beyond = await call('POST', '/v1/users', {
      email: 'x@y',
      name: 'Xã',
      units: [`${CAMPAIGN}:${OTHER_DISTRICT}`, DISTRICT, `${CAMPAIGN}:9999`],
      scope: 'progress:read intake:write',
    });
    const within = await call('POST', '/v1/users', {
      email: 'Can.Bo@XaLacHong.vn',
      name: 'Cán bộ xã',
      units: [`${CAMPAIGN}:${COMMUNE}`],
      scope: 'progress:read',
    });
    const listed = (await (await call('GET', '/v1/users')).json()) as { users: { email: string }[] };
    const disableOutside = await call(
      'POST',
      `/v1/users/${encodeURIComponent('chu.tich@vanlam.hungyen.gov.vn')}/disable`,
    );
    // Assert
    expect(beyond.status).toBe(400);
    const problem = (await beyond.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['email', 'units.0', 'units.1', 'units.2', 'scope.1']);
    expect(within.status).toBe(201);
    const created = (await within.json()) as { user: { email: string }; oneTimePassword: string };
    expect(created.user.email).toBe('can.bo@xalachong.vn');
    expect(created.oneTimePassword).toMatch(/^\S{19}$/);
    expect(listed.users.map((u) => u.email)).toEqual(['can.bo@xalachong.vn']);
    expect(disableOutside.status).toBe(404); // as an unknown user: the list hides it, so the answer does too
  });

  it('refuses bad input with every problem listed and changes nothing', async () => {
    // Act
    const result = await usersCli(
      'add',
      '--email',
      'not-an-email',
      '--name',
      'X',
      '--units',
      `${CAMPAIGN}:99999,nope:1`,
      '--scope',
      'progress:read superuser',
    );
    const listed = await usersCli('list');
    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('email');
    expect(result.stderr).toContain('unknown unit "99999"');
    expect(result.stderr).toContain('unknown campaign "nope"');
    expect(result.stderr).toContain('unknown scope "superuser"');
    expect(listed.stdout).not.toContain('not-an-email');
  });
});

/**
 * Sign-in. The token (a JWT the API accepts) lives in sessionStorage: it ends with the tab.
 * - Token link: `/#token=<JWT>` (local mode, and in AWS for a token handed out by hand). The token is
 *   taken from the address bar and the fragment removed at once (history.replaceState), so it is
 *   neither bookmarked nor shown.
 * - OpenID provider (config.json `auth`): authorization code with PKCE through oauth4webapi (loaded
 *   only when used, so it costs the first page nothing).
 */
import type { AuthConfig } from './config.js';

const TOKEN_KEY = 'dashboard.token';
const PKCE_KEY = 'dashboard.pkce';

export interface Claims {
  readonly sub: string;
  readonly scope: readonly string[];
  readonly units: readonly string[];
  readonly exp: number | null;
}

/** The token's claims, read (not verified: the API verifies); null for a token that is not a JWT. */
export function claimsOf(token: string): Claims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const list = (v: unknown): string[] =>
      Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];
    return {
      sub: typeof payload.sub === 'string' ? payload.sub : '',
      scope: list(payload.scope),
      units: Array.isArray(payload.units) ? payload.units.map(String) : list(payload.units),
      exp: typeof payload.exp === 'number' ? payload.exp : null,
    };
  } catch {
    return null;
  }
}

/** Takes `#token=` from the address bar into sessionStorage. */
export function absorbTokenLink(): void {
  const match = /^#token=([A-Za-z0-9._~-]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, match[1]);
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function currentToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const claims = claimsOf(token);
  if (claims?.exp && claims.exp * 1000 < Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

export function signOut(auth: AuthConfig | undefined): void {
  sessionStorage.removeItem(TOKEN_KEY);
  if (auth?.logoutUrl) location.assign(auth.logoutUrl);
  else location.assign('/');
}

const insecure = (issuer: string) => new URL(issuer).protocol === 'http:';

async function authorizationServer(auth: AuthConfig) {
  const oauth = await import('oauth4webapi');
  const issuer = new URL(auth.issuer);
  const options = insecure(auth.issuer) ? { [oauth.allowInsecureRequests]: true } : {};
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  return { oauth, as, options };
}

/** Sends the browser to the provider's sign-in page (authorization code + PKCE). */
export async function beginSignIn(auth: AuthConfig): Promise<void> {
  const { oauth, as } = await authorizationServer(auth);
  if (!as.authorization_endpoint) throw new Error('the provider has no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(
    PKCE_KEY,
    JSON.stringify({ verifier, state, returnTo: location.pathname + location.search }),
  );
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('redirect_uri', auth.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', auth.scope ?? 'openid progress:read');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
}

/**
 * On the way back from the provider (`?code=…&state=…`): exchanges the code for tokens and keeps
 * the access token (the API's JWT authorizer wants it). Returns the path to go back to, or null when
 * this page load is not a sign-in callback.
 */
export async function completeSignIn(auth: AuthConfig): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const saved = sessionStorage.getItem(PKCE_KEY);
  if (!saved || (!params.has('code') && !params.has('error'))) return null;
  sessionStorage.removeItem(PKCE_KEY);
  const { verifier, state, returnTo } = JSON.parse(saved) as {
    verifier: string;
    state: string;
    returnTo: string;
  };
  const { oauth, as, options } = await authorizationServer(auth);
  const client = { client_id: auth.clientId };
  const callback = oauth.validateAuthResponse(as, client, new URL(location.href), state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    callback,
    auth.redirectUri,
    verifier,
    options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  sessionStorage.setItem(TOKEN_KEY, tokens.access_token);
  history.replaceState(null, '', returnTo || '/');
  return returnTo || '/';
}

/** The units the token grants in one campaign: 'all', or the unit ids (each with its subtree). */
export function grantedIn(claims: Claims, campaignId: string): 'all' | string[] {
  const units: string[] = [];
  for (const element of claims.units) {
    if (element === '*' || element === `${campaignId}:*`) return 'all';
    const colon = element.indexOf(':');
    if (colon < 0) units.push(element);
    else if (element.slice(0, colon) === campaignId) units.push(element.slice(colon + 1));
  }
  return units;
}

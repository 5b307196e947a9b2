/**
 * `config.json`, written beside the app: by the local runtime (npm start), and by the stack in AWS.
 * `{ apiUrl, auth?: { issuer, clientId, redirectUri, scope? } }`. Without `auth`, sign-in is the
 * token link only (`/#token=<JWT>`, printed by `npm start` and `npm run token -- … --link`).
 */
export interface AuthConfig {
  /** The OpenID provider (Cognito: https://cognito-idp.<region>.amazonaws.com/<poolId>). */
  readonly issuer: string;
  readonly clientId: string;
  /** Where the provider sends the browser back: the dashboard's own URL (e.g. https://…/). */
  readonly redirectUri: string;
  /** Requested scopes; default "openid progress:read". */
  readonly scope?: string;
  /** Where to go after sign-out (Cognito's /logout with client_id and logout_uri), optional. */
  readonly logoutUrl?: string;
}

export interface AppConfig {
  /** The API's base URL, without a trailing slash ("" = the same origin). */
  readonly apiUrl: string;
  readonly auth?: AuthConfig;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Reads and checks config.json; a missing or broken file means "same origin, token link only". */
export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) return { apiUrl: '' };
    const raw: unknown = await response.json();
    if (!isRecord(raw)) return { apiUrl: '' };
    const apiUrl = typeof raw.apiUrl === 'string' ? raw.apiUrl.replace(/\/+$/, '') : '';
    const a = raw.auth;
    if (
      isRecord(a) &&
      typeof a.issuer === 'string' &&
      typeof a.clientId === 'string' &&
      typeof a.redirectUri === 'string'
    ) {
      return {
        apiUrl,
        auth: {
          issuer: a.issuer,
          clientId: a.clientId,
          redirectUri: a.redirectUri,
          ...(typeof a.scope === 'string' && { scope: a.scope }),
          ...(typeof a.logoutUrl === 'string' && { logoutUrl: a.logoutUrl }),
        },
      };
    }
    return { apiUrl };
  } catch {
    return { apiUrl: '' };
  }
}

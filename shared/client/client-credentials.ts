/**
 * A token source for machine clients (an intake app on a district's tablets): OAuth 2.0 client
 * credentials at the identity provider's token endpoint (Cognito's `/oauth2/token` in AWS, the
 * local runtime's locally), with HTTP Basic client authentication. The token is cached until
 * shortly before it expires and fetched again then; concurrent callers share one request. The
 * secret is never logged nor put into an error message.
 *
 * ```ts
 * const token = clientCredentials({ tokenUrl: 'https://<domain>/oauth2/token', clientId, clientSecret });
 * const client = new IntakeClient({ baseUrl, token });
 * ```
 */
import type { FetchLike } from './intake-client.js';

export interface ClientCredentialsOptions {
  /** `https://<domain>.auth.<region>.amazoncognito.com/oauth2/token`, or `<local base URL>/oauth2/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes to ask for (space-separated); leave out to get every scope the client holds. */
  readonly scope?: string;
  /** Fetch again this many seconds before expiry (default 60). */
  readonly refreshSkewSeconds?: number;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
}

/** The token endpoint refused the client or failed: the message names the status and OAuth error only. */
export class ClientCredentialsError extends Error {
  override readonly name = 'ClientCredentialsError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A function returning a valid access token: pass it as IntakeClient's `token`. */
export type TokenSource = (() => Promise<string>) & { readonly invalidate: () => void };

export function clientCredentials(options: ClientCredentialsOptions): TokenSource {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const now = options.now ?? Date.now;
  const skewMs = (options.refreshSkewSeconds ?? 60) * 1000;
  // RFC 6749 §2.3.1: form-encode id and secret before Basic.
  const basic = btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`);
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const request = async (): Promise<string> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) body.set('scope', options.scope);
    let response: Response;
    try {
      response = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: body.toString(),
      });
    } catch (error) {
      throw new ClientCredentialsError(`token endpoint unreachable: ${(error as Error).message}`);
    }
    const payload = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!response.ok || typeof payload.access_token !== 'string') {
      const error = typeof payload.error === 'string' ? payload.error : 'no access_token';
      throw new ClientCredentialsError(
        `client ${options.clientId}: token endpoint answered ${response.status} (${error})`,
        response.status,
      );
    }
    const lifetime = typeof payload.expires_in === 'number' ? payload.expires_in : 3600;
    cached = { token: payload.access_token, expiresAt: now() + lifetime * 1000 };
    return payload.access_token;
  };

  const source = async (): Promise<string> => {
    if (cached && cached.expiresAt - skewMs > now()) return cached.token;
    pending ??= request().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return Object.assign(source, {
    invalidate: () => {
      cached = undefined;
    },
  });
}

/**
 * The local identity provider: what Cognito (user pool, managed login, pre-token-generation
 * trigger) is in AWS, at the paths Cognito serves, built on oidc-provider (a certified OpenID
 * provider) rather than hand-written OAuth:
 *
 * - `GET /.well-known/openid-configuration`, `GET /.well-known/jwks.json` (the RS256 key of
 *   .local/keys/, the one `npm run token` signs with, so the gateway verifies both);
 * - `GET /oauth2/authorize` → a sign-in page (`/oauth2/interaction/<uid>`), e-mail and password
 *   checked against the registry's argon2id hash;
 * - `POST /oauth2/token`: `client_credentials` (HTTP Basic; clients from the registry),
 *   `authorization_code` with PKCE (the dashboard, a public client), `refresh_token`.
 *
 * Every access token is a JWT whose `scope` and `units` come from the registry when it is issued
 * (refreshes included), through accessTokenClaims, the same function as the Cognito trigger's: a
 * disabled user, a removed client or user gets no token, a changed grant shows in the next one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Adapter, type AdapterPayload, type Configuration, errors } from 'oidc-provider';
import {
  accessTokenClaims,
  IDENTITY_SCOPES,
  type Principal,
  resourceServerScopes,
} from '../../../shared/domain/identity.js';
import { clientSecretOf, verifyPassword } from '../../../shared/identity/local-directory.js';
import type { IdentityStore } from '../../../shared/store/identity-store.js';
import { LOCAL_ALG, LOCAL_AUDIENCE, type LocalSigningKeys } from '../tokens.js';
import { signInPage } from './sign-in-page.js';

/** The dashboard's client id locally (a public client: authorization code with PKCE). */
export const DASHBOARD_CLIENT_ID = 'dashboard';
/** Access tokens live one hour, as in AWS. */
const ACCESS_TOKEN_TTL = 3600;
const REFRESH_TOKEN_TTL = 30 * 24 * 3600;
const INTERACTION_PATH = '/oauth2/interaction/';
/** The API as an OAuth resource (RFC 8707 wants an absolute URI); its tokens' audience is LOCAL_AUDIENCE. */
const API_RESOURCE = 'urn:quota-campaign:api';

export interface LocalIdentityOptions {
  /** The local base URL (`http://127.0.0.1:<port>`): the issuer. */
  readonly issuer: string;
  readonly keys: LocalSigningKeys;
  /** Key behind local client secrets (shared/identity/local-directory.ts). */
  readonly clientSecretKey: Buffer;
  readonly store: IdentityStore;
  /** Extra redirect URIs for the dashboard client (its own port is always allowed). */
  readonly dashboardRedirectUris?: readonly string[];
  readonly log?: (line: string) => void;
}

/** oidc-provider's storage: tokens, sessions, grants in memory; clients from the registry. */
function adapterFor(store: IdentityStore, clientSecretKey: Buffer) {
  const memory = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  const byGrant = new Map<string, Set<string>>();
  const live = (key: string) => {
    const entry = memory.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt < Date.now()) {
      memory.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class RegistryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      memory.set(this.key(id), {
        payload,
        ...(expiresIn ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
      });
      if (payload.grantId) {
        const set = byGrant.get(payload.grantId) ?? new Set<string>();
        set.add(this.key(id));
        byGrant.set(payload.grantId, set);
      }
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model !== 'Client') return live(this.key(id));
      const client = await store.clients.get(id);
      if (!client) return undefined;
      return {
        client_id: client.clientId,
        client_secret: clientSecretOf(clientSecretKey, client.clientId),
        client_name: client.name,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      };
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key, entry] of memory) {
        if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return live(key);
      }
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const entry = memory.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      memory.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of byGrant.get(grantId) ?? []) memory.delete(key);
      byGrant.delete(grantId);
    }
  };
}

/** The registry's principal behind a token: the user (accountId = e-mail) or the machine client. */
async function principalOf(store: IdentityStore, token: { accountId?: string; clientId?: string }) {
  if (token.accountId) return (await store.users.get(token.accountId)) ?? undefined;
  if (token.clientId && token.clientId !== DASHBOARD_CLIENT_ID)
    return (await store.clients.get(token.clientId)) ?? undefined;
  return undefined;
}

export interface LocalIdentityProvider {
  /** Handles the request when its path is the provider's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const isLoopbackOrigin = (origin: string) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin);

export function createLocalIdentityProvider(options: LocalIdentityOptions): LocalIdentityProvider {
  const { store } = options;
  const configuration: Configuration = {
    adapter: adapterFor(store, options.clientSecretKey),
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_name: 'Dashboard',
        // native: a loopback redirect URI matches on any port (RFC 8252 §7.3), so the dashboard
        // works on the runtime's port and on a development server's.
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.issuer}/`, ...(options.dashboardRedirectUris ?? [])],
        post_logout_redirect_uris: [`${options.issuer}/`],
      },
    ],
    jwks: { keys: [options.keys.privateJwk as never] },
    enabledJWA: { idTokenSigningAlgValues: [LOCAL_ALG] },
    clientDefaults: { id_token_signed_response_alg: LOCAL_ALG },
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/oauth2/userInfo',
      revocation: '/oauth2/revoke',
      end_session: '/logout',
    },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: { email: ['email'], profile: ['name'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          // The bare names, and Cognito's `quota-campaign-api/…` form, so a client asks the same way
          // here and in AWS; the token carries the bare names (the jwt customizer below).
          scope: [...IDENTITY_SCOPES, ...resourceServerScopes()].join(' '),
          audience: LOCAL_AUDIENCE,
          accessTokenTTL: ACCESS_TOKEN_TTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: LOCAL_ALG } },
        }),
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      RefreshToken: REFRESH_TOKEN_TTL,
      AuthorizationCode: 300,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: REFRESH_TOKEN_TTL,
      IdToken: ACCESS_TOKEN_TTL,
    },
    // Cognito issues a refresh token to every user sign-in, without offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    clientBasedCORS: (_ctx, origin) => isLoopbackOrigin(origin),
    findAccount: async (_ctx, id) => {
      const user = await store.users.get(id);
      // A disabled or removed user has no account: no sign-in, no code exchange, no refresh.
      if (!user || user.disabled) return undefined;
      return {
        accountId: user.email,
        claims: async () => ({ sub: user.email, email: user.email, name: user.name }),
      };
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    formats: {
      customizers: {
        // The claims of the Cognito trigger, from the registry, at every issue (refresh included).
        jwt: async (_ctx, token, jwt) => {
          const principal = (await principalOf(store, token as { accountId?: string; clientId?: string })) as
            | Principal
            | undefined;
          const decision = accessTokenClaims(principal);
          if (!decision.issue) throw new errors.InvalidGrant(`no token: ${decision.reason}`);
          jwt.payload.scope = decision.claims.scope;
          jwt.payload.units = [...decision.claims.units];
          if (principal?.kind === 'user') jwt.payload.sub = principal.sub;
        },
      },
    },
    cookies: { keys: [clientSecretOf(options.clientSecretKey, 'cookie-signing')] },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = signInPage({ error: `${out.error}: ${out.error_description ?? ''}` });
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.on('server_error', (_ctx, error) =>
    options.log?.(`identity provider error: ${error.stack ?? error}`),
  );
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    const clientName = String(details.params.client_id ?? '');
    if (req.method === 'GET')
      return html(200, signInPage({ action: `${INTERACTION_PATH}${details.uid}`, clientName }));
    const form = new URLSearchParams(await readText(req));
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const user = email ? await store.users.get(email) : null;
    const ok =
      user !== null &&
      !user.disabled &&
      user.passwordHash !== undefined &&
      (await verifyPassword(password, user.passwordHash));
    if (!ok || !user) {
      options.log?.(`sign-in refused for ${email || '(no e-mail)'}`);
      return html(
        401,
        signInPage({
          action: `${INTERACTION_PATH}${details.uid}`,
          clientName,
          email,
          error: 'Sai e-mail hoặc mật khẩu / Wrong e-mail or password',
        }),
      );
    }
    const requested = String(details.params.scope ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId: user.email, clientId: clientName }))
      : new provider.Grant({ accountId: user.email, clientId: clientName });
    const oidcScopes = requested.filter((s) => ['openid', 'email', 'profile', 'offline_access'].includes(s));
    if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
    grant.addResourceScope(API_RESOURCE, [...IDENTITY_SCOPES, ...resourceServerScopes()].join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.email }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path.startsWith(INTERACTION_PATH)) {
        await interaction(req, res);
        return true;
      }
      if (
        path.startsWith('/.well-known/') ||
        path.startsWith('/oauth2/') ||
        path === '/logout' ||
        path.startsWith('/session/')
      ) {
        await callback(req, res);
        return true;
      }
      return false;
    },
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

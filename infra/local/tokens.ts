/**
 * Local JWTs: an RS256 key pair under .local/keys/, created on first use (API Gateway's JWT
 * authorizer accepts RSA keys only, so local tokens use the same kind). The local identity
 * provider (infra/local/identity/) signs with it, and so does `npm run token`; the local gateway
 * verifies tokens with it as API Gateway's JWT authorizer does in AWS: signature, issuer,
 * audience, expiry, not-before, and an `iat` no more than a minute in the future.
 *
 * The issuer is the local base URL (`http://127.0.0.1:<port>`), where discovery and the keys are
 * served. The running system records it in the keys folder (`issuer`) when it starts, so tokens
 * minted by `npm run token` carry the same issuer as those of the local identity provider.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** The issuer when no local system has recorded one: the default `npm start` address. */
export const DEFAULT_LOCAL_ISSUER = 'http://127.0.0.1:3000';
export const LOCAL_AUDIENCE = 'quota-campaign-api';
export const LOCAL_ALG = 'RS256';
/** How far in the future an `iat` may lie (clock skew) before a token is refused. */
export const IAT_SKEW_SECONDS = 60;

const KEY_FILE = 'jwt-signing-key.rs256.json';
const ISSUER_FILE = 'issuer';

export interface LocalSigningKeys {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  /** The issuer the running local system recorded (its base URL), if any. */
  readonly issuer?: string;
}

async function readIssuer(keysDir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(keysDir, ISSUER_FILE), 'utf8')).trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Records the local base URL as the issuer of every local token (the runtime calls it at start). */
export async function recordIssuer(keysDir: string, issuer: string): Promise<void> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await writeFile(join(keysDir, ISSUER_FILE), `${issuer}\n`, { mode: 0o600 });
}

export async function loadOrCreateKeys(keysDir: string): Promise<LocalSigningKeys> {
  const file = join(keysDir, KEY_FILE);
  const issuer = await readIssuer(keysDir);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as LocalSigningKeys;
    return {
      kid: stored.kid,
      privateJwk: stored.privateJwk,
      publicJwk: stored.publicJwk,
      ...(issuer && { issuer }),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALG, {
    extractable: true,
    modulusLength: 2048,
  });
  const kid = `local-${Date.now().toString(36)}`;
  const keys: LocalSigningKeys = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: LOCAL_ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: LOCAL_ALG, use: 'sig' },
  };
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  // 'wx': if two processes race to create the key, the loser reads the winner's.
  try {
    await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeys(keysDir);
    throw error;
  }
  return { ...keys, ...(issuer && { issuer }) };
}

export interface TokenRequest {
  readonly sub: string;
  readonly units: readonly string[];
  readonly scope: string;
  readonly ttlSeconds?: number;
  /** Default: the issuer the running system recorded, else {@link DEFAULT_LOCAL_ISSUER}. */
  readonly issuer?: string;
  /** Only for tests of the verifier: the `iat` to write (default now). */
  readonly issuedAt?: number;
}

export async function mintToken(keys: LocalSigningKeys, request: TokenRequest): Promise<string> {
  const key = await importJWK(keys.privateJwk, LOCAL_ALG);
  const now = Math.floor(Date.now() / 1000);
  const iat = request.issuedAt ?? now;
  return new SignJWT({ scope: request.scope, units: [...request.units] })
    .setProtectedHeader({ alg: LOCAL_ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(request.issuer ?? keys.issuer ?? DEFAULT_LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (request.ttlSeconds ?? 3600))
    .sign(key);
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export interface VerifierOptions {
  /** The accepted `iss`: the local base URL. Default: the issuer recorded with the keys. */
  readonly issuer?: string;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/**
 * Verifies as API Gateway's JWT authorizer does: RS256 signature with the local key, `iss`,
 * `aud` (or `client_id` when `aud` is absent, as Cognito access tokens carry it), `exp`, `nbf`,
 * and `iat` not more than {@link IAT_SKEW_SECONDS} ahead of the clock.
 */
export async function createVerifier(
  keys: LocalSigningKeys,
  options: VerifierOptions = {},
): Promise<TokenVerifier> {
  const key = await importJWK(keys.publicJwk, LOCAL_ALG);
  const issuer = options.issuer ?? keys.issuer ?? DEFAULT_LOCAL_ISSUER;
  return async (token) => {
    const currentDate = options.now?.() ?? new Date();
    const { payload } = await jwtVerify(token, key, {
      issuer,
      algorithms: [LOCAL_ALG],
      requiredClaims: ['sub', 'exp'],
      currentDate,
    });
    const audiences =
      payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const audienceOk =
      audiences.length > 0 ? audiences.includes(LOCAL_AUDIENCE) : payload.client_id === LOCAL_AUDIENCE;
    if (!audienceOk) throw new Error(`unexpected "aud" claim value (expected ${LOCAL_AUDIENCE})`);
    const now = Math.floor(currentDate.getTime() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + IAT_SKEW_SECONDS) {
      throw new Error(`"iat" claim is more than ${IAT_SKEW_SECONDS} s in the future`);
    }
    return payload;
  };
}

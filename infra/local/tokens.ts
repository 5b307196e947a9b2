/**
 * Local JWTs: an ES256 key pair under .local/keys/, created on first use. The local gateway
 * verifies tokens with it exactly as API Gateway's JWT authorizer does in AWS: signature,
 * issuer, audience, expiry (and not-before).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

export const LOCAL_ISSUER = 'https://quota-campaign.local/issuer';
export const LOCAL_AUDIENCE = 'quota-campaign-api';
const ALG = 'ES256';

export interface LocalSigningKeys {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function loadOrCreateKeys(keysDir: string): Promise<LocalSigningKeys> {
  const file = join(keysDir, 'jwt-signing-key.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalSigningKeys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const keys: LocalSigningKeys = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  // 'wx': if two processes race to create the key, the loser reads the winner's.
  try {
    await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeys(keysDir);
    throw error;
  }
  return keys;
}

export interface TokenRequest {
  readonly sub: string;
  readonly units: readonly string[];
  readonly scope: string;
  readonly ttlSeconds?: number;
}

export async function mintToken(keys: LocalSigningKeys, request: TokenRequest): Promise<string> {
  const key = await importJWK(keys.privateJwk, ALG);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: request.scope, units: [...request.units] })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 3600))
    .sign(key);
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export async function createVerifier(keys: LocalSigningKeys): Promise<TokenVerifier> {
  const key = await importJWK(keys.publicJwk, ALG);
  return async (token) => {
    const { payload } = await jwtVerify(token, key, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      requiredClaims: ['sub', 'exp'],
    });
    return payload;
  };
}

/** Local tokens: RS256 (API Gateway's JWT authorizer accepts RSA keys only), and the authorizer's checks. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  DEFAULT_LOCAL_ISSUER,
  IAT_SKEW_SECONDS,
  LOCAL_ALG,
  loadOrCreateKeys,
  mintToken,
  recordIssuer,
} from '../../../../infra/local/tokens.js';

const keysDir = () => mkdtempSync(join(tmpdir(), 'quota-keys-'));
const claims = { sub: 'post-17', units: ['12046'], scope: 'intake:write' };

describe('local tokens', () => {
  it('signs with an RSA key (RS256) and publishes an RSA public key', async () => {
    // Arrange
    const keys = await loadOrCreateKeys(keysDir());
    // Act
    const token = await mintToken(keys, claims);
    // Assert
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(keys.publicJwk.kty).toBe('RSA');
    expect(keys.publicJwk.d).toBeUndefined();
  });

  it('uses the issuer the running system recorded, and the verifier checks it', async () => {
    // Arrange
    const dir = keysDir();
    await loadOrCreateKeys(dir);
    await recordIssuer(dir, 'http://127.0.0.1:4555');
    const keys = await loadOrCreateKeys(dir);
    const verify = await createVerifier(keys);
    // Act
    const payload = await verify(await mintToken(keys, claims));
    // Assert
    expect(payload.iss).toBe('http://127.0.0.1:4555');
    await expect(verify(await mintToken(keys, { ...claims, issuer: DEFAULT_LOCAL_ISSUER }))).rejects.toThrow(
      /iss/,
    );
  });

  it(`refuses a token whose iat is more than ${IAT_SKEW_SECONDS} s in the future, accepts a small skew`, async () => {
    // Arrange
    const keys = await loadOrCreateKeys(keysDir());
    const verify = await createVerifier(keys);
    const now = Math.floor(Date.now() / 1000);
    // Act / Assert
    await expect(verify(await mintToken(keys, { ...claims, issuedAt: now + 300 }))).rejects.toThrow(/iat/);
    await expect(verify(await mintToken(keys, { ...claims, issuedAt: now + 30 }))).resolves.toMatchObject({
      sub: 'post-17',
    });
  });

  it('refuses an expired token, another audience, and an HMAC token', async () => {
    // Arrange
    const keys = await loadOrCreateKeys(keysDir());
    const verify = await createVerifier(keys);
    const now = Math.floor(Date.now() / 1000);
    const wrongAudience = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: LOCAL_ALG, kid: keys.kid })
      .setIssuer(DEFAULT_LOCAL_ISSUER)
      .setAudience('someone-else')
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(keys.privateJwk, LOCAL_ALG));
    const hmac = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(DEFAULT_LOCAL_ISSUER)
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length!'));
    // Act / Assert
    await expect(
      verify(await mintToken(keys, { ...claims, issuedAt: now - 7200, ttlSeconds: 60 })),
    ).rejects.toThrow(/exp/);
    await expect(verify(wrongAudience)).rejects.toThrow(/aud/);
    await expect(verify(hmac)).rejects.toThrow();
  });
});

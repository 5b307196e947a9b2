/**
 * The directory of the local identity provider (infra/local/identity/): what Cognito keeps in
 * AWS. A user's password is a one-time password, stored only as an argon2id hash (a memory-hard
 * function: 19 MiB, 2 passes, OWASP's minimum) in the registry item. A client's secret is not
 * stored at all: it is an HMAC of the client id under a key kept in .local/keys/, so the local
 * provider recomputes it and a copy of the database reveals none.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { argon2id, argon2Verify } from 'hash-wasm';
import type { IdentityDirectory } from './registry.js';

const SECRET_KEY_FILE = 'client-secret-key';

export async function hashPassword(password: string): Promise<string> {
  return argon2id({
    password,
    salt: randomBytes(16),
    parallelism: 1,
    iterations: 2,
    memorySize: 19_456,
    hashLength: 32,
    outputType: 'encoded',
  });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** The key behind local client secrets, created on first use. */
export async function loadClientSecretKey(keysDir: string): Promise<Buffer> {
  const file = join(keysDir, SECRET_KEY_FILE);
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return loadClientSecretKey(keysDir);
}

export const clientSecretOf = (key: Buffer, clientId: string) =>
  createHmac('sha256', key).update(`client-secret:${clientId}`).digest('base64url');

export function isClientSecret(key: Buffer, clientId: string, presented: string): boolean {
  const expected = Buffer.from(clientSecretOf(key, clientId));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A readable one-time password: 4 groups of 4 (about 80 bits). */
function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

export function localDirectory(keysDir: string): IdentityDirectory {
  return {
    async createUser() {
      const password = oneTimePassword();
      return { sub: randomUUID(), oneTimePassword: password, passwordHash: await hashPassword(password) };
    },
    // The registry item is what the local provider reads: nothing else to change.
    async setUserEnabled() {},
    async deleteUser() {},
    async createClient() {
      const clientId = `c-${randomBytes(10).toString('hex')}`;
      return { clientId, clientSecret: clientSecretOf(await loadClientSecretKey(keysDir), clientId) };
    },
    async deleteClient() {},
  };
}

/**
 * `npm run token -- --sub <id> --units <id,id> --scope "<scopes>" [--ttl <seconds>]`
 * prints a JWT signed with the local key (.local/keys/), alone on stdout.
 */
import { parseArgs } from 'node:util';
import { SCOPES } from '../../../shared/auth/claims.js';
import { localPaths } from '../paths.js';
import { loadOrCreateKeys, mintToken } from '../tokens.js';

const USAGE =
  'usage: npm run token -- --sub <id> --units <id,id|*> --scope "<intake:write progress:read admin>" [--ttl <seconds>]';

function fail(message: string): never {
  console.error(`token: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { sub?: string; units?: string; scope?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      options: {
        sub: { type: 'string' },
        units: { type: 'string' },
        scope: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.sub) fail('--sub is required');
  if (!values.units) fail('--units is required (unit ids, comma-separated, or "*")');
  if (!values.scope) fail('--scope is required');
  const units = values.units
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const scopes = values.scope.split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) fail(`unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 365 * 24 * 3600)
    fail('--ttl must be a whole number of seconds');

  const keys = await loadOrCreateKeys(localPaths().keys);
  process.stdout.write(
    `${await mintToken(keys, { sub: values.sub, units, scope: scopes.join(' '), ttlSeconds: ttl })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
});

/**
 * `npm run token -- --sub <id> --units <id,id> --scope "<scopes>" [--ttl <seconds>] [--link]`
 * prints a JWT signed with the local key (.local/keys/), alone on stdout; with --link, the dashboard's
 * sign-in link `http://127.0.0.1:<port>/#token=<JWT>` (the port of the running system, else 3000).
 */
import { SCOPES } from '../../../shared/auth/claims.js';
import { parseArguments } from '../arguments.js';
import { localPaths } from '../paths.js';
import { readRuntimeDescriptor } from '../runtime/descriptor.js';
import { loadOrCreateKeys, mintToken } from '../tokens.js';

const USAGE =
  'usage: npm run token -- --sub <id> --units <id,id|*> --scope "<intake:write progress:read admin>" [--ttl <seconds>] [--link]';

function fail(message: string): never {
  console.error(`token: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const parsed = parseArguments(
    process.argv.slice(2),
    { strings: ['sub', 'units', 'scope', 'ttl'], flags: ['link', 'help'], short: { help: 'h' } },
    USAGE,
    'token',
  );
  if (!parsed) process.exit(2);
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
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

  const paths = localPaths();
  const keys = await loadOrCreateKeys(paths.keys);
  const token = await mintToken(keys, { sub: values.sub, units, scope: scopes.join(' '), ttlSeconds: ttl });
  if (values.link) {
    const base = (await readRuntimeDescriptor(paths))?.url ?? 'http://127.0.0.1:3000';
    process.stdout.write(`${base}/#token=${token}\n`);
  } else {
    process.stdout.write(`${token}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
});

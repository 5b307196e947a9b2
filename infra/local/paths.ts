import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (infra/local/ is two levels down). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where local mode keeps its state: DynamoDB Local's database, the JWT signing key, the
 * runtime descriptor that CLIs read, the alert outbox. Git-ignored. QUOTA_LOCAL_DIR moves it
 * (tests use a temporary directory so they never touch a developer's data).
 */
export function localPaths(dir = process.env.QUOTA_LOCAL_DIR ?? join(REPO_ROOT, '.local')) {
  return {
    dir,
    db: join(dir, 'dynamodb'),
    keys: join(dir, 'keys'),
    runtime: join(dir, 'runtime.json'),
    /** Stream pollers' checkpoints (one file per stream-triggered function). */
    streams: join(dir, 'streams'),
    /** The stream's on-failure destination: discarded batches and poison records, one JSON line each. */
    streamFailures: join(dir, 'rollup-failures.jsonl'),
    /** The SNS stand-in's deliveries: one JSON line per message delivered to a recipient. */
    alerts: join(dir, 'alerts.jsonl'),
  };
}
export type LocalPaths = ReturnType<typeof localPaths>;

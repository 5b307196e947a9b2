/**
 * Reorganisation's scheduled passes (EventBridge Scheduler, every 5 minutes at any hour): each
 * campaign whose migration has not converged, or is still in its day of reconciliation, gets its
 * passes (shared/jobs/migration-job.ts; the argument in docs/ARCHITECTURE.md, "Reorganisation").
 * An import runs the first passes itself; this finishes an interrupted one and declares convergence
 * minutes after the settle time, whatever the hour, so `reorganising` and the 409 on another
 * structural import do not outlast the migration. A campaign with nothing to do costs one GetItem.
 * The event may name one campaign: `{ "campaignId": "…" }` (`npm run job -- reorganise`).
 */
import { readJobEvent } from '../shared/jobs/job-event.js';
import {
  type MigrationPorts,
  type MigrationRun,
  runMigration,
  settleMsFrom,
} from '../shared/jobs/migration-job.js';
import { withLambdaContext } from '../shared/observability/lambda-context.js';
import { createLogger } from '../shared/observability/logger.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoMigrationStore } from '../shared/store/migration-store.js';

export interface ReorganiseDeps extends MigrationPorts {
  readonly campaigns: { listCampaigns(): Promise<readonly { readonly id: string }[]> };
}

const logger = createLogger('reorganise');

export function makeHandler(deps: ReorganiseDeps) {
  return async (event: unknown): Promise<{ runs: MigrationRun[]; failed: string[] }> => {
    const input = await readJobEvent('reorganise', event);
    const ids = input.campaignId
      ? [input.campaignId]
      : (await deps.campaigns.listCampaigns()).map((c) => c.id);
    const runs: MigrationRun[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      try {
        const run = await runMigration(deps, id);
        if (run) {
          runs.push(run);
          logger.info('reorganisation passes', { ...run });
        }
      } catch (error) {
        // One campaign's failure does not stop the others; the next run tries again.
        failed.push(id);
        logger.error('reorganisation pass failed', { campaignId: id, error: error as Error });
      }
    }
    // After trying every campaign: the run fails (Lambda's error metric; the scheduler retries).
    if (failed.length > 0) throw new Error(`reorganisation passes failed for ${failed.join(', ')}`);
    return { runs, failed };
  };
}

const { env, db, table } = await campaignTableFromEnv();
const catalog = new DynamoCampaignStore(db, table);
export const handler = withLambdaContext(
  logger,
  makeHandler({
    campaigns: catalog,
    catalog,
    migrations: new DynamoMigrationStore(db, table),
    clock: () => new Date(),
    settleMs: settleMsFrom(env),
  }),
);

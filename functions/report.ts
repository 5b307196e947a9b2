/**
 * The report job (EventBridge Scheduler: Mondays 07:00 local for the week that just ended, and
 * daily 07:30 for the final report the day after the deadline). On demand:
 * `{ "campaignId": "…", "unitId"?: "…", "week"?: "2021-W14", "final"?: true }` — locally
 * `npm run job -- report --campaign <id> [--unit <id>] [--week <YYYY-Www> | --final]`.
 * The work itself is in shared/jobs/report-job.ts.
 */
import type { Language } from '../shared/alerts/publisher.js';
import { publisherFromEnv } from '../shared/alerts/publisher-from-env.js';
import { requireVar } from '../shared/config/env-rules.js';
import { readJobEvent } from '../shared/jobs/job-event.js';
import { type ReportJobPorts, runReportJob } from '../shared/jobs/report-job.js';
import { withLambdaContext } from '../shared/observability/lambda-context.js';
import { createLogger } from '../shared/observability/logger.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoCorrectionStore } from '../shared/store/correction-store.js';
import { DynamoOutbox } from '../shared/store/outbox-store.js';
import { DynamoRecipientStore, type RecipientStore } from '../shared/store/recipient-store.js';
import { DynamoReportStore } from '../shared/store/report-store.js';
import { DynamoTotalsStore } from '../shared/store/totals-store.js';

/** The units that have leaders reading e-mail, and their languages. */
export function readersFrom(recipients: Pick<RecipientStore, 'list'>) {
  return {
    list: async (campaignId: string) => {
      const seen = new Map<string, { unitId: string; lang: Language }>();
      for (const r of await recipients.list(campaignId)) {
        if (r.email !== undefined) seen.set(`${r.unitId}|${r.lang}`, { unitId: r.unitId, lang: r.lang });
      }
      return [...seen.values()];
    },
  };
}

const logger = createLogger('report');

export function makeHandler(ports: ReportJobPorts) {
  return async (event: unknown) => {
    const input = await readJobEvent('report', event);
    return { runs: await runReportJob(ports, input) };
  };
}

const { env, db, table } = await campaignTableFromEnv();
const recipients = new DynamoRecipientStore(db, table);
const publisher = publisherFromEnv(recipients, env);

export const handler = withLambdaContext(
  logger,
  makeHandler({
    campaigns: new DynamoCampaignStore(db, table),
    totals: new DynamoTotalsStore(db, table),
    corrections: new DynamoCorrectionStore(db, table, requireVar(env, 'INTAKE_EVENTS_TABLE')),
    reports: new DynamoReportStore(db, table),
    readers: readersFrom(recipients),
    outbox: new DynamoOutbox(db, table),
    publisher,
    clock: () => new Date(),
    log: (message, details) => logger.info(message, details ?? {}),
  }),
);

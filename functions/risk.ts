/**
 * The risk job (EventBridge Scheduler: hourly in working hours and daily at 07:00 local). The event
 * may name a campaign and a moment: `{ "campaignId": "…", "asOf": "2021-03-13T22:30:00+07:00" }`
 * evaluates that moment (backfill, tests, `npm run job -- risk --as-of …`). The work itself is in
 * shared/jobs/risk-job.ts.
 */
import { publisherFromEnv } from '../shared/alerts/publisher-from-env.js';
import { currentEnv } from '../shared/config/env-rules.js';
import { DEFAULT_ALERT_POLICY } from '../shared/domain/alert-policy.js';
import { readJobEvent } from '../shared/jobs/job-event.js';
import {
  type MigrationPorts,
  type MigrationRun,
  runMigration,
  settleMsFrom,
} from '../shared/jobs/migration-job.js';
import { type Audience, type RiskJobPorts, runRiskJob } from '../shared/jobs/risk-job.js';
import { withLambdaContext } from '../shared/observability/lambda-context.js';
import { createLogger } from '../shared/observability/logger.js';
import type { MinSeverity } from '../shared/schemas/recipients.js';
import { DynamoAcknowledgementStore } from '../shared/store/acknowledgement-store.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoMigrationStore } from '../shared/store/migration-store.js';
import { DynamoOutbox } from '../shared/store/outbox-store.js';
import { DynamoRecipientStore, type RecipientStore } from '../shared/store/recipient-store.js';
import { DynamoRiskStore } from '../shared/store/risk-store.js';
import { DynamoSilenceStore } from '../shared/store/silence-store.js';
import { DynamoTotalsStore } from '../shared/store/totals-store.js';

/**
 * The (scope, language, channel) triples that have at least one subscriber (nothing is published
 * for nobody), each with its subscribers' minimum severity and whether they have e-mail (what an
 * SMS publish costs, for the SMS budget).
 */
export function audiencesFrom(recipients: RecipientStore) {
  return {
    list: async (campaignId: string): Promise<Audience[]> => {
      const seen = new Map<
        string,
        Audience & { members: { minSeverity: MinSeverity; hasEmail: boolean }[] }
      >();
      for (const r of await recipients.list(campaignId)) {
        for (const channel of ['sms', 'email'] as const) {
          if (r[channel] === undefined) continue;
          const key = `${r.unitId}|${r.lang}|${channel}`;
          const audience = seen.get(key) ?? { scope: r.unitId, lang: r.lang, channel, members: [] };
          audience.members.push({ minSeverity: r.minSeverity, hasEmail: r.email !== undefined });
          seen.set(key, audience);
        }
      }
      return [...seen.values()];
    },
  };
}

const logger = createLogger('risk');

export function makeHandler(ports: RiskJobPorts & { readonly reorganise?: Omit<MigrationPorts, 'clock'> }) {
  return async (event: unknown) => {
    const input = await readJobEvent('risk', event);
    const migrations = ports.reorganise
      ? await resumeMigrations(ports, ports.reorganise, input.campaignId)
      : [];
    const runs = await runRiskJob(ports, input);
    return { runs, ...(migrations.length > 0 && { migrations }) };
  };
}

/**
 * Reorganisations go on before risk is judged: each run resumes an interrupted migration and runs
 * the reconciliation passes (shared/jobs/migration-job.ts). A failure is logged, never fatal to risk.
 */
async function resumeMigrations(
  ports: RiskJobPorts,
  reorganise: Omit<MigrationPorts, 'clock'>,
  campaignId: string | undefined,
): Promise<MigrationRun[]> {
  const ids = campaignId ? [campaignId] : (await ports.campaigns.listCampaigns()).map((c) => c.id);
  const runs: MigrationRun[] = [];
  for (const id of ids) {
    try {
      const run = await runMigration({ ...reorganise, clock: ports.clock }, id);
      if (run) runs.push(run);
    } catch (error) {
      logger.error('reorganisation pass failed', { campaignId: id, error: error as Error });
    }
  }
  return runs;
}

const { env, db, table } = await campaignTableFromEnv();
const recipients = new DynamoRecipientStore(db, table);
const publisher = publisherFromEnv(recipients, env);
const outbox = new DynamoOutbox(db, table);

export const handler = withLambdaContext(
  logger,
  makeHandler({
    campaigns: new DynamoCampaignStore(db, table),
    totals: new DynamoTotalsStore(db, table),
    risk: new DynamoRiskStore(db, table),
    silences: {
      active: async (campaignId, at) => new DynamoSilenceStore(db, table).listActive(campaignId, at),
    },
    audiences: audiencesFrom(recipients),
    acknowledgements: new DynamoAcknowledgementStore(db, table),
    outbox,
    smsBudget: outbox,
    // Read at use: the local runtime sets it once it knows its own URL.
    dashboardUrl: () => currentEnv().DASHBOARD_URL,
    publisher,
    clock: () => new Date(),
    policy: DEFAULT_ALERT_POLICY,
    log: (message, details) => logger.info(message, details ?? {}),
    reorganise: {
      migrations: new DynamoMigrationStore(db, table),
      catalog: new DynamoCampaignStore(db, table),
      settleMs: settleMsFrom(env),
    },
  }),
);

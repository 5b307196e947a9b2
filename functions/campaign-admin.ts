/**
 * PUT /v1/campaigns/{campaignId} (scope admin): validate a campaign file (JSON form) and import it
 * idempotently. 201 when the campaign is new, 200 otherwise; the body says what changed.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerFrom, requireScope } from '../shared/auth/claims.js';
import { ImportRefused, importCampaign, type ReorganiseOptions } from '../shared/catalog/import.js';
import { authorizeImport } from '../shared/domain/campaign-authority.js';
import { grantsCoverUnit, unitsGrantedIn } from '../shared/domain/grants.js';
import { describePlan, planCounts } from '../shared/domain/import-plan.js';
import { type HttpHandler, httpHandler, parseJsonBody, pathParameter } from '../shared/http/handler.js';
import { queryParameters } from '../shared/http/params.js';
import { badRequest, forbidden, HttpProblem, jsonResponse } from '../shared/http/problem.js';
import {
  type MigrationPorts,
  type MigrationRun,
  runMigration,
  settleMsFrom,
} from '../shared/jobs/migration-job.js';
import { createLogger } from '../shared/observability/logger.js';
import { type CampaignStore, DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { reorganisePorts } from '../shared/store/migration-store.js';

/** A national file of ~11,400 units is about 2.5 MB; Lambda's synchronous payload limit is 6 MB. */
export const MAX_CAMPAIGN_BODY_BYTES = 6 * 1024 * 1024;

export interface CampaignAdminDeps {
  readonly store: CampaignStore;
  /** Reorganisation: moves and merges re-roll history (shared/catalog/import.ts); absent in older tests. */
  readonly reorganise?: ReorganiseOptions & { readonly migrations: MigrationPorts['migrations'] };
  readonly clock?: () => Date;
  /** How long a migration keeps reconciling after the new structure took effect (default 30 s). */
  readonly settleMs?: number;
}

const logger = createLogger('campaign-admin');

/**
 * The campaign file's check and the query's schema (shared/domain/catalog.ts, shared/schemas/campaign.ts)
 * are loaded by the route once the caller holds the admin scope, not at start: zod is evaluated at the
 * first import, not at cold start.
 */
const routeModules = () =>
  Promise.all([import('../shared/domain/catalog.js'), import('../shared/schemas/campaign.js')]);

export function makeHandler({
  store,
  reorganise,
  clock = () => new Date(),
  settleMs = 30_000,
}: CampaignAdminDeps): HttpHandler {
  return httpHandler(logger, async (event: APIGatewayProxyEventV2) => {
    const caller = callerFrom(event);
    requireScope(caller, 'admin');
    const campaignId = pathParameter(event, 'campaignId');
    const [{ checkCampaign }, { CampaignImportQuery }] = await routeModules();
    const query = queryParameters(event, CampaignImportQuery);
    const granted = unitsGrantedIn(caller.grants, campaignId);
    if (granted !== 'all' && granted.size === 0) {
      throw forbidden(`This token grants nothing in campaign ${campaignId}`);
    }
    const body = parseJsonBody(event, MAX_CAMPAIGN_BODY_BYTES);

    const { file, problems } = checkCampaign(body);
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems
      .filter((p) => p.severity === 'warning')
      .map(({ path, message }) => ({ path, message }));
    if (!file || errors.length > 0) {
      throw badRequest(
        `The campaign file has ${errors.length} error(s)`,
        errors.map(({ path, message }) => ({ path, message })),
      );
    }
    if (file.campaign.id !== campaignId) {
      throw badRequest(`campaign.id "${file.campaign.id}" does not match the path's "${campaignId}"`, [
        { path: 'campaign.id', message: `must equal the path's campaign id "${campaignId}"` },
      ]);
    }
    try {
      const plan = await importCampaign(store, file, {
        allowRemoval: query.allowRemoval === 'true',
        dryRun: query.dryRun === 'true',
        ...(reorganise && { reorganise }),
        // Judged against the campaign as stored, never against the file's own root.
        authorize: (candidate, stored) => {
          const decision = authorizeImport(candidate, stored, {
            all: caller.grants.some((g) => g.kind === 'all'),
            covers: (unitId) => stored !== null && grantsCoverUnit(caller.grants, campaignId, unitId, stored),
          });
          if (!decision.allowed) {
            throw new HttpProblem({
              status: 403,
              title: 'Forbidden',
              detail: `This token's grants do not cover these changes: ${decision.reasons.join('; ')}`,
              errors: decision.reasons.map((message) => ({ path: 'units', message })),
            });
          }
        },
      });
      let migration: MigrationRun | null = null;
      if (plan.reorganisation && reorganise && query.dryRun !== 'true') {
        // First passes now; if this is cut short, the scheduled risk job resumes it (exactly once either way).
        try {
          migration = await runMigration({ migrations: reorganise.migrations, clock, settleMs }, campaignId);
        } catch (error) {
          logger.warn('reorganisation pass failed; the scheduled job resumes it', { error: error as Error });
        }
      }
      const units = planCounts(plan);
      logger.info('campaign imported', { campaignId, sub: caller.sub, ...units });
      return jsonResponse(plan.campaignStatus === 'created' && query.dryRun !== 'true' ? 201 : 200, {
        campaignId,
        ...(query.dryRun === 'true' && { dryRun: true }),
        campaign: plan.campaignStatus,
        units,
        changes: describePlan(plan, 200).slice(1),
        ...(plan.reorganisation && {
          reorganisation: {
            epoch: plan.reorganisation.epoch,
            status: query.dryRun === 'true' ? 'planned' : (migration?.status ?? 'pending'),
            totals: plan.reorganisation.totals,
          },
        }),
        warnings,
      });
    } catch (error) {
      if (error instanceof ImportRefused) {
        throw new HttpProblem({ status: 409, title: 'Import refused', detail: error.message });
      }
      throw error;
    }
  });
}

const { env, db, table } = await campaignTableFromEnv();
export const handler = makeHandler({
  store: new DynamoCampaignStore(db, table),
  // AWS: the byCollection index is eventually consistent; give it a moment before the new epoch.
  reorganise: reorganisePorts(db, table, { indexSettleMs: env.DYNAMODB_ENDPOINT ? 0 : 2_000 }),
  settleMs: settleMsFrom(env),
});

/**
 * The scheduled jobs' inputs (functions/risk.ts, functions/report.ts). A scheduled run sends `{}`,
 * read without zod (shared/jobs/job-event.ts); these schemas are loaded for any other input (a
 * backfill, `npm run job`), which they accept or refuse with the reason.
 */
import * as z from 'zod';
import { CampaignId, UnitId } from './campaign.js';
import { lazySchema } from './lazy.js';

/** The risk job's input: a scheduled run sends `{}`; EventBridge's own fields are ignored. */
export const RiskJobEvent = lazySchema(() =>
  z.object({
    campaignId: CampaignId.optional(),
    asOf: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset' }).optional(),
  }),
);
export type RiskJobEvent = z.infer<typeof RiskJobEvent>;

/** The report job's input. */
export const ReportJobEvent = lazySchema(() =>
  z.object({
    campaignId: CampaignId.optional(),
    unitId: UnitId.optional(),
    week: z
      .string()
      .regex(/^\d{4}-W\d{2}$/, 'must be an ISO week such as 2021-W14')
      .optional(),
    final: z.boolean().optional(),
  }),
);
export type ReportJobEvent = z.infer<typeof ReportJobEvent>;

/** The reorganisation job's input (functions/reorganise.ts): one campaign, or all. */
export const ReorganiseJobEvent = lazySchema(() => z.object({ campaignId: CampaignId.optional() }));
export type ReorganiseJobEvent = z.infer<typeof ReorganiseJobEvent>;

/**
 * The read routes the dashboard needs besides progress (docs/ARCHITECTURE.md, dashboard): the
 * caller's campaigns, one campaign's settings and the caller's top units there, unit search, and a
 * unit's level history. Scope progress:read; only units inside the caller's grants (with subtrees).
 */
import * as z from 'zod';
import { Campaign, CampaignId, IsoDate, Name, UnitId } from './campaign.js';
import { lazySchema } from './lazy.js';
import { Count, RiskLevel, UnitHeading } from './progress.js';
import { QueryAsOf } from './query.js';

/** Most units one search answers. */
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 20;

export const CampaignSummary = lazySchema(() =>
  z.object({
    id: CampaignId,
    name: Name,
    rootUnitId: UnitId,
    startDate: IsoDate,
    /** The latest deadline of any unit (the campaign's end). */
    lastDeadline: IsoDate,
    /** The top units the caller holds here (each with its subtree); the root when it holds all. */
    grantedUnits: z.array(UnitId),
  }),
);
export type CampaignSummary = z.infer<typeof CampaignSummary>;

/** GET /v1/campaigns */
export const CampaignList = lazySchema(() => z.object({ campaigns: z.array(CampaignSummary) }));
export type CampaignList = z.infer<typeof CampaignList>;

export const TopUnit = lazySchema(() => z.object({ ...UnitHeading, target: Count, deadline: IsoDate }));

/** GET /v1/campaigns/{campaignId} */
export const CampaignDetail = lazySchema(() =>
  z.object({
    campaign: Campaign,
    rootUnitId: UnitId,
    lastDeadline: IsoDate,
    /** The caller's top units in this campaign, tree order. */
    topUnits: z.array(TopUnit),
  }),
);
export type CampaignDetail = z.infer<typeof CampaignDetail>;

/** GET /v1/campaigns/{campaignId}/units?q=&limit= */
export const UnitSearchQuery = lazySchema(() =>
  z.strictObject({
    q: z.string().trim().min(1, 'must not be empty').max(100),
    limit: z.coerce
      .number({ error: `must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
      .int()
      .min(1)
      .max(MAX_SEARCH_LIMIT)
      .default(DEFAULT_SEARCH_LIMIT),
  }),
);

export const UnitMatch = lazySchema(() =>
  z.object({
    ...UnitHeading,
    /** Names of the ancestors, root first (the unit's own name not included). */
    path: z.array(z.string()),
    /** Their ids, in the same order (for breadcrumbs). */
    ancestorIds: z.array(UnitId),
  }),
);
export type UnitMatch = z.infer<typeof UnitMatch>;

export const UnitSearchResponse = lazySchema(() => z.object({ units: z.array(UnitMatch) }));
export type UnitSearchResponse = z.infer<typeof UnitSearchResponse>;

/** GET /v1/campaigns/{campaignId}/units/{unitId}/risk-history */
export const RiskChange = lazySchema(() =>
  z.object({
    /** When the new level was first seen by the risk job (ISO 8601). */
    at: z.iso.datetime({ offset: true }),
    /** null for the first level the job stored. */
    from: RiskLevel.nullable(),
    to: RiskLevel,
  }),
);
/** Query of a unit's risk history (read first by plain rules: functions/campaigns.ts). */
export const RiskHistoryQuery = lazySchema(() => z.strictObject({ asOf: QueryAsOf.optional() }));

export const RiskHistoryResponse = lazySchema(() =>
  z.object({
    campaignId: CampaignId,
    unitId: UnitId,
    changes: z.array(RiskChange),
  }),
);
export type RiskHistoryResponse = z.infer<typeof RiskHistoryResponse>;

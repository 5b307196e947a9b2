/**
 * The HTTP calls the simulator makes beyond intake (which goes through the typed IntakeClient):
 * the campaign and its leaders over the admin API, the local job triggers, and the progress reads
 * the check holds against the ledger.
 */
import { IntakeClient } from '../../../shared/client/index.js';
import type { Hierarchy } from '../../../shared/domain/hierarchy.js';
import type { ReportRun } from '../../../shared/jobs/report-job.js';
import type { CampaignRun } from '../../../shared/jobs/risk-job.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import type {
  ChildrenResponse,
  DailyResponse,
  ProgressResponse,
  RiskLevel,
} from '../../../shared/schemas/progress.js';
import { normalisePhoneNumber } from '../../../shared/schemas/recipients.js';
import { mapConcurrent } from '../../../shared/util/concurrency.js';
import { answerDetail } from '../arguments.js';
import type { LocalPaths } from '../paths.js';
import { loadOrCreateKeys, mintToken } from '../tokens.js';
import type { UnitFigures } from './ledger.js';
import type { LeaderSpec } from './plan.js';

const READ_CONCURRENCY = 8;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A small admin/leader HTTP client for what IntakeClient does not cover. */
export class Api {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      const detail = answerDetail(text, ['detail', 'title']);
      throw new ApiError(response.status, `${method} ${path}: HTTP ${response.status}: ${detail}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** The admin client and the intake client, with a simulator token signed by the system's local keys. */
export async function connect(url: string, paths: LocalPaths): Promise<{ api: Api; client: IntakeClient }> {
  const token = await mintToken(await loadOrCreateKeys(paths.keys), {
    sub: 'simulator',
    units: ['*'],
    scope: 'admin intake:write progress:read',
    ttlSeconds: 12 * 3600,
  });
  const api = new Api(url, token);
  // A busy DynamoDB Local can be slow: a generous timeout keeps slowness from turning into client retries.
  const client = new IntakeClient({
    baseUrl: url,
    token,
    baseDelayMs: 200,
    maxDelayMs: 5_000,
    requestTimeoutMs: 60_000,
  });
  return { api, client };
}

const campaignPath = (campaignId: string) => `/v1/campaigns/${encodeURIComponent(campaignId)}`;

/** Imports (or re-imports) the campaign file. */
export async function putCampaign(api: Api, campaignId: string, file: CampaignFile): Promise<void> {
  await api.request('PUT', campaignPath(campaignId), file);
}

/**
 * Registers the leaders; attached, those already registered (same unit and name) are left alone, and
 * so is a leader whose number or address another recipient of the campaign already holds (within a
 * campaign an endpoint belongs to one recipient: that one then receives what the leader would).
 * Returns a line for each leader left out that way.
 */
export async function registerLeaders(
  api: Api,
  campaignId: string,
  leaders: readonly LeaderSpec[],
  attach: boolean,
): Promise<string[]> {
  type Registered = { id: string; unitId: string; name: string; sms?: string; email?: string };
  const existing = attach
    ? (await api.request<{ recipients: Registered[] }>('GET', `${campaignPath(campaignId)}/recipients`))
        .recipients
    : [];
  const notes: string[] = [];
  for (const leader of leaders) {
    if (existing.some((r) => r.unitId === leader.unitId && r.name === leader.name)) continue;
    const sms = leader.sms === undefined ? undefined : normalisePhoneNumber(leader.sms);
    const email = leader.email.trim().toLowerCase();
    const holder = existing.find(
      (r) => (sms !== undefined && r.sms === sms) || r.email?.trim().toLowerCase() === email,
    );
    if (holder) {
      const endpoint = sms !== undefined && holder.sms === sms ? sms : leader.email;
      notes.push(
        `leader of ${leader.unitId} not registered: ${endpoint} already belongs to ${holder.id} ("${holder.name}", unit ${holder.unitId}), which receives its messages`,
      );
      continue;
    }
    await api.request('POST', `${campaignPath(campaignId)}/recipients`, {
      unitId: leader.unitId,
      name: leader.name,
      ...(leader.sms !== undefined && { sms: leader.sms }),
      email: leader.email,
      lang: leader.lang,
    });
  }
  return notes;
}

/** The risk job for one evening (POST /local/jobs/risk). */
export async function runRiskJob(api: Api, campaignId: string, asOf: string): Promise<CampaignRun[]> {
  const { result } = await api.request<{ result: { runs: CampaignRun[] } }>('POST', '/local/jobs/risk', {
    campaignId,
    asOf,
  });
  return result.runs;
}

/** The report job for one week (POST /local/jobs/report). */
export async function runReportJob(api: Api, campaignId: string, week: string): Promise<ReportRun[]> {
  const { result } = await api.request<{ result: { runs: ReportRun[] } }>('POST', '/local/jobs/report', {
    campaignId,
    week,
  });
  return result.runs;
}

/** Everything read back for the check: figures per view, and each unit's level at asOf. */
export interface Reading {
  readonly live: Map<string, UnitFigures>;
  readonly asOf: Map<string, UnitFigures>;
  readonly daily: Map<string, UnitFigures>;
  readonly levels: Map<string, RiskLevel | null>;
  readonly rootPercent: number | null;
}

const figuresOf = (s: {
  total: number;
  byKind: Record<string, number>;
  byChannel: Record<string, number>;
  byGroup: Record<string, number>;
}): UnitFigures => ({ total: s.total, byKind: s.byKind, byChannel: s.byChannel, byGroup: s.byGroup });

/** Each unit's figures from the root's progress and the children of every unit that has any (1 + parents requests). */
export async function readTree(api: Api, campaignId: string, hierarchy: Hierarchy, asOf?: string) {
  const base = `${campaignPath(campaignId)}/units`;
  const q = asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`;
  const root = hierarchy.root.id;
  const parents = hierarchy.units.filter((u) => hierarchy.childrenOf(u.id).length > 0).map((u) => u.id);
  const figures = new Map<string, UnitFigures>();
  const levels = new Map<string, RiskLevel | null>();
  const rootProgress = await api.request<ProgressResponse>(
    'GET',
    `${base}/${encodeURIComponent(root)}/progress${q}`,
  );
  figures.set(root, figuresOf(rootProgress));
  levels.set(root, rootProgress.risk.level);
  await mapConcurrent(parents, READ_CONCURRENCY, async (id) => {
    const { children } = await api.request<ChildrenResponse>(
      'GET',
      `${base}/${encodeURIComponent(id)}/children${q}`,
    );
    for (const c of children) {
      figures.set(c.unit.id, figuresOf(c));
      levels.set(c.unit.id, c.risk.level);
    }
  });
  // Merged units are in no children list: their own pages (which keep their past).
  const merged = hierarchy.units.filter((u) => u.mergedInto !== undefined);
  await mapConcurrent(merged, READ_CONCURRENCY, async (u) => {
    const page = await api.request<ProgressResponse>(
      'GET',
      `${base}/${encodeURIComponent(u.id)}/progress${q}`,
    );
    figures.set(u.id, figuresOf(page));
    levels.set(u.id, page.risk.level);
  });
  return { figures, levels, rootPercent: rootProgress.percent };
}

/** Every unit's daily series over the range (one request per unit). */
async function readDaily(
  api: Api,
  campaignId: string,
  hierarchy: Hierarchy,
  range: { from: string; to: string },
) {
  const base = `${campaignPath(campaignId)}/units`;
  const daily = new Map<string, UnitFigures>();
  await mapConcurrent(hierarchy.units, READ_CONCURRENCY, async (unit) => {
    const series = await api.request<DailyResponse>(
      'GET',
      `${base}/${encodeURIComponent(unit.id)}/daily?from=${range.from}&to=${range.to}`,
    );
    const days: Record<string, number> = {};
    for (const d of series.days) if (d.count !== 0) days[d.day] = d.count;
    daily.set(unit.id, { total: 0, byKind: {}, byChannel: {}, byGroup: {}, days });
  });
  return daily;
}

/**
 * Everything the check reads: the tree live (running totals) and as of `asOf` (summed
 * DAY items, with each unit's level then), and every unit's daily series.
 */
export async function readAll(
  api: Api,
  campaignId: string,
  hierarchy: Hierarchy,
  range: { from: string; to: string },
  asOf: string,
): Promise<Reading> {
  const [live, then, daily] = await Promise.all([
    readTree(api, campaignId, hierarchy),
    readTree(api, campaignId, hierarchy, asOf),
    readDaily(api, campaignId, hierarchy, range),
  ]);
  return {
    live: live.figures,
    asOf: then.figures,
    daily,
    levels: then.levels,
    rootPercent: live.rootPercent,
  };
}

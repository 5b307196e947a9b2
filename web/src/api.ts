/**
 * A thin typed client of the API. The response types are the zod schemas' inferred types
 * (shared/schemas), so a change there breaks this build, not a leader's screen.
 */

import type { CorrectionsResponse } from '../../shared/schemas/corrections.js';
import type {
  CampaignDetail,
  CampaignList,
  RiskHistoryResponse,
  UnitSearchResponse,
} from '../../shared/schemas/dashboard.js';
import type { ChildrenResponse, DailyResponse, ProgressResponse } from '../../shared/schemas/progress.js';
import type { Recipient, SilenceRecord } from '../../shared/schemas/recipients.js';
import type { ReportList } from '../../shared/schemas/reports.js';

/** The alerts feed of a unit (built by the alerts work; absent on systems without it). */
export interface AlertEntry {
  readonly at: string;
  readonly kind: string;
  readonly severity?: string;
  readonly channel?: string;
  readonly recipient?: { readonly id: string; readonly name: string; readonly endpoint: string };
  readonly subject?: string;
  readonly body?: string;
  readonly by?: string;
  readonly note?: string;
  readonly until?: string;
}
export interface AlertFeed {
  readonly alerts: readonly AlertEntry[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

type Query = Record<string, string | number | undefined>;

export interface Api {
  campaigns(): Promise<CampaignList>;
  campaign(campaignId: string): Promise<CampaignDetail>;
  progress(campaignId: string, unitId: string, asOf?: string): Promise<ProgressResponse>;
  children(campaignId: string, unitId: string, asOf?: string): Promise<ChildrenResponse>;
  daily(campaignId: string, unitId: string, asOf?: string): Promise<DailyResponse>;
  search(campaignId: string, q: string, limit?: number): Promise<UnitSearchResponse>;
  riskHistory(campaignId: string, unitId: string, asOf?: string): Promise<RiskHistoryResponse>;
  alerts(campaignId: string, unitId: string): Promise<AlertFeed | null>;
  /** Pauses the repeats of the unit's alerts for all its leaders (until its level worsens or `until`). */
  acknowledge(campaignId: string, unitId: string, body: { note?: string }): Promise<void>;
  reports(campaignId: string, unitId: string): Promise<ReportList>;
  /** Corrections of the unit and below it, received from the campaign start through today. */
  corrections(campaignId: string, unitId: string): Promise<CorrectionsResponse>;
  reportCsv(campaignId: string, reportId: string, lang: string): Promise<Blob>;
  recipients(campaignId: string): Promise<{ recipients: Recipient[] }>;
  addRecipient(campaignId: string, body: Record<string, unknown>): Promise<Recipient>;
  removeRecipient(campaignId: string, recipientId: string): Promise<void>;
  silences(campaignId: string): Promise<{ silences: SilenceRecord[] }>;
  addSilence(campaignId: string, body: Record<string, unknown>): Promise<SilenceRecord>;
  endSilence(campaignId: string, silenceId: string): Promise<void>;
}

const enc = encodeURIComponent;

export function createApi(baseUrl: string, token: () => string | null, onUnauthorized: () => void): Api {
  async function request(
    method: string,
    path: string,
    query?: Query,
    body?: unknown,
    accept = 'application/json',
  ) {
    const url = new URL(`${baseUrl}${path}`, location.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept };
    const t = token();
    if (t) headers.authorization = `Bearer ${t}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (response.status === 401) onUnauthorized();
    if (!response.ok) {
      let title = response.statusText;
      let detail: string | undefined;
      try {
        const problem = (await response.json()) as { title?: string; detail?: string; message?: string };
        title = problem.title ?? problem.message ?? title;
        detail = problem.detail;
      } catch {
        // not problem+json
      }
      throw new ApiError(response.status, title, detail);
    }
    return response;
  }
  const get = async <T>(path: string, query?: Query): Promise<T> =>
    (await (await request('GET', path, query)).json()) as T;
  const post = async <T>(path: string, body: Record<string, unknown>): Promise<T> =>
    (await (await request('POST', path, undefined, body)).json()) as T;
  const unit = (c: string, u: string) => `/v1/campaigns/${enc(c)}/units/${enc(u)}`;

  return {
    campaigns: () => get('/v1/campaigns'),
    campaign: (c) => get(`/v1/campaigns/${enc(c)}`),
    progress: (c, u, asOf) => get(`${unit(c, u)}/progress`, { asOf }),
    children: (c, u, asOf) => get(`${unit(c, u)}/children`, { asOf }),
    daily: (c, u, asOf) => get(`${unit(c, u)}/daily`, { asOf }),
    search: (c, q, limit = 20) => get(`/v1/campaigns/${enc(c)}/units`, { q, limit }),
    riskHistory: (c, u, asOf) => get(`${unit(c, u)}/risk-history`, { asOf }),
    alerts: async (c, u) => {
      try {
        return await get<AlertFeed>(`${unit(c, u)}/alerts`);
      } catch (error) {
        // A system without the alerts feed answers 404 (no route) or 405: show that, not an error.
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
        throw error;
      }
    },
    acknowledge: async (c, u, body) => {
      await request('POST', `${unit(c, u)}/acknowledgements`, undefined, body);
    },
    reports: (c, u) => get(`/v1/campaigns/${enc(c)}/reports`, { unitId: u }),
    corrections: (c, u) => get(`${unit(c, u)}/corrections`),
    reportCsv: async (c, r, lang) =>
      (
        await request('GET', `/v1/campaigns/${enc(c)}/reports/${enc(r)}`, { lang }, undefined, 'text/csv')
      ).blob(),
    recipients: (c) => get(`/v1/campaigns/${enc(c)}/recipients`),
    addRecipient: (c, body) => post(`/v1/campaigns/${enc(c)}/recipients`, body),
    removeRecipient: async (c, r) => {
      await request('DELETE', `/v1/campaigns/${enc(c)}/recipients/${enc(r)}`);
    },
    silences: (c) => get(`/v1/campaigns/${enc(c)}/silences`),
    addSilence: (c, body) => post(`/v1/campaigns/${enc(c)}/silences`, body),
    endSilence: async (c, s) => {
      await request('DELETE', `/v1/campaigns/${enc(c)}/silences/${enc(s)}`);
    },
  };
}

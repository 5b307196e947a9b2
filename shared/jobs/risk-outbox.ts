/**
 * The risk job's outbox entries: one per notification, language and channel that has subscribers,
 * held in quiet hours, with each SMS publish's cost against the month's SMS cap; and the monthly
 * notice that 80 % of the cap is used.
 */
import type { ContactChannel, Language } from '../alerts/publisher.js';
import { renderNotification, renderSmsBudgetNotice } from '../domain/alert-messages.js';
import { type Notification, smsReleaseTime } from '../domain/alert-policy.js';
import type { ResolvedAlertSettings } from '../domain/alert-settings.js';
import { severitiesFor } from '../domain/filter-policy.js';
import type { Campaign } from '../schemas/campaign.js';
import type { OutboxEntry } from '../store/outbox-store.js';
import { alertMessage } from '../vocabulary/alerts.js';

/** Who can receive what: one entry per (scope unit, language, channel) that has at least one subscriber. */
export interface Audience {
  readonly scope: string;
  readonly lang: Language;
  readonly channel: ContactChannel;
  /**
   * For SMS: each subscriber's minimum severity and whether it also has e-mail, so the job knows
   * how many SMS a publish costs (the SMS budget). Absent: one subscriber taking everything.
   */
  readonly members?: readonly { readonly minSeverity: 'at_risk' | 'critical'; readonly hasEmail: boolean }[];
}

/** How many SMS a publish of `severity` to an SMS audience costs, normally and once the cap is reached. */
function smsCost(audience: Audience, severity: Notification['severity'] | 'info', capped: boolean): number {
  const members = audience.members ?? [{ minSeverity: 'at_risk', hasEmail: false }];
  return members.filter(
    (m) =>
      severitiesFor(m.minSeverity).includes(severity) &&
      (!capped || (!m.hasEmail && (severity === 'critical' || severity === 'info'))),
  ).length;
}

/** Where one campaign run stands with its SMS month: what is used, and whether the cap is reached. */
export interface BudgetRun {
  readonly month: string;
  readonly cap: number | null;
  used: number;
  capped: boolean;
  noticeSent: boolean;
}

/** What every entry of one campaign run is built from. */
export interface OutboxRun {
  readonly campaign: Campaign;
  readonly asOf: Date;
  readonly audiences: readonly Audience[];
  readonly settings: ResolvedAlertSettings;
  readonly budget: BudgetRun;
}

/** The units a notification names (its scope, children, escalations): the alerts feed's index. */
const aboutOf = (n: Notification): string[] => [
  ...new Set([
    n.scopeUnitId,
    ...n.children.map((c) => c.evaluation.unitId),
    ...n.escalations.map((c) => c.evaluation.unitId),
  ]),
];

/**
 * The outbox entries of one notification: one per language and channel that has subscribers. With
 * an SMS cap, an SMS publish that would go past it is replaced (for good, this month) by an
 * `sms_only` publish: SMS only to leaders without e-mail and only when critical; leaders with
 * e-mail get the e-mail publish, which then says so.
 */
export function entriesFor(
  n: Notification,
  { campaign, asOf, audiences, settings, budget }: OutboxRun,
  link: string | null,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const held = smsReleaseTime(asOf, campaign.timeZone, settings.policy.quietHours);
  const mine = audiences.filter((a) => a.scope === n.scopeUnitId);
  if (budget.cap !== null && !budget.capped) {
    const cost = mine
      .filter((a) => a.channel === 'sms')
      .reduce((s, a) => s + smsCost(a, n.severity, false), 0);
    if (cost > 0 && budget.used + cost > budget.cap) budget.capped = true;
  }
  for (const a of mine) {
    const text = renderNotification(n, {
      lang: a.lang,
      campaignName: campaign.name,
      timeZone: campaign.timeZone,
      asOf,
      ...(settings.smsBrand !== null && { smsBrand: settings.smsBrand }),
      ...(link !== null && { link }),
      smsLinks: settings.smsLinks,
      smsCapped: budget.capped,
    });
    const sms = a.channel === 'sms';
    const cost = sms ? smsCost(a, n.severity, budget.capped) : 0;
    if (sms && budget.capped && cost === 0) continue;
    const releaseAt = (sms && held ? held : asOf).toISOString();
    entries.push({
      key: `${asOf.toISOString()}#${n.scopeUnitId}#${a.lang}#${a.channel}`,
      campaignId: campaign.id,
      releaseAt,
      about: aboutOf(n),
      ...(sms && { smsCost: { month: budget.month, count: cost } }),
      message: alertMessage(text, {
        campaignId: campaign.id,
        scope: n.scopeUnitId,
        severity: n.severity,
        kind: 'alert',
        lang: a.lang,
        channel: sms && budget.capped ? 'sms_only' : a.channel,
      }),
    });
  }
  return entries;
}

/** The once-a-month notice to the root's leaders that 80 % of the SMS cap is used. */
export function budgetNoticeEntries(
  rootId: string,
  { campaign, asOf, audiences, settings, budget }: OutboxRun,
  link: string | null,
): OutboxEntry[] {
  return audiences
    .filter((a) => a.scope === rootId)
    .map((a) => {
      const text = renderSmsBudgetNotice({
        lang: a.lang,
        campaignName: campaign.name,
        month: budget.month,
        used: budget.used,
        cap: budget.cap ?? 0,
        ...(settings.smsBrand !== null && { smsBrand: settings.smsBrand }),
        ...(link !== null && { link }),
      });
      const sms = a.channel === 'sms';
      return {
        key: `sms-budget#${budget.month}#80#${rootId}#${a.lang}#${a.channel}`,
        campaignId: campaign.id,
        releaseAt: asOf.toISOString(),
        about: [rootId],
        ...(sms && { smsCost: { month: budget.month, count: smsCost(a, 'info', false) } }),
        message: alertMessage(text, {
          campaignId: campaign.id,
          scope: rootId,
          severity: 'info',
          kind: 'notice',
          lang: a.lang,
          channel: a.channel,
        }),
      };
    });
}

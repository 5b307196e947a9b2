/**
 * A campaign's alert settings (its file's `campaign.alerts`) with the defaults filled in: the
 * policy's rules and the SMS budget. Pure.
 */
import type { AlertSettings } from '../schemas/campaign.js';
import { type AlertPolicyConfig, DEFAULT_ALERT_POLICY } from './alert-policy.js';

export interface ResolvedAlertSettings {
  readonly policy: AlertPolicyConfig;
  /** Prefix of every SMS (none by default). */
  readonly smsBrand: string | null;
  /** Links in SMS when they fit (off by default: e-mails always carry them). */
  readonly smsLinks: boolean;
  /** SMS a month for the campaign (null: no cap, the default). */
  readonly smsMonthlyCap: number | null;
}

/** Share of the cap at which the root's leaders are told once. */
export const SMS_CAP_NOTICE_SHARE = 0.8;

export function resolveAlertSettings(
  settings: AlertSettings | undefined,
  base: AlertPolicyConfig = DEFAULT_ALERT_POLICY,
): ResolvedAlertSettings {
  return {
    policy: {
      for: settings?.for ?? base.for,
      repeatBackoffDays: settings?.repeatBackoffDays ?? base.repeatBackoffDays,
      escalateAfterDays: settings?.escalateAfterDays ?? base.escalateAfterDays,
      quietHours: settings?.quietHours ?? base.quietHours,
    },
    smsBrand: settings?.smsBrand ?? null,
    smsLinks: settings?.smsLinks ?? false,
    smsMonthlyCap: settings?.smsMonthlyCap ?? null,
  };
}

/** The unit's dashboard page, `<dashboardUrl>/c/{campaignId}/u/{unitId}`, or null without a dashboard URL. */
export function unitPageUrl(
  dashboardUrl: string | undefined,
  campaignId: string,
  unitId: string,
): string | null {
  if (!dashboardUrl) return null;
  return `${dashboardUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(campaignId)}/u/${encodeURIComponent(unitId)}`;
}

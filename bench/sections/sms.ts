/**
 * SMS of a national lagging campaign: how many alert SMS the commune leaders receive over 90 days
 * with the repeat back-off (1, 2, 4, then every 7 days) against daily repeats, and what they cost at
 * the dated price of bench/prices/sms-vietnam-2026-11.json (not fetched; see its caveat).
 *
 * Model: 10,600 communes, each with one leader on SMS; every commune critical from its second day
 * to the end (a lagging campaign, the worst case for repeats); the risk job hourly 07:00–22:00 and
 * the real alert policy (shared/domain/alert-policy.ts) deciding. Each commune's own messages only
 * (digests and escalations go to district and province leaders, a few hundred people).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AlertPolicyConfig,
  type AlertState,
  applyPolicy,
  DEFAULT_ALERT_POLICY,
} from '../../shared/domain/alert-policy.js';
import { addDays, zonedInstant } from '../../shared/domain/calendar.js';
import { buildHierarchy } from '../../shared/domain/hierarchy.js';
import type { RiskFigures, RiskLevel } from '../../shared/domain/risk.js';
import { row, type Section } from '../lib/types.js';

export const COMMUNE_LEADERS = 10_600;
export const CAMPAIGN_DAYS = 90;
const TZ = 'Asia/Ho_Chi_Minh';

const PRICE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'prices', 'sms-vietnam-2026-11.json');

interface SmsPrice {
  readonly recordedOn: string;
  readonly fetchedLive: boolean;
  readonly prices: { readonly smsPerMessagePart: { readonly usd: number; readonly source: string } };
}

const figures = (level: RiskLevel): RiskFigures => ({
  evaluationDay: '2021-03-01',
  remaining: 1000,
  daysLeft: 60,
  requiredDailyRate: 100,
  observedDailyRate: level === 'critical' ? 40 : null,
  paceRatio: level === 'critical' ? 0.4 : null,
  projectedCompletion: null,
  level,
});

/** Messages one commune leader receives in `days` days of hourly evaluations, critical from day 2. */
export function messagesToOneCommuneLeader(config: AlertPolicyConfig, days = CAMPAIGN_DAYS): number {
  const hierarchy = buildHierarchy([
    {
      id: 'c',
      parentId: null,
      name: 'Xã',
      level: 'commune',
      target: 1000,
      deadline: '2021-06-30',
      subTargets: [],
    },
  ]);
  let states: ReadonlyMap<string, AlertState> = new Map();
  let messages = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays('2021-03-01', d);
    for (let hour = 7; hour <= 22; hour++) {
      const level: RiskLevel = d === 0 ? 'no_data' : 'critical';
      const result = applyPolicy({
        evaluations: [
          {
            unitId: 'c',
            parentId: null,
            name: 'Xã',
            level,
            total: 0,
            target: 1000,
            percent: 0,
            figures: figures(level),
          },
        ],
        states,
        silences: [],
        asOf: zonedInstant(day, `${String(hour).padStart(2, '0')}:00`, TZ),
        config,
        hierarchy,
      });
      states = result.states;
      messages += result.notifications.length;
    }
  }
  return messages;
}

export const sms: Section = {
  name: 'sms',
  title: 'Alert SMS of a national lagging campaign (10,600 commune leaders, 90 days)',
  async run(ctx) {
    const price = JSON.parse(readFileSync(PRICE_FILE, 'utf8')) as SmsPrice;
    const usd = price.prices.smsPerMessagePart.usd;
    const backoff = messagesToOneCommuneLeader(DEFAULT_ALERT_POLICY);
    const daily = messagesToOneCommuneLeader({ ...DEFAULT_ALERT_POLICY, repeatBackoffDays: [1] });
    ctx.log(`sms: one commune leader gets ${backoff} SMS with back-off, ${daily} with daily repeats`);
    const priceNote = `at ${usd} USD a message part (${price.prices.smsPerMessagePart.source}, recorded ${price.recordedOn}, ${price.fetchedLive ? 'fetched' : 'NOT fetched, unverified'})`;
    return {
      rows: [
        row(
          'sms.perLeader',
          'alert SMS per commune leader, 90 days lagging',
          backoff,
          'SMS',
          'daily repeats',
          daily,
          'the real policy, hourly evaluations 07:00–22:00, critical from day 2 to day 90; back-off 1, 2, 4, then 7 days',
        ),
        row(
          'sms.national',
          'alert SMS, national lagging campaign',
          backoff * COMMUNE_LEADERS,
          'SMS',
          'daily repeats',
          daily * COMMUNE_LEADERS,
          `${COMMUNE_LEADERS.toLocaleString('en-US')} commune leaders on SMS, each one part`,
        ),
        row(
          'sms.national.usd',
          'alert SMS cost, national lagging campaign',
          Math.round(backoff * COMMUNE_LEADERS * usd),
          'USD',
          'daily repeats',
          Math.round(daily * COMMUNE_LEADERS * usd),
          priceNote,
        ),
      ],
      details: { perLeader: { backoff, daily }, leaders: COMMUNE_LEADERS, days: CAMPAIGN_DAYS, price },
    };
  },
};

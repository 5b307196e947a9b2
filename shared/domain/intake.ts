/**
 * Intake rules, without I/O: what makes an event acceptable, its normal form, and the payload
 * hash that tells a retry (`duplicate`) from a different event under the same id (`conflict`).
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../schemas/campaign.js';
import { IntakeEvent, MAX_CLOCK_AHEAD_MS, MAX_FUTURE_SKEW_MS } from '../schemas/intake.js';
import { issuesText } from '../schemas/issues.js';
import { localDate, startOfLocalDay } from './calendar.js';
import { type Grant, grantsCoverUnit, unitsGrantedIn } from './grants.js';
import type { Hierarchy } from './hierarchy.js';

/** What intake needs to know of a campaign: its settings and its unit tree. */
export interface CatalogView {
  readonly campaign: Campaign;
  readonly hierarchy: Hierarchy;
  /** [reorg] The structure epoch the hierarchy belongs to (shared/domain/reorganise.ts); absent: 0. */
  readonly epoch?: number;
}

/** An accepted event in normal form, with what the roll-up needs so it reads nothing else. */
export interface NormalizedEvent {
  readonly eventId: string;
  readonly campaignId: string;
  readonly unitId: string;
  /** The instant, in UTC (`2021-03-13T02:30:00.000Z`): the same moment written with any offset hashes the same. */
  readonly occurredAt: string;
  /** The local calendar day of occurredAt in the campaign's time zone. */
  readonly day: string;
  readonly count: number;
  readonly kind: string;
  readonly channel: 'fixed' | 'mobile';
  readonly group?: string;
  /** Ancestors of the unit, root first. */
  readonly path: readonly string[];
  /** [reorg] The catalogue epoch `path` comes from; absent for epoch 0 (not part of the payload hash). */
  readonly epoch?: number;
  readonly payloadHash: string;
}

export type EventCheck =
  | { readonly ok: true; readonly event: NormalizedEvent; readonly warning?: string }
  | { readonly ok: false; readonly eventId: string | null; readonly error: string };

export interface CheckContext {
  /** What the caller's token grants (shared/domain/grants.ts). */
  readonly grants: readonly Grant[];
  /** The catalogue of a campaign, or null when it does not exist (looked up before checking). */
  readonly catalogOf: (campaignId: string) => CatalogView | null;
  readonly now: Date;
}

/** The eventId as sent, if it is a string (so that a rejected event can still be matched up). */
export function eventIdOf(raw: unknown): string | null {
  if (raw !== null && typeof raw === 'object' && 'eventId' in raw) {
    const id = (raw as { eventId: unknown }).eventId;
    if (typeof id === 'string') return id;
  }
  return null;
}

/** The payload's identity: the fields a client sends, after defaults and with occurredAt as an instant. */
export function payloadHash(event: Omit<NormalizedEvent, 'payloadHash' | 'day' | 'path'>): string {
  const canonical = JSON.stringify([
    event.campaignId,
    event.eventId,
    event.unitId,
    event.occurredAt,
    event.count,
    event.kind,
    event.channel,
    event.group ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

export function checkEvent(raw: unknown, context: CheckContext): EventCheck {
  const parsed = IntakeEvent.safeParse(raw);
  if (!parsed.success) return { ok: false, eventId: eventIdOf(raw), error: issuesText(parsed.error.issues) };
  const e = parsed.data;
  const reject = (error: string): EventCheck => ({ ok: false, eventId: e.eventId, error });

  // Scope before existence: a caller learns nothing about campaigns and units it holds no grant on.
  const outside = reject(`unit "${e.unitId}" is outside the units this token may post for`);
  const granted = unitsGrantedIn(context.grants, e.campaignId);
  if (granted !== 'all' && granted.size === 0) return outside;
  const catalog = context.catalogOf(e.campaignId);
  if (!catalog) return reject(`unknown campaign "${e.campaignId}"`);
  const { campaign, hierarchy } = catalog;
  if (!grantsCoverUnit(context.grants, e.campaignId, e.unitId, hierarchy)) return outside;
  if (!hierarchy.has(e.unitId)) return reject(`unknown unit "${e.unitId}" in campaign "${e.campaignId}"`);
  // [reorg] A merged unit takes no more intake.
  const merged = hierarchy.get(e.unitId)?.mergedInto;
  if (merged !== undefined) return reject(`unit ${e.unitId} was merged into ${merged}; post for ${merged}`);
  if (!campaign.kinds.includes(e.kind)) {
    return reject(`kind "${e.kind}" is not one of this campaign's kinds (${campaign.kinds.join(', ')})`);
  }
  if (e.group !== undefined && !campaign.groups.includes(e.group)) {
    const known = campaign.groups.length > 0 ? campaign.groups.join(', ') : 'none';
    return reject(`group "${e.group}" is not one of this campaign's population groups (${known})`);
  }
  const occurred = new Date(e.occurredAt);
  const ahead = occurred.getTime() - context.now.getTime();
  if (ahead > MAX_CLOCK_AHEAD_MS) {
    return reject('occurredAt is more than 24 hours ahead of the server; check the device clock');
  }
  if (occurred.getTime() < startOfLocalDay(campaign.startDate, campaign.timeZone).getTime()) {
    return reject(`occurredAt is before the campaign started (${campaign.startDate})`);
  }

  const base = {
    eventId: e.eventId,
    campaignId: e.campaignId,
    unitId: e.unitId,
    occurredAt: occurred.toISOString(),
    count: e.count,
    kind: e.kind,
    channel: e.channel,
    ...(e.group !== undefined && { group: e.group }),
  };
  // A clock ahead of the server's: counted on the server's local day (the day cannot be in the
  // future), with a warning once the gap is more than ordinary skew.
  const countedAt = ahead > 0 ? context.now : occurred;
  const warning =
    ahead > MAX_FUTURE_SKEW_MS
      ? `occurredAt is ${Math.round(ahead / 60_000)} minutes ahead of the server; counted on the server's day ` +
        `${localDate(context.now, campaign.timeZone)}; check the device clock`
      : undefined;
  return {
    ok: true,
    ...(warning !== undefined && { warning }),
    event: {
      ...base,
      day: localDate(countedAt, campaign.timeZone),
      path: hierarchy.ancestorsOf(e.unitId),
      ...(catalog.epoch ? { epoch: catalog.epoch } : {}),
      payloadHash: payloadHash(base),
    },
  };
}

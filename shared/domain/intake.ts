/**
 * Intake rules, without I/O: what makes an event acceptable, its normal form, and the payload
 * hash that tells a retry (`duplicate`) from a different event under the same id (`conflict`).
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Campaign } from '../schemas/campaign.js';
import type { CorrectionEvent, IntakeEvent } from '../schemas/intake.js';
import {
  isCorrectionInput,
  readAnyEvent,
  readCorrectionEvent,
  readIntakeEvent,
} from '../schemas/intake-rules.js';
import { issuesText } from '../schemas/issues.js';
import { MAX_CLOCK_AHEAD_MS, MAX_FUTURE_SKEW_MS } from '../schemas/values.js';
import { localDate, startOfLocalDay } from './calendar.js';
import { type Grant, grantsCoverUnit, unitsGrantedIn } from './grants.js';
import type { Hierarchy } from './hierarchy.js';

/** What intake needs to know of a campaign: its settings and its unit tree. */
export interface CatalogView {
  readonly campaign: Campaign;
  readonly hierarchy: Hierarchy;
  /** The structure epoch the hierarchy belongs to (shared/domain/reorganise.ts); absent: 0. */
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
  /** The catalogue epoch `path` comes from; absent for epoch 0 (not part of the payload hash). */
  readonly epoch?: number;
  readonly payloadHash: string;
  /**
   * A correction only: the eventId of the event it corrects, why, and the corrected event's count
   * and occurredAt as stored. Its `day`, kind, channel and group are the corrected event's, and
   * `count` is the corrected count (0 voids).
   */
  readonly corrects?: string;
  readonly reason?: string;
  readonly originalCount?: number;
  readonly originalOccurredAt?: string;
}

/** What a correction's check needs of the stored event it corrects (an IntakeEvents item). */
export type StoredOriginal = Pick<
  NormalizedEvent,
  'eventId' | 'campaignId' | 'unitId' | 'occurredAt' | 'day' | 'count' | 'kind' | 'channel'
> & {
  readonly group?: string | undefined;
  readonly corrects?: string | undefined;
};

/**
 * The stored event a correction names: the item, null when none is stored, or `not-stored-yet` when
 * none is stored but it is in the same request (the client sends the correction again next time).
 */
export type OriginalLookup = StoredOriginal | null | 'not-stored-yet';

export type EventCheck =
  | { readonly ok: true; readonly event: NormalizedEvent; readonly warning?: string }
  | { readonly ok: false; readonly eventId: string | null; readonly error: string };

export interface CheckContext {
  /** What the caller's token grants (shared/domain/grants.ts). */
  readonly grants: readonly Grant[];
  /** The catalogue of a campaign, or null when it does not exist (looked up before checking). */
  readonly catalogOf: (campaignId: string) => CatalogView | null;
  /** The stored events corrections name (read in one batch before checking); absent: none known. */
  readonly originalOf?: (campaignId: string, eventId: string) => OriginalLookup;
  readonly now: Date;
}

/**
 * Events are read by the plain rules of shared/schemas/intake-rules.ts; the schemas (and zod with
 * them) are loaded only to say why the rules refused an event: `loadIntakeSchemas`, or
 * `prepareChecks` for a request's events, before `checkEvent` meets such an event (bench: coldstart).
 */
type IntakeSchemas = typeof import('../schemas/intake.js');
let schemas: IntakeSchemas | undefined;

export async function loadIntakeSchemas(): Promise<void> {
  schemas ??= await import('../schemas/intake.js');
}

/** Loads the schemas when the rules refuse any of these events, so `checkEvent` can give the schema's issues. */
export async function prepareChecks(raws: readonly unknown[]): Promise<void> {
  if (raws.some((raw) => readAnyEvent(raw) === undefined)) await loadIntakeSchemas();
}

/** The `corrects` of a raw event, when it is a well-formed correction's (to read originals first). */
export function correctsOf(raw: unknown): { campaignId: string; eventId: string } | null {
  const read = readCorrectionEvent(raw);
  return read ? { campaignId: read.campaignId, eventId: read.corrects } : null;
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
export function payloadHash(
  event: Pick<
    NormalizedEvent,
    'campaignId' | 'eventId' | 'unitId' | 'occurredAt' | 'count' | 'kind' | 'channel'
  > & {
    readonly group?: string | undefined;
    readonly corrects?: string | undefined;
    readonly reason?: string | undefined;
  },
): string {
  const fields: unknown[] = [
    event.campaignId,
    event.eventId,
    event.unitId,
    event.occurredAt,
    event.count,
    event.kind,
    event.channel,
    event.group ?? null,
  ];
  // Only corrections add fields, so the hashes of ordinary events stored earlier stay the same.
  if (event.corrects !== undefined) fields.push(event.corrects, event.reason ?? null);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The campaign's catalogue for an event whose unit the caller may post for and that exists, or why
 * not. Scope before existence: a caller learns nothing about campaigns and units it holds no grant on.
 */
function scopedCatalog(
  e: { readonly campaignId: string; readonly unitId: string },
  context: CheckContext,
): { readonly ok: true; readonly catalog: CatalogView } | { readonly ok: false; readonly error: string } {
  const outside = {
    ok: false,
    error: `unit "${e.unitId}" is outside the units this token may post for`,
  } as const;
  const granted = unitsGrantedIn(context.grants, e.campaignId);
  if (granted !== 'all' && granted.size === 0) return outside;
  const catalog = context.catalogOf(e.campaignId);
  if (!catalog) return { ok: false, error: `unknown campaign "${e.campaignId}"` };
  if (!grantsCoverUnit(context.grants, e.campaignId, e.unitId, catalog.hierarchy)) return outside;
  if (!catalog.hierarchy.has(e.unitId)) {
    return { ok: false, error: `unknown unit "${e.unitId}" in campaign "${e.campaignId}"` };
  }
  // A merged unit takes no more intake, corrections included (docs/ARCHITECTURE.md, reorganisation).
  const merged = catalog.hierarchy.get(e.unitId)?.mergedInto;
  if (merged !== undefined)
    return { ok: false, error: `unit ${e.unitId} was merged into ${merged}; post for ${merged}` };
  return { ok: true, catalog };
}

/** The fields every accepted event keeps as sent, its instant in UTC. */
const identityOf = (
  e: {
    readonly eventId: string;
    readonly campaignId: string;
    readonly unitId: string;
    readonly count: number;
  },
  occurred: Date,
) => ({
  eventId: e.eventId,
  campaignId: e.campaignId,
  unitId: e.unitId,
  occurredAt: occurred.toISOString(),
  count: e.count,
});

/**
 * The event read by its plain rule, else by its schema (the issues are the rejection), then scoped;
 * or its rejection.
 */
function parseScoped<
  T extends { readonly eventId: string; readonly campaignId: string; readonly unitId: string },
>(
  plain: (raw: unknown) => T | undefined,
  schemaOf: (loaded: IntakeSchemas) => z.ZodType<T>,
  raw: unknown,
  context: CheckContext,
):
  | { readonly ok: false; readonly rejected: EventCheck }
  | {
      readonly ok: true;
      readonly e: T;
      readonly catalog: CatalogView;
      readonly reject: (error: string) => EventCheck;
    } {
  let e = plain(raw);
  if (e === undefined) {
    if (!schemas) throw new Error('An event the rules refuse needs the schemas: await prepareChecks() first');
    const parsed = schemaOf(schemas).safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        rejected: { ok: false, eventId: eventIdOf(raw), error: issuesText(parsed.error.issues) },
      };
    }
    e = parsed.data;
  }
  const event = e;
  const reject = (error: string): EventCheck => ({ ok: false, eventId: event.eventId, error });
  const scoped = scopedCatalog(event, context);
  if (!scoped.ok) return { ok: false, rejected: reject(scoped.error) };
  return { ok: true, e: event, catalog: scoped.catalog, reject };
}

export function checkEvent(raw: unknown, context: CheckContext): EventCheck {
  if (isCorrectionInput(raw)) return checkCorrection(raw, context);
  const read = parseScoped<IntakeEvent>(readIntakeEvent, (s) => s.IntakeEvent, raw, context);
  if (!read.ok) return read.rejected;
  const { e, catalog, reject } = read;
  const { campaign, hierarchy } = catalog;
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
    ...identityOf(e, occurred),
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

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A correction's check (docs/ARCHITECTURE.md, corrections). Scope before existence, as for any
 * event: the correction's unit must be the caller's, then the corrected event must be stored and in
 * the caller's units, the same unit, not a correction itself, and the correction made within the
 * campaign's correctionWindowDays of it. Kind, channel and group are taken from the stored event;
 * sent ones must equal them (to change them: void the event, then post it anew).
 */
function checkCorrection(raw: unknown, context: CheckContext): EventCheck {
  const read = parseScoped<CorrectionEvent>(readCorrectionEvent, (s) => s.CorrectionEvent, raw, context);
  if (!read.ok) return read.rejected;
  const { e, catalog, reject } = read;
  const { campaign, hierarchy } = catalog;
  if (e.corrects === e.eventId) return reject('corrects must name another event than the correction itself');

  const original = context.originalOf?.(e.campaignId, e.corrects) ?? null;
  if (original === 'not-stored-yet') {
    return reject(
      `original not stored yet: event "${e.corrects}" is in this same request; send the correction again once it is accepted`,
    );
  }
  if (original === null)
    return reject(`unknown original: no event "${e.corrects}" was accepted in campaign "${e.campaignId}"`);
  // The stored event's unit, as stored: a caller learns nothing of events outside its units.
  if (!grantsCoverUnit(context.grants, e.campaignId, original.unitId, hierarchy)) {
    return reject(`event "${e.corrects}" is outside the units this token may post for`);
  }
  if (original.unitId !== e.unitId) {
    return reject(`unitId must be the corrected event's unit "${original.unitId}"`);
  }
  if (original.corrects !== undefined) {
    return reject(
      `event "${e.corrects}" is itself a correction (of "${original.corrects}"); correct the original event instead`,
    );
  }
  const mismatches = (
    [
      ['kind', e.kind, original.kind],
      ['channel', e.channel, original.channel],
      ['group', e.group, original.group],
    ] as const
  ).filter(([, sent, stored]) => sent !== undefined && sent !== stored);
  if (mismatches.length > 0) {
    return reject(
      `${mismatches.map(([f, , stored]) => `${f} must be the corrected event's (${stored ?? 'none'})`).join('; ')}: to change them, void the event (count 0) and post it anew`,
    );
  }

  const occurred = new Date(e.occurredAt);
  if (occurred.getTime() - context.now.getTime() > MAX_CLOCK_AHEAD_MS) {
    return reject('occurredAt is more than 24 hours ahead of the server; check the device clock');
  }
  const windowDays = campaign.correctionWindowDays;
  const lastAllowed = new Date(original.occurredAt).getTime() + windowDays * DAY_MS;
  if (occurred.getTime() > lastAllowed) {
    return reject(
      `out of the correction window: occurredAt is more than ${windowDays} days after the corrected event's (${original.occurredAt})`,
    );
  }

  const base = {
    ...identityOf(e, occurred),
    kind: original.kind,
    channel: original.channel,
    ...(original.group !== undefined && { group: original.group }),
    corrects: e.corrects,
    reason: e.reason,
  };
  return {
    ok: true,
    event: {
      ...base,
      day: original.day,
      // Today's ancestors and epoch, as for any event: the original's count was moved to them if
      // the unit moved since, so the delta belongs where the original's count now is.
      path: hierarchy.ancestorsOf(e.unitId),
      ...(catalog.epoch ? { epoch: catalog.epoch } : {}),
      // Hashed as sent (kind, channel, group left out are the stored event's anyway).
      payloadHash: payloadHash(base),
      originalCount: original.count,
      originalOccurredAt: original.occurredAt,
    },
  };
}

/**
 * The intake body read by plain rules (no zod), so that intake starts, and takes valid events,
 * without evaluating zod (bench: the coldstart rows). Each reader accepts exactly what its schema of
 * ./intake.ts accepts (`IntakeEvent`, `CorrectionEvent`, `IntakeBatch`) and outputs what it outputs
 * (defaults filled in, the reason trimmed); what a reader refuses goes to the schema, whose issues
 * say why (test/unit/shared/schemas/intake-rules.test.ts checks that both agree).
 */

import { CODE_PATTERN, ID_RULES, idProblems, isReservedWord } from './ids.js';
import type { CorrectionEvent, IntakeEvent } from './intake.js';
import { ISO_DATETIME_WITH_OFFSET } from './query-rules.js';
import { INTAKE_CHANNELS, MAX_EVENTS_PER_REQUEST, MAX_REASON_LENGTH } from './values.js';

/** An eventId (EventId of intake.ts): 8 to 64 letters, digits, "_" or "-". */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Whether a raw event is a correction (it carries `corrects`): checked against CorrectionEvent then. */
export const isCorrectionInput = (raw: unknown): boolean =>
  raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'corrects' in raw;

type Fields = Record<string, unknown>;

const isEventId = (v: unknown): v is string => typeof v === 'string' && EVENT_ID_PATTERN.test(v);
const isCampaignId = (v: unknown): v is string =>
  typeof v === 'string' && ID_RULES.campaignId.pattern.test(v);
const isUnitId = (v: unknown): v is string =>
  typeof v === 'string' && idProblems(ID_RULES.unitId, v).length === 0;
const isCode = (v: unknown): v is string =>
  typeof v === 'string' && CODE_PATTERN.test(v) && !isReservedWord(v);
const isInstant = (v: unknown): v is string => typeof v === 'string' && ISO_DATETIME_WITH_OFFSET.test(v);
const isCount = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= 1000;
const isChannel = (v: unknown): v is IntakeEvent['channel'] =>
  typeof v === 'string' && (INTAKE_CHANNELS as readonly string[]).includes(v);

/** A strict object's fields: an object (not an array) holding none but `names` (as z.strictObject reads it). */
function strictFields(raw: unknown, names: ReadonlySet<string>): Fields | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  for (const key in raw) if (!names.has(key)) return undefined;
  return raw as Fields;
}

/**
 * An optional field as zod's `.optional()` outputs it: absent stays absent, a present `undefined`
 * stays present. False when the value is there and invalid.
 */
function copyOptional<T>(
  from: Fields,
  to: Record<string, unknown>,
  name: string,
  valid: (v: unknown) => v is T,
) {
  if (!(name in from)) return true;
  const value = from[name];
  if (value !== undefined && !valid(value)) return false;
  to[name] = value;
  return true;
}

/** The fields every event and correction has. */
const COMMON_FIELDS = ['eventId', 'campaignId', 'unitId', 'occurredAt'] as const;
function commonFields(e: Fields) {
  const { eventId, campaignId, unitId, occurredAt } = e;
  if (!isEventId(eventId) || !isCampaignId(campaignId) || !isUnitId(unitId) || !isInstant(occurredAt))
    return undefined;
  return { eventId, campaignId, unitId, occurredAt };
}

const EVENT_FIELDS = new Set([...COMMON_FIELDS, 'count', 'kind', 'channel', 'group']);

/** The event as `IntakeEvent` outputs it (count 1 and channel 'fixed' when left out), or undefined when it refuses it. */
export function readIntakeEvent(raw: unknown): IntakeEvent | undefined {
  const e = strictFields(raw, EVENT_FIELDS);
  const common = e && commonFields(e);
  if (!e || !common) return undefined;
  const count = e.count === undefined ? 1 : e.count;
  const channel = e.channel === undefined ? 'fixed' : e.channel;
  if (!isCount(count, 1) || !isCode(e.kind) || !isChannel(channel)) return undefined;
  const event: Record<string, unknown> = { ...common, count, kind: e.kind, channel };
  if (!copyOptional(e, event, 'group', isCode)) return undefined;
  return event as IntakeEvent;
}

const CORRECTION_FIELDS = new Set([...EVENT_FIELDS, 'corrects', 'reason']);

/** The correction as `CorrectionEvent` outputs it (the reason trimmed), or undefined when it refuses it. */
export function readCorrectionEvent(raw: unknown): CorrectionEvent | undefined {
  const e = strictFields(raw, CORRECTION_FIELDS);
  const common = e && commonFields(e);
  if (!e || !common || !isEventId(e.corrects) || !isCount(e.count, 0)) return undefined;
  if (typeof e.reason !== 'string') return undefined;
  const reason = e.reason.trim();
  if (reason.length < 1 || reason.length > MAX_REASON_LENGTH) return undefined;
  const event: Record<string, unknown> = { ...common, corrects: e.corrects, count: e.count, reason };
  for (const [name, valid] of [
    ['kind', isCode],
    ['channel', isChannel],
    ['group', isCode],
  ] as const) {
    if (!copyOptional(e, event, name, valid)) return undefined;
  }
  return event as CorrectionEvent;
}

/** An event or a correction (by `isCorrectionInput`), as its schema outputs it; undefined when that refuses it. */
export const readAnyEvent = (raw: unknown): IntakeEvent | CorrectionEvent | undefined =>
  isCorrectionInput(raw) ? readCorrectionEvent(raw) : readIntakeEvent(raw);

const BATCH_FIELDS = new Set(['events']);

/** The events of a batch body as `IntakeBatch` reads it (1 to 100 of anything), or undefined when it refuses it. */
export function readIntakeBatch(raw: unknown): unknown[] | undefined {
  const body = strictFields(raw, BATCH_FIELDS);
  const events = body?.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_REQUEST) return undefined;
  return [...events];
}

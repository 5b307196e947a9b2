/**
 * An IntakeEvents item's image read by plain rules (no zod), so that the roll-up starts and rolls up
 * valid records without evaluating zod (bench: the coldstart rows). The rules accept exactly the
 * images the schemas of ./image-schema.ts accept and give the same event; an image they refuse is
 * read by those schemas, whose issues are the poison record's reason (test/unit/shared/rollup/image.test.ts
 * checks that both agree).
 */
import type { RolledEvent } from '../domain/rollup.js';
import { CODE_PATTERN, ID_RULES, idProblems, isReservedWord } from '../schemas/ids.js';
import { ISO_DATE_PATTERN, ISO_DATETIME_WITH_OFFSET, isRealDate } from '../schemas/query-rules.js';
import { INTAKE_CHANNELS } from '../schemas/values.js';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length >= 1;
const isUnitId = (v: unknown): v is string =>
  typeof v === 'string' && idProblems(ID_RULES.unitId, v).length === 0;
const isCode = (v: unknown): v is string =>
  typeof v === 'string' && CODE_PATTERN.test(v) && !isReservedWord(v);
const isDay = (v: unknown): v is string => typeof v === 'string' && ISO_DATE_PATTERN.test(v) && isRealDate(v);
const isCount = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isChannel = (v: unknown): v is string =>
  typeof v === 'string' && (INTAKE_CHANNELS as readonly string[]).includes(v);

/**
 * The event an unmarshalled image holds, or undefined when the schema would refuse it (then read it
 * with `parseImageBySchema` for the reason). Fields the roll-up does not read are left out.
 */
export function readImage(item: Record<string, unknown>): RolledEvent | undefined {
  const { campaignId, unitId, path, day, count, kind, channel, group, epoch } = item;
  const correction = 'corrects' in item;
  if (!isText(campaignId) || !isUnitId(unitId) || !isDay(day) || !isCode(kind) || !isChannel(channel))
    return undefined;
  if (!Array.isArray(path) || !path.every(isUnitId)) return undefined;
  if (!isCount(count, correction ? 0 : 1, 1000)) return undefined;
  if (group !== undefined && !isCode(group)) return undefined;
  if (epoch !== undefined && !isCount(epoch, 0, Number.MAX_SAFE_INTEGER)) return undefined;
  const event: { -readonly [K in keyof RolledEvent]: RolledEvent[K] } = {
    campaignId,
    unitId,
    path: [...path],
    day,
    count,
    kind,
    channel,
  };
  if ('group' in item) event.group = group as string | undefined;
  if ('epoch' in item) event.epoch = epoch as number | undefined;
  if (!correction) return event;
  const { eventId, occurredAt, corrects, originalCount } = item;
  if (!isText(eventId) || !isText(corrects) || !isCount(originalCount, 1, 1000)) return undefined;
  if (typeof occurredAt !== 'string' || !ISO_DATETIME_WITH_OFFSET.test(occurredAt)) return undefined;
  event.correction = { eventId, occurredAt: new Date(occurredAt).toISOString(), corrects, originalCount };
  return event;
}

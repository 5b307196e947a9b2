/**
 * The IntakeEvents item the roll-up reads (written by functions/intake.ts and functions/corrections.ts),
 * as zod schemas: the definition, and the reader of any image the plain rules of ./image.ts refuse,
 * whose issues become the poison record's reason. functions/rollup.ts loads this module only then.
 */
import * as z from 'zod';
import type { RolledEvent } from '../domain/rollup.js';
import { Code, IsoDate, UnitId } from '../schemas/campaign.js';
import { IntakeChannel } from '../schemas/intake.js';
import { issuesText } from '../schemas/issues.js';
import { lazySchema } from '../schemas/lazy.js';

/** The fields of an IntakeEvents item the roll-up reads. */
export const StoredEventImage = lazySchema(() =>
  z.object({
    campaignId: z.string().min(1),
    unitId: UnitId,
    path: z.array(UnitId),
    day: IsoDate,
    count: z.number().int().min(1).max(1000),
    kind: Code,
    channel: IntakeChannel,
    group: Code.optional(),
    /** The catalogue epoch intake used (absent before any reorganisation; docs/ARCHITECTURE.md). */
    epoch: z.number().int().min(0).optional(),
  }),
);

/** A correction's item (docs/ARCHITECTURE.md, corrections): the corrected count may be 0. */
export const StoredCorrectionImage = lazySchema(() =>
  StoredEventImage.extend({
    eventId: z.string().min(1),
    occurredAt: z.iso.datetime({ offset: true }),
    count: z.number().int().min(0).max(1000),
    corrects: z.string().min(1),
    originalCount: z.number().int().min(1).max(1000),
  }),
);

/** An unmarshalled image read by the schemas: the event, or the issues as one line. */
export function parseImageBySchema(
  item: Record<string, unknown>,
): { ok: true; event: RolledEvent } | { ok: false; reason: string } {
  if ('corrects' in item) {
    const c = StoredCorrectionImage.safeParse(item);
    if (!c.success) return { ok: false, reason: issuesText(c.error.issues) };
    const { eventId, occurredAt, corrects, originalCount, ...event } = c.data;
    return {
      ok: true,
      event: {
        ...event,
        correction: { eventId, occurredAt: new Date(occurredAt).toISOString(), corrects, originalCount },
      },
    };
  }
  const parsed = StoredEventImage.safeParse(item);
  if (!parsed.success) return { ok: false, reason: issuesText(parsed.error.issues) };
  return { ok: true, event: parsed.data };
}

/**
 * Intake reads each event by plain rules (shared/schemas/intake-rules.ts) and, when they refuse it,
 * by the schemas of shared/schemas/intake.ts for the rejection's reason: the rules must accept exactly
 * what the schemas accept and output what they output (defaults, the trimmed reason).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorrectionEvent, IntakeBatch, IntakeEvent } from '../../../../shared/schemas/intake.js';
import {
  readAnyEvent,
  readCorrectionEvent,
  readIntakeBatch,
  readIntakeEvent,
} from '../../../../shared/schemas/intake-rules.js';
import { brokenRecords, edgeValues } from '../../../support/broken-records.js';

const { unitId, code, count, occurredAt } = edgeValues;

import { anIntakeEvent } from '../../../support/builders.js';

const eventId = fc.oneof(
  fc.constantFrom(
    'evt-0001-aaaa',
    'e'.repeat(8),
    'e'.repeat(64),
    'e'.repeat(7),
    'e'.repeat(65),
    'evt 0001 aaaa',
    '',
  ),
  fc.stringMatching(/^[A-Za-z0-9_-]{6,10}$/),
);
const campaignId = fc.constantFrom('cccd-2021', 'ab', 'a'.repeat(64), 'a'.repeat(65), 'Cccd-2021', '-x1', '');
const channel = fc.constantFrom('fixed', 'mobile', 'Fixed', 'bus', undefined);
const reason = fc.oneof(
  fc.constantFrom(
    'typed 370 for 37',
    '  padded  ',
    '   ',
    '',
    'r'.repeat(200),
    ` ${'r'.repeat(200)} `,
    'r'.repeat(201),
  ),
  fc.string({ maxLength: 8 }),
);
/** A value of a wrong type, for any field. */
const wrong = fc.constantFrom(null, true, 7, 'x', [], {}, undefined);

const anyOf = {
  eventId,
  campaignId,
  unitId,
  occurredAt,
  count,
  kind: code,
  channel,
  group: fc.oneof(code, fc.constant(undefined)),
  corrects: eventId,
  reason,
  note: fc.constant('an unknown field'),
  // A computed key makes an own "__proto__" field, as JSON.parse does (a literal one sets the prototype).
  ['__proto__']: fc.constant('a JSON __proto__ key'),
} satisfies Record<string, fc.Arbitrary<unknown>>;
/** A valid event or correction, then up to three fields replaced by any value, removed, or wrongly typed. */
const broken = brokenRecords(
  fc
    .tuple(
      fc.record(
        {
          eventId: fc.constantFrom('evt-0001-aaaa', 'f0e1d2c3-b4a5-4000-8000-000000000001'),
          campaignId: fc.constant('cccd-2021'),
          unitId: fc.constantFrom('12001', '01.001'),
          occurredAt: fc.constantFrom('2021-03-13T10:00:00+07:00', '2021-03-13T03:00:00.5Z'),
          count: fc.integer({ min: 1, max: 1000 }),
          kind: fc.constantFrom('new', 'renewal'),
          channel: fc.constantFrom('fixed', 'mobile'),
          group: fc.constantFrom('g1', 'official'),
        },
        { requiredKeys: ['eventId', 'campaignId', 'unitId', 'occurredAt', 'kind'] },
      ),
      fc.option(
        fc.record({
          corrects: fc.constant('evt-0000-aaaa'),
          count: fc.integer({ min: 0, max: 1000 }),
          reason: fc.constantFrom('typed 370 for 37', ' padded '),
        }),
      ),
    )
    .map(([event, correction]) => ({ ...event, ...(correction ?? {}) })),
  anyOf,
  wrong,
  3,
);
/** Half of them through JSON, as a body arrives (undefined values gone, "__proto__" an own key). */
const rawEvent = fc
  .tuple(broken, fc.boolean())
  .map(([raw, viaJson]) => (viaJson ? (JSON.parse(JSON.stringify(raw)) as unknown) : raw));

/** The schema's output, or undefined when it refuses the value. */
const bySchema = (
  schema: { safeParse: (v: unknown) => { success: boolean; data?: unknown } },
  raw: unknown,
) => {
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};

describe('plain intake rules', () => {
  it('read an event and a correction exactly as IntakeEvent and CorrectionEvent do', () => {
    const accepted = { event: 0, correction: 0 };
    fc.assert(
      fc.property(rawEvent, (raw) => {
        const event = bySchema(IntakeEvent, raw);
        const correction = bySchema(CorrectionEvent, raw);
        expect(readIntakeEvent(raw)).toStrictEqual(event);
        expect(readCorrectionEvent(raw)).toStrictEqual(correction);
        expect(readAnyEvent(raw)).toStrictEqual('corrects' in (raw as object) ? correction : event);
        if (event) accepted.event++;
        if (correction) accepted.correction++;
      }),
      { numRuns: 6000 },
    );
    // Both sides of the agreement were exercised, for both kinds.
    expect(accepted.event).toBeGreaterThan(200);
    expect(accepted.correction).toBeGreaterThan(200);
  });

  it('refuse what is not an object as the schemas do', () => {
    for (const raw of [null, undefined, 'nonsense', 7, [], [{}], true]) {
      expect(readAnyEvent(raw)).toBeUndefined();
      expect(IntakeEvent.safeParse(raw).success).toBe(false);
    }
  });

  it('fill in the defaults and trim the reason as the schemas do', () => {
    const { count: _count, channel: _channel, ...event } = anIntakeEvent();
    expect(readIntakeEvent(event)).toStrictEqual({ ...event, count: 1, channel: 'fixed' });
    const correction = { ...event, corrects: 'evt-0000-aaaa', count: 0, reason: '  typed 370  ' };
    expect(readCorrectionEvent(correction)).toStrictEqual({ ...correction, reason: 'typed 370' });
    // A default stands in for a missing value only, never for null.
    for (const raw of [
      { ...event, count: null },
      { ...event, channel: null },
    ]) {
      expect(readIntakeEvent(raw)).toBeUndefined();
      expect(IntakeEvent.safeParse(raw).success).toBe(false);
    }
  });

  it('read a batch body exactly as IntakeBatch does', () => {
    const body = fc.oneof(
      fc.record(
        { events: fc.oneof(fc.array(fc.anything(), { maxLength: 102 }), wrong), other: fc.constant(1) },
        { requiredKeys: [] },
      ),
      fc.constant({ events: Array.from({ length: 100 }, () => ({})) }),
      fc.constant({ events: Array.from({ length: 101 }, () => ({})) }),
      wrong,
    );
    fc.assert(
      fc.property(body, (raw) => {
        const parsed = IntakeBatch.safeParse(raw);
        expect(readIntakeBatch(raw)).toStrictEqual(parsed.success ? parsed.data.events : undefined);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * The roll-up reads a stream image by plain rules (shared/rollup/image.ts) and, when they refuse it,
 * by the schemas (shared/rollup/image-schema.ts) for the poison record's reason: the rules must accept
 * exactly the images the schemas accept and give the same event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../../../shared/rollup/image.js';
import { parseImageBySchema } from '../../../../shared/rollup/image-schema.js';
import { brokenRecords, edgeValues } from '../../../support/broken-records.js';

const { unitId, code, count, occurredAt } = edgeValues;

const day = fc.constantFrom(
  '2021-03-13',
  '2024-02-29',
  '2023-02-29',
  '2021-13-01',
  '2021-3-13',
  '1999-12-31',
  '',
);
/** A value of a wrong type, for any field. */
const wrong = fc.constantFrom(null, true, 7, 'x', [], {}, new Set(['a']));

/** Any value of a field: valid, near its rules' edges, or of a wrong type. */
const anyOf = {
  campaignId: fc.constantFrom('cccd-2021', 'c', ''),
  unitId,
  path: fc.array(unitId, { maxLength: 3 }),
  day,
  count,
  kind: code,
  channel: fc.constantFrom('fixed', 'mobile', 'Fixed', 'other'),
  group: fc.oneof(code, fc.constant(undefined)),
  epoch: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(0.5), fc.constant(undefined)),
  eventId: fc.constantFrom('e-1', ''),
  occurredAt,
  corrects: fc.constantFrom('e-0', ''),
  originalCount: count,
  pk: fc.constant('CAMPAIGN#x'),
} satisfies Record<string, fc.Arbitrary<unknown>>;

/** A valid event or correction, then up to two fields replaced by any value, removed, or wrongly typed. */
const image = brokenRecords(
  fc
    .tuple(
      fc.record({
        campaignId: fc.constant('cccd-2021'),
        unitId: fc.constantFrom('01', '01.001', 'a_b-c'),
        path: fc.array(fc.constantFrom('vn', '01'), { maxLength: 3 }),
        day: fc.constantFrom('2021-03-13', '2024-02-29'),
        count: fc.integer({ min: 1, max: 1000 }),
        kind: fc.constantFrom('new', 'repeat'),
        channel: fc.constantFrom('fixed', 'mobile'),
      }),
      fc.record(
        { group: fc.constantFrom('g1', 'official'), epoch: fc.integer({ min: 0, max: 5 }) },
        { requiredKeys: [] },
      ),
      fc.option(
        fc.record({
          eventId: fc.constant('e-2'),
          occurredAt: fc.constantFrom('2021-03-13T10:00:00+07:00', '2021-03-13T10:00:00.123Z'),
          corrects: fc.constant('e-1'),
          originalCount: fc.integer({ min: 1, max: 1000 }),
          count: fc.integer({ min: 0, max: 1000 }),
        }),
      ),
    )
    .map(([event, optional, correction]) => ({ ...event, ...optional, ...(correction ?? {}) })),
  anyOf,
  wrong,
  2,
);

describe('plain image rules', () => {
  it('accept exactly the images the schemas accept, with the same event', () => {
    let accepted = 0;
    let corrections = 0;
    fc.assert(
      fc.property(image, (item) => {
        const bySchema = parseImageBySchema(item);
        const plain = readImage(item);
        if (bySchema.ok) {
          expect(plain).toStrictEqual(bySchema.event);
          accepted++;
          if (bySchema.event.correction) corrections++;
        } else {
          expect(plain).toBeUndefined();
        }
      }),
      { numRuns: 5000 },
    );
    // Both sides of the agreement were exercised.
    expect(accepted).toBeGreaterThan(50);
    expect(corrections).toBeGreaterThan(10);
  });

  it('read a stored event and a stored correction', () => {
    const stored = {
      campaignId: 'cccd-2021',
      unitId: '01.001',
      path: ['vn', '01'],
      day: '2021-03-13',
      count: 3,
      kind: 'new',
      channel: 'fixed',
      epoch: 2,
    };
    // The item's other attributes (keys, index attributes) are not part of the image read.
    const event = { ...stored, pk: 'ignored' };
    expect(readImage(event)).toStrictEqual(stored);
    const correction = {
      ...event,
      count: 0,
      eventId: 'e-2',
      occurredAt: '2021-03-13T10:00:00+07:00',
      corrects: 'e-1',
      originalCount: 3,
    };
    expect(readImage(correction)?.correction).toStrictEqual({
      eventId: 'e-2',
      occurredAt: '2021-03-13T03:00:00.000Z',
      corrects: 'e-1',
      originalCount: 3,
    });
    expect(readImage({ ...event, count: 0 })).toBeUndefined();
    expect(parseImageBySchema({ ...event, count: 0 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^count: /),
    });
  });
});

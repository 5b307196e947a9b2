/**
 * Records near and beyond a reader's rules, for the property tests that plain rules and zod schemas
 * agree (stream images, intake events): a valid record with up to `maxBreaks` of its fields replaced
 * by any value of that field, by a value of a wrong type, or removed.
 */
import fc from 'fast-check';

export function brokenRecords(
  valid: fc.Arbitrary<Record<string, unknown>>,
  anyOf: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  wrong: fc.Arbitrary<unknown>,
  maxBreaks: number,
): fc.Arbitrary<Record<string, unknown>> {
  const change = fc
    .tuple(fc.constantFrom(...Object.keys(anyOf)), fc.constantFrom('any', 'wrong', 'remove'))
    .chain(([name, how]) =>
      (how === 'any' ? (anyOf[name] as fc.Arbitrary<unknown>) : wrong).map((value) => ({ name, how, value })),
    );
  return fc.tuple(valid, fc.array(change, { maxLength: maxBreaks })).map(([item, changes]) => {
    const out = { ...item };
    for (const { name, how, value } of changes) {
      if (how === 'remove') delete out[name];
      // Defined, not assigned: "__proto__" becomes an own field, as JSON.parse makes it.
      else Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** Values of the fields stored events and intake bodies share: valid ones, and ones near and beyond each rule's edge. */
export const edgeValues = {
  unitId: fc.oneof(
    fc.constantFrom(
      'vn',
      '01',
      '01.001',
      '12001',
      'a_b-c',
      'constructor',
      'toString',
      'valueOf',
      '',
      '.x',
      'a#b',
      'x'.repeat(65),
    ),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,5}$/),
  ),
  code: fc.constantFrom(
    'new',
    'repeat',
    'renewal',
    'official',
    'g1',
    'a_b-c',
    'New',
    '1st',
    '',
    'constructor',
    'x'.repeat(33),
  ),
  count: fc.oneof(
    fc.integer({ min: -2, max: 1002 }),
    fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0, '3', undefined),
  ),
  occurredAt: fc.constantFrom(
    '2021-03-13T10:00:00+07:00',
    '2021-03-13T10:00:00.123Z',
    '2021-03-13T10:00:00',
    '2021-03-13T10:00Z',
    '2021-02-30T10:00:00Z',
    '2021-03-13 10:00:00Z',
    '2021-03-13T10:00:00+0700',
    '',
  ),
} satisfies Record<string, fc.Arbitrary<unknown>>;

/**
 * The read routes' query strings are read by plain rules (shared/schemas/query-rules.ts) and, when
 * the rules refuse them, by the strict zod schemas (for the messages): the rules must accept exactly
 * what the schemas accept and output what they output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CorrectionsQuery } from '../../../../shared/schemas/corrections.js';
import { DailyQuery, ProgressQuery } from '../../../../shared/schemas/progress.js';
import { QueryAsOf, QueryDate } from '../../../../shared/schemas/query.js';
import { plainQuery, plainQueryValue, type QueryValueKind } from '../../../../shared/schemas/query-rules.js';

const DAILY_FIELDS = { from: 'date', to: 'date', asOf: 'asOf' } as const satisfies Record<
  string,
  QueryValueKind
>;
const PROGRESS_FIELDS = { asOf: 'asOf' } as const satisfies Record<string, QueryValueKind>;
const CORRECTIONS_FIELDS = { from: 'date', to: 'date', cursor: 'cursor' } as const satisfies Record<
  string,
  QueryValueKind
>;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Dates near and beyond every rule's edge: bounds, leap days, impossible days, odd widths. */
const dateText = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1990, max: 2110 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.constantFrom(
    '2000-01-01',
    '1999-12-31',
    '2100-12-31',
    '2101-01-01',
    '2024-02-29',
    '2023-02-29',
    '2100-02-29',
  ),
  fc.constantFrom(
    '2021-3-13',
    '20210313',
    '2021-03-13 ',
    ' 2021-03-13',
    '2021-03-13T00:00:00Z',
    '',
    '٢٠٢١-٠٣-١٣',
  ),
);
const offset = fc.oneof(
  fc.constantFrom(
    'Z',
    'z',
    '+07:00',
    '-05:30',
    '+00:00',
    '+24:00',
    '+07:60',
    ' 07:00',
    ' 0700',
    ' 07',
    '+0700',
    '',
  ),
  fc
    .tuple(fc.constantFrom('+', '-', ' '), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
    .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
);
const timeText = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }))
    .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`),
  fc.constantFrom('10:00', '10:00:00.5', '10:00:00.123456789', '10:00:00.', '1:00:00', '23:59:60'),
);
const asOfText = fc.oneof(
  fc.tuple(dateText, fc.constantFrom('T', 't', ' '), timeText, offset).map((parts) => parts.join('')),
  fc.constantFrom(
    '2021-03-13T22:30:00+07:00',
    '2000-01-01T03:00:00+07:00',
    '2100-12-31T20:00:00-05:00',
    '1999-12-31T23:00:00-02:00',
    '2021-03-13',
  ),
);
/** Cursors near the rule's edges: its alphabet and others, empty, at and over 1,000 characters. */
const CURSOR_ALPHABET = 'ABCXYZabcxyz0189_-';
const cursorText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...CURSOR_ALPHABET), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...CURSOR_ALPHABET, '=', '+', '/', ' ', '.', 'é'), maxLength: 40 }),
  fc
    .tuple(fc.integer({ min: 998, max: 1002 }), fc.constantFrom('a', '_', '='))
    .map(([n, c]) => 'A'.repeat(n - 1) + c),
  fc.constantFrom('', 'eyJwayI6IngifQ', 'eyJwayI6IngifQ==', 'abc\n', 'ab c'),
);
const anyValue = fc.oneof(
  dateText,
  asOfText,
  cursorText,
  fc.string({ maxLength: 30 }),
  fc.constant(undefined),
);
const query = fc.dictionary(
  fc.constantFrom('asOf', 'from', 'to', 'cursor', 'asof', 'date', '__proto__', 'constructor'),
  anyValue,
  { maxKeys: 4 },
);

describe('plain query rules', () => {
  it.each([
    [
      'a date exactly as QueryDate does',
      'date',
      QueryDate,
      fc.oneof(dateText, fc.string({ maxLength: 12 })),
      2000,
    ],
    [
      'asOf exactly as QueryAsOf does (a space before the offset read as "+")',
      'asOf',
      QueryAsOf,
      fc.oneof(asOfText, fc.string({ maxLength: 30 })),
      3000,
    ],
    [
      'a cursor exactly as CorrectionsQuery does',
      'cursor',
      CorrectionsQuery.shape.cursor,
      fc.oneof(cursorText, fc.string({ maxLength: 12 })),
      3000,
    ],
  ] as const)(
    'read %s',
    (_, kind: QueryValueKind, schema: z.ZodType, values: fc.Arbitrary<string>, numRuns) => {
      fc.assert(
        fc.property(values, (value) => {
          const parsed = schema.safeParse(value);
          expect(plainQueryValue(kind, value)).toBe(parsed.success ? parsed.data : undefined);
        }),
        { numRuns },
      );
    },
  );

  it('read asOf with a space before the offset as "+", and refuse an offset without its colon', () => {
    // Both kinds of value occur among the samples, so the agreement above is not vacuous.
    expect(plainQueryValue('asOf', '2021-03-13T22:30:00 07:00')).toBe('2021-03-13T22:30:00+07:00');
    expect(plainQueryValue('asOf', '2021-03-13T22:30:00+0700')).toBeUndefined();
  });

  it('read a cursor of at most 1,000 characters', () => {
    expect(plainQueryValue('cursor', 'A'.repeat(1000))).toBe('A'.repeat(1000));
    expect(plainQueryValue('cursor', 'A'.repeat(1001))).toBeUndefined();
  });

  it('read a query string exactly as the strict schemas of the progress and corrections routes do', () => {
    fc.assert(
      fc.property(query, (raw) => {
        for (const [schema, fields] of [
          [DailyQuery, DAILY_FIELDS],
          [ProgressQuery, PROGRESS_FIELDS],
          [CorrectionsQuery, CORRECTIONS_FIELDS],
        ] as const) {
          const parsed = schema.safeParse(raw);
          const plain = plainQuery(raw, fields as Readonly<Record<string, QueryValueKind>>);
          if (parsed.success) expect(plain).toStrictEqual(parsed.data);
          else expect(plain).toBeUndefined();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('read no query string as {}', () => {
    expect(plainQuery({}, DAILY_FIELDS)).toStrictEqual({});
    expect(DailyQuery.parse({})).toStrictEqual({});
  });
});

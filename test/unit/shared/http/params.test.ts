import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, eachDay } from '../../../../shared/domain/calendar.js';
import {
  asOfInstant,
  dateRange,
  pathParameter,
  pathParameters,
  queryParameters,
} from '../../../../shared/http/params.js';
import { HttpProblem } from '../../../../shared/http/problem.js';
import { QueryAsOf, QueryDate } from '../../../../shared/schemas/query.js';
// Registers the report id's schema, as functions/reports.ts does by importing it.
import '../../../../shared/schemas/reports.js';

/** The problem a call throws (status and field paths), or 'ok'. */
function outcome(call: () => unknown): { status: number; paths: string[] } | 'ok' {
  try {
    call();
    return 'ok';
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return { status: error.problem.status, paths: (error.problem.errors ?? []).map((e) => e.path) };
  }
}

describe('pathParameter()', () => {
  it('decodes and returns ids that match the campaign file patterns', () => {
    const event = { pathParameters: { campaignId: 'cccd-2021-hung-yen', unitId: '12%2E01' } };
    expect(pathParameters(event, 'campaignId', 'unitId')).toEqual({
      campaignId: 'cccd-2021-hung-yen',
      unitId: '12.01',
    });
  });

  it.each([
    ['a bad percent-encoding', { unitId: '%ZZ' }, 'unitId'],
    ['a 3,000-character id', { unitId: 'x'.repeat(3000) }, 'unitId'],
    ['a space', { unitId: '11977%20*' }, 'unitId'],
    ['an upper-case campaign id', { campaignId: 'CCCD' }, 'campaignId'],
    ['a reserved word', { unitId: 'constructor' }, 'unitId'],
    ['a missing parameter', {}, 'unitId'],
    ['a report id for a week that does not exist', { reportId: '33:2021-W53' }, 'reportId'],
  ] as const)('answers 400 for %s', (_, pathParameters, name) => {
    expect(outcome(() => pathParameter({ pathParameters }, name))).toEqual({ status: 400, paths: [name] });
  });
});

describe('queryParameters()', () => {
  const Schema = z.strictObject({ from: QueryDate.optional(), asOf: QueryAsOf.optional() });

  it.each([
    ['a day after 2100', { from: '9999-12-31' }, 'from'],
    ['a day before 2000', { from: '1999-12-31' }, 'from'],
    ['a day that does not exist', { from: '2021-02-30' }, 'from'],
    ['an asOf in year 9999', { asOf: '9999-12-31T00:00:00+07:00' }, 'asOf'],
    ['an unknown parameter', { form: '2021-03-01' }, 'form'],
  ])('answers 400 for %s', (_, query, path) => {
    expect(outcome(() => queryParameters({ queryStringParameters: query }, Schema))).toEqual({
      status: 400,
      paths: [path],
    });
  });

  it('answers 400 for a 3,000-character value before parsing it', () => {
    const result = outcome(() =>
      queryParameters({ queryStringParameters: { from: '2'.repeat(3000) } }, Schema),
    );
    expect(result).toEqual({ status: 400, paths: ['from'] });
  });

  it('reads a hand-typed + offset that arrived as a space', () => {
    expect(queryParameters({ queryStringParameters: { asOf: '2021-03-13T10:00:00 07:00' } }, Schema)).toEqual(
      {
        asOf: '2021-03-13T10:00:00+07:00',
      },
    );
  });
});

describe('asOfInstant() and dateRange()', () => {
  const now = new Date('2021-03-13T15:30:00Z');

  it('accepts asOf up to a day ahead of now, and refuses later', () => {
    expect(asOfInstant(undefined, now)).toBe(now);
    expect(asOfInstant('2021-03-14T15:30:00Z', now).toISOString()).toBe('2021-03-14T15:30:00.000Z');
    expect(outcome(() => asOfInstant('2021-03-14T15:30:01Z', now))).toEqual({ status: 400, paths: ['asOf'] });
  });

  it('bounds explicit ranges to 400 days and clamps the default one to the last 400 days', () => {
    const context = { today: '2022-12-31', startDate: '2021-01-01' };
    expect(dateRange({}, context)).toMatchObject({ from: addDays('2022-12-31', -399), to: '2022-12-31' });
    expect(dateRange({ from: '2021-03-01', to: '2021-03-05' }, context)).toMatchObject({
      from: '2021-03-01',
    });
    expect(outcome(() => dateRange({ from: '2021-01-01', to: '2022-02-05' }, context))).toEqual({
      status: 400,
      paths: ['to'],
    });
    expect(outcome(() => dateRange({ from: '2021-03-05', to: '2021-03-01' }, context))).toEqual({
      status: 400,
      paths: ['from'],
    });
  });
});

describe('day arithmetic that always ends', () => {
  it('refuses to step past year 9999 instead of producing "+010000-01-01"', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });

  it('eachDay counts the days instead of comparing strings', () => {
    expect(eachDay('2021-02-27', '2021-03-02')).toEqual([
      '2021-02-27',
      '2021-02-28',
      '2021-03-01',
      '2021-03-02',
    ]);
    expect(eachDay('2021-03-02', '2021-03-01')).toEqual([]);
    expect(() => eachDay('9999-12-30', '+010000-01-02')).toThrow(RangeError);
  });
});

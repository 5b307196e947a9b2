import { describe, expect, it } from 'vitest';
import { negotiate } from '../../../../functions/reports.js';

describe('negotiate()', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['application/json, text/csv', 'json'],
    ['text/csv, application/json', 'json'],
    ['text/csv;q=0.9, application/json;q=0.8', 'csv'],
    ['application/*;q=0.2, text/csv;q=0.3', 'csv'],
    ['text/csv;q=0, */*', 'json'],
    ['application/json;q=0, text/csv;q=0', null],
    ['application/xml', null],
  ] as const)('Accept: %s → %s', (accept, expected) => {
    expect(negotiate(accept)).toBe(expected);
  });
});

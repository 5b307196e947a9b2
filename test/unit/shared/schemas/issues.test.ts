import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issuesText, parseOrThrow } from '../../../../shared/schemas/issues.js';

describe('issuesText() and parseOrThrow()', () => {
  const Schema = z.object({ count: z.number().min(1, 'must be at least 1'), tags: z.array(z.string()) });

  it('writes every issue on one line, with its path', () => {
    const result = Schema.safeParse({ count: 0, tags: [1] });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(issuesText(result.error.issues)).toMatch(/^count: must be at least 1; tags\.0: /);
  });

  it('returns the parsed value, or throws naming what was invalid', () => {
    expect(parseOrThrow(Schema, { count: 2, tags: [] }, 'input')).toEqual({ count: 2, tags: [] });
    expect(() => parseOrThrow(Schema, { count: 0, tags: [] }, 'risk job input')).toThrow(
      'Invalid risk job input: count: must be at least 1',
    );
  });
});

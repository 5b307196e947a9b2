import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { lazyObject, lazySchema } from '../../../../shared/schemas/lazy.js';
import { lazyInstance, once } from '../../../../shared/util/lazy.js';

describe('lazySchema()', () => {
  it('builds nothing until first used, then builds once', () => {
    // Prepare
    const build = vi.fn(() => z.string().min(2, 'too short'));
    // Act
    const Schema = lazySchema(build);
    // Assess
    expect(build).not.toHaveBeenCalled();
    expect(Schema.safeParse('ab').success).toBe(true);
    expect(Schema.safeParse('a').error?.issues[0]?.message).toBe('too short');
    expect(Schema.parse('abc')).toBe('abc');
    expect(build).toHaveBeenCalledOnce();
  });

  it('is a zod schema of its own kind: instanceof, methods, composition, transforms', () => {
    const Id = lazySchema(() => z.string().regex(/^[a-z]+$/));
    const Count = lazySchema(() => z.coerce.number().int().default(1));
    const Thing = lazySchema(() => z.strictObject({ id: Id, count: Count, parent: Id.nullable() }));

    expect(Id instanceof z.ZodString).toBe(true);
    expect(Thing instanceof z.ZodObject).toBe(true);
    expect(Thing.parse({ id: 'a', parent: null })).toEqual({ id: 'a', count: 1, parent: null });
    expect(Thing.safeParse({ id: 'A', parent: null, extra: 1 }).error?.issues.map((i) => i.code)).toEqual([
      'invalid_format',
      'unrecognized_keys',
    ]);
    expect(Object.keys(Thing.shape)).toEqual(['id', 'count', 'parent']);
    expect(Thing.extend({ more: z.boolean() }).parse({ id: 'b', parent: 'a', more: true })).toEqual({
      id: 'b',
      count: 1,
      parent: 'a',
      more: true,
    });
  });

  it('gives the same JSON Schema as the eagerly built schema (zod keys its generation on identity)', () => {
    const eagerDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
    const eager = z.object({
      day: eagerDay,
      days: z.array(eagerDay).max(3),
      kind: z.enum(['a', 'b']).default('a'),
      when: z.preprocess((v) => v, z.iso.datetime({ offset: true })).optional(),
    });
    const Day = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/));
    const Kind = lazySchema(() => z.enum(['a', 'b']));
    const When = lazySchema(() => z.preprocess((v) => v, z.iso.datetime({ offset: true })));
    const lazy = lazySchema(() =>
      z.object({ day: Day, days: z.array(Day).max(3), kind: Kind.default('a'), when: When.optional() }),
    );

    for (const io of ['input', 'output'] as const) {
      expect(z.toJSONSchema(lazy, { io, target: 'draft-2020-12' })).toEqual(
        z.toJSONSchema(eager, { io, target: 'draft-2020-12' }),
      );
    }
  });

  it('lets a failed build be retried instead of leaving a half-made schema', () => {
    let fail = true;
    const Schema = lazySchema(() => {
      if (fail) throw new Error('not yet');
      return z.number();
    });
    expect(() => Schema.parse(1)).toThrow('not yet');
    fail = false;
    expect(Schema.parse(1)).toBe(1);
  });
});

describe('lazyObject()', () => {
  it('builds a shape fragment on first use and spreads like the object itself', () => {
    const build = vi.fn(() => ({ a: z.number(), b: z.string().optional() }));
    const Fragment = lazyObject(build);
    expect(build).not.toHaveBeenCalled();
    const Schema = z.object({ ...Fragment, c: z.boolean() });
    expect(Object.keys(Schema.shape)).toEqual(['a', 'b', 'c']);
    expect(Schema.parse({ a: 1, c: true })).toEqual({ a: 1, c: true });
    expect(build).toHaveBeenCalledOnce();
  });
});

describe('lazyInstance() and once()', () => {
  class Counter {
    #count = 0;
    add(n: number): number {
      this.#count += n;
      return this.#count;
    }
  }

  it('constructs on first use; methods reach private fields; instanceof holds', () => {
    const build = vi.fn(() => new Counter());
    const counter = lazyInstance(build);
    expect(build).not.toHaveBeenCalled();
    expect(counter.add(2)).toBe(2);
    const { add } = counter; // a detached method still reaches the instance
    expect(add(3)).toBe(5);
    expect(counter instanceof Counter).toBe(true);
    expect(build).toHaveBeenCalledOnce();
  });

  it('once() computes on the first call only, also when the value is undefined', () => {
    const build = vi.fn(() => undefined);
    const value = once(build);
    expect(build).not.toHaveBeenCalled();
    value();
    value();
    expect(build).toHaveBeenCalledOnce();
  });
});

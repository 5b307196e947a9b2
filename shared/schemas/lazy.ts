/**
 * Schemas built on first use instead of when their module loads (bench: the coldstart rows).
 *
 * Why: zod 4 builds every schema eagerly, and a function's bundle holds every schema its imports
 * name (the path-parameter table alone names a dozen modules' ids): 20–40 ms of each cold start went
 * to building schemas the function never used, or not yet. Wrapped in `lazySchema`, a schema costs
 * one small object at load and is built when something first touches it (a parse, `.optional()`,
 * `z.object({ … })` reading its shape, `z.toJSONSchema`).
 */
import type * as z from 'zod';

type Constructor = (this: object, def: unknown) => unknown;

/** The traps through which anything can read or change an object (a schema is never called). */
const TRAPS = [
  'get',
  'set',
  'has',
  'ownKeys',
  'getOwnPropertyDescriptor',
  'defineProperty',
  'deleteProperty',
  'getPrototypeOf',
] as const;

/** A proxy handler whose every trap calls `ready()` (which builds the schema once), then does what Reflect does. */
class BuildFirst {
  constructor(readonly ready: () => void) {}
}
for (const trap of TRAPS) {
  const reflect = Reflect[trap] as (...args: unknown[]) => unknown;
  Object.defineProperty(BuildFirst.prototype, trap, {
    value(this: BuildFirst, ...args: unknown[]) {
      this.ready();
      return reflect(...args);
    },
  });
}

/**
 * The schema `build()` returns, built on first use. The value returned here IS that schema (not a
 * wrapper around another one): when first touched, it is initialised in place from the built
 * schema's definition by the same zod constructor, so every method, `instanceof`, `z.infer` and the
 * identity zod keys its JSON Schema generation on behave exactly as for an eagerly built schema.
 * (A forwarding proxy would not: zod's methods close over the instance they were created for.)
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  const target = {};
  let state: 'waiting' | 'building' | 'built' = 'waiting';
  const schema = new Proxy(target, new BuildFirst(ready) as ProxyHandler<object>) as T; // the traps are on its prototype

  function ready(): void {
    if (state !== 'waiting') return; // built, or being built (the constructor writes through the traps)
    state = 'building';
    try {
      const built = build();
      Object.setPrototypeOf(target, Object.getPrototypeOf(built));
      (built._zod.constr as unknown as Constructor).call(schema, built._zod.def);
      state = 'built';
    } catch (error) {
      state = 'waiting';
      throw error;
    }
  }
  return schema;
}

/**
 * A plain object (a shape fragment spread into several schemas, `{ ...Pace }`) built on first use:
 * a forwarding proxy, fine for plain data whose identity nobody keys on.
 */
export function lazyObject<T extends object>(build: () => T): T {
  let built: T | undefined;
  const get = (): T => {
    if (built === undefined) built = build();
    return built;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(get(), key),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      // The proxy's own (empty) target must not contradict a non-configurable property.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
}

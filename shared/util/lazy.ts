/**
 * A value computed once, on the first call instead of when its module loads, so a cold start pays
 * only for what the function touches (bench: the coldstart rows). For a client, a dynamically
 * imported module (`once(() => import('…'))`), anything not needed on every path.
 */
export function once<T>(build: () => T): () => T {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = build();
      done = true;
    }
    return value as T;
  };
}

/**
 * An object (a logger, a metrics publisher) constructed on its first use: the returned stand-in
 * forwards every property to it, methods bound to it (so classes with private fields work), and
 * `instanceof` sees its prototype. Not for objects whose identity is compared or used as a key.
 */
export function lazyInstance<T extends object>(build: () => T): T {
  const instance = once(build);
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy({} as T, {
    get(_, key) {
      const target = instance();
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(key);
      if (method === undefined || (method as { original?: unknown }).original !== value) {
        const fn = value as (...args: unknown[]) => unknown;
        method = Object.assign((...args: unknown[]) => fn.apply(target, args), { original: value });
        bound.set(key, method);
      }
      return method;
    },
    set: (_, key, value) => Reflect.set(instance(), key, value),
    has: (_, key) => Reflect.has(instance(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(instance()),
  });
}

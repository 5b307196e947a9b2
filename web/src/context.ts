import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Claims } from './auth.js';
import type { AppConfig } from './config.js';
import type { Format, Lang } from './i18n.js';

export interface AppContext {
  readonly api: Api;
  readonly fmt: Format;
  readonly config: AppConfig;
  readonly claims: Claims;
  readonly asOf: string | null;
  setLang(lang: Lang): void;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('no app context');
  return ctx;
}

export interface Async<T> {
  readonly data?: T | undefined;
  readonly error?: Error | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` whenever `deps` change; the last run wins. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error: error as Error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

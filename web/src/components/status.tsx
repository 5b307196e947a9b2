import type { Async } from '../context.js';
import { useApp } from '../context.js';

/** Loading and error states of a section, with a retry button. */
export function Status<T>({ state }: { state: Async<T> }) {
  const { fmt } = useApp();
  if (state.error)
    return (
      <div class="error" role="alert">
        {fmt.t.error}: {state.error.message}{' '}
        <button type="button" onClick={state.reload}>
          {fmt.t.retry}
        </button>
      </div>
    );
  if (state.loading && state.data === undefined)
    return (
      <p class="muted" aria-live="polite">
        {fmt.t.loading}
      </p>
    );
  return null;
}

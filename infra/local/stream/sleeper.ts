/** Timers that the poller's stop() and drain() can cut short, so nothing is left pending. */

export type SleepTag = 'poll' | 'backoff' | 'controller' | 'drain' | 'error';

export class Sleeper {
  private readonly sleepers = new Set<{ tag: SleepTag; wake: () => void }>();
  private closed = false;

  sleep(ms: number, tag: SleepTag): Promise<void> {
    if (this.closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        tag,
        wake: () => {
          clearTimeout(timer);
          this.sleepers.delete(entry);
          resolve();
        },
      };
      const timer = setTimeout(entry.wake, ms);
      this.sleepers.add(entry);
    });
  }

  wake(...tags: SleepTag[]): void {
    for (const entry of [...this.sleepers]) if (tags.length === 0 || tags.includes(entry.tag)) entry.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}

export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

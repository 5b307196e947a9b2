/** An in-memory IntakeEventStore with the same exactly-once rule as the DynamoDB adapter, and fault injection. */
import type { StoredOriginal } from '../../shared/domain/intake.js';
import type { IntakeEventStore, PutOutcome, StoredIntakeEvent } from '../../shared/store/intake-store.js';

export class MemoryIntakeStore implements IntakeEventStore {
  readonly items = new Map<string, StoredIntakeEvent>();
  /** Return an Error to make the put of that event fail (before anything is stored). */
  failWith: (event: StoredIntakeEvent) => Error | undefined = () => undefined;

  async putIfAbsent(event: StoredIntakeEvent): Promise<PutOutcome> {
    const failure = this.failWith(event);
    if (failure) throw failure;
    const key = `${event.campaignId}#${event.eventId}`;
    const stored = this.items.get(key);
    if (!stored) {
      this.items.set(key, structuredClone(event));
      return 'accepted';
    }
    if (stored.ingestId === event.ingestId) return 'accepted';
    return stored.payloadHash === event.payloadHash ? 'duplicate' : 'conflict';
  }

  /** Return an Error to make reads of originals fail. */
  failGet: () => Error | undefined = () => undefined;

  async getMany(campaignId: string, eventIds: readonly string[]): Promise<Map<string, StoredOriginal>> {
    const failure = this.failGet();
    if (failure) throw failure;
    const out = new Map<string, StoredOriginal>();
    for (const id of eventIds) {
      const stored = this.items.get(`${campaignId}#${id}`);
      if (stored) out.set(id, structuredClone(stored));
    }
    return out;
  }
}

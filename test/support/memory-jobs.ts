/** In-memory ports of the risk job: risk states, outbox, publisher (the DynamoDB adapters have integration tests). */
import type { AlertMessage, AlertPublisher } from '../../shared/alerts/publisher.js';
import type { Outbox, OutboxEntry, SmsBudget, SmsBudgetMonth } from '../../shared/store/outbox-store.js';
import type { LevelChange, StoredRisk } from '../../shared/store/risk-store.js';

export class MemoryRiskStore {
  readonly states = new Map<string, StoredRisk>();
  readonly history: LevelChange[] = [];
  async getStates(_campaignId: string, unitIds: readonly string[]) {
    return new Map(
      unitIds.flatMap((id) => (this.states.has(id) ? [[id, this.states.get(id) as StoredRisk]] : [])),
    );
  }
  async putStates(_campaignId: string, states: readonly StoredRisk[], changes: readonly LevelChange[]) {
    for (const s of states) this.states.set(s.unitId, structuredClone(s));
    this.history.push(...changes);
  }
}

export class MemoryOutbox implements Outbox, SmsBudget {
  readonly entries = new Map<string, OutboxEntry & { sent: boolean }>();
  /** SMS months by `<campaignId>|<yyyy-mm>`: the count grows with enqueue, as the DynamoDB transaction does. */
  readonly months = new Map<string, { count: number; noticeAt: string | null; cappedAt: string | null }>();
  async enqueue(entry: OutboxEntry) {
    if (this.entries.has(entry.key)) return 'exists' as const;
    this.entries.set(entry.key, { ...structuredClone(entry), sent: false });
    if (entry.smsCost && entry.smsCost.count > 0) {
      const month = this.month(entry.campaignId, entry.smsCost.month);
      month.count += entry.smsCost.count;
    }
    return 'enqueued' as const;
  }
  private month(campaignId: string, month: string) {
    const key = `${campaignId}|${month}`;
    let m = this.months.get(key);
    if (!m) {
      m = { count: 0, noticeAt: null, cappedAt: null };
      this.months.set(key, m);
    }
    return m;
  }
  async get(campaignId: string, month: string): Promise<SmsBudgetMonth> {
    return { ...this.month(campaignId, month) };
  }
  async mark(campaignId: string, month: string, what: 'noticeAt' | 'cappedAt', at: Date) {
    const m = this.month(campaignId, month);
    m[what] ??= at.toISOString();
  }
  async due(_campaignId: string, now: Date) {
    return [...this.entries.values()]
      .filter((e) => !e.sent && e.releaseAt <= now.toISOString())
      .sort((a, b) => a.releaseAt.localeCompare(b.releaseAt));
  }
  async markSent(entry: OutboxEntry) {
    const stored = this.entries.get(entry.key);
    if (stored) stored.sent = true;
  }
}

export class RecordingPublisher implements AlertPublisher {
  readonly published: { at: number; message: AlertMessage }[] = [];
  async publish(message: AlertMessage) {
    this.published.push({ at: this.published.length, message });
    return { messageId: `m-${this.published.length}` };
  }
}

/** The report job's readers: the province reads Vietnamese, district 323 English. */
export const provinceViDistrictEnReaders = {
  list: async () => [
    { unitId: '33', lang: 'vi' as const },
    { unitId: '323', lang: 'en' as const },
  ],
};

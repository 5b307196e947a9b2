/**
 * In-memory ports of the risk job that count the DynamoDB requests the real adapters would send
 * (shared/store/*-store.ts): BatchGetItem of up to 100 keys = 1 request, one Query per unit's days,
 * Query pages of up to 1 MB for the units, BatchWriteItem of up to 25 items = 1 request, and the read
 * units each would consume (eventually consistent unless the adapter asks otherwise).
 */
import type { AlertPublisher } from '../../shared/alerts/publisher.js';
import { addDays } from '../../shared/domain/calendar.js';
import type { Totals } from '../../shared/domain/totals.js';
import type { Audience } from '../../shared/jobs/risk-job.js';
import type { Campaign } from '../../shared/schemas/campaign.js';
import { type StoredUnit, unitItem as storedUnitItem } from '../../shared/store/campaign-store.js';
import type { Outbox, OutboxEntry } from '../../shared/store/outbox-store.js';
import type { LevelChange, StoredRisk } from '../../shared/store/risk-store.js';
import type { TotalsReader } from '../../shared/store/totals-store.js';
import { itemSize, readUnits } from './dynamo-size.js';

export class RequestLedger {
  readonly requests = new Map<string, number>();
  rru = 0;
  writes = 0;
  add(command: string, n = 1) {
    this.requests.set(command, (this.requests.get(command) ?? 0) + n);
  }
  reads(): number {
    let n = 0;
    for (const [command, count] of this.requests) if (/Get|Query/.test(command)) n += count;
    return n;
  }
}

/** Daily counts per unit: `days[unitId][i]` is the count on `addDays(startDate, i)`. */
export interface DailyCounts {
  readonly startDate: string;
  readonly days: ReadonlyMap<string, Int32Array>;
}

const countsTotals = (count: number): Totals => ({ count, byKind: {}, byChannel: {}, byGroup: {} });

/** A TotalsReader over seeded daily counts (TOTAL = the sum of the days), counting requests. */
export class CountingTotalsReader implements TotalsReader {
  constructor(
    private readonly counts: DailyCounts,
    private readonly ledger: RequestLedger,
    /** Size of one DAY item as stored (for the read units of a Query). */
    private readonly dayItemBytes: number,
  ) {}

  private indexOf(day: string): number {
    const start = new Date(`${this.counts.startDate}T00:00:00Z`).getTime();
    return Math.round((new Date(`${day}T00:00:00Z`).getTime() - start) / 86_400_000);
  }

  async getTotals(_campaignId: string, unitIds: readonly string[], day?: string) {
    const unique = [...new Set(unitIds)];
    this.ledger.add('BatchGetItem', Math.ceil(unique.length / 100));
    this.ledger.rru += unique.length * readUnits(this.dayItemBytes, false);
    const index = day === undefined ? -1 : this.indexOf(day);
    const result = new Map<string, Totals>();
    for (const id of unitIds) {
      const days = this.counts.days.get(id);
      let count = 0;
      if (days && index < 0) for (const n of days) count += n;
      else if (days && index < days.length) count = days[index] ?? 0;
      result.set(id, countsTotals(count));
    }
    return result;
  }

  async getDays(_campaignId: string, unitId: string, from?: string, to?: string) {
    const days = this.counts.days.get(unitId);
    const out: { day: string; totals: Totals }[] = [];
    if (days) {
      days.forEach((n, i) => {
        const day = addDays(this.counts.startDate, i);
        if (n > 0 && (from === undefined || day >= from) && (to === undefined || day <= to)) {
          out.push({ day, totals: countsTotals(n) });
        }
      });
    }
    const bytes = out.length * this.dayItemBytes;
    const pages = Math.max(1, Math.ceil(bytes / (1024 * 1024)));
    this.ledger.add('Query', pages);
    this.ledger.rru += readUnits(bytes, false);
    return out;
  }
}

/** The unit item DynamoCampaignStore.putUnits writes (its own function), written on 1 March 2021. */
export const unitItem = (campaignId: string, unit: StoredUnit): Record<string, unknown> =>
  storedUnitItem(campaignId, unit, '2021-03-01T00:00:00.000Z');

/** Query pages (1 MB each) and read units of listing items of these sizes, eventually consistent. */
export function queryCost(sizes: readonly number[]): { pages: number; rru: number } {
  let pages = 0;
  let rru = 0;
  let page = 0;
  for (const size of sizes) {
    if (page + size > 1024 * 1024) {
      pages++;
      rru += readUnits(page, false);
      page = 0;
    }
    page += size;
  }
  if (page > 0 || pages === 0) {
    pages++;
    rru += readUnits(page, false);
  }
  return { pages, rru };
}

export class CountingCampaignStore {
  private readonly listing: { pages: number; rru: number };
  constructor(
    private readonly campaign: Campaign,
    private readonly units: readonly StoredUnit[],
    private readonly ledger: RequestLedger,
  ) {
    this.listing = queryCost(units.map((u) => itemSize(unitItem(campaign.id, u))));
  }
  async getCampaign(id: string) {
    this.ledger.add('GetItem');
    this.ledger.rru += 1;
    return id === this.campaign.id ? this.campaign : null;
  }
  async listCampaigns() {
    this.ledger.add('Query');
    this.ledger.rru += 0.5;
    return [this.campaign];
  }
  async listUnits(campaignId: string) {
    this.ledger.add('Query', this.listing.pages);
    this.ledger.rru += this.listing.rru;
    return campaignId === this.campaign.id ? [...this.units] : [];
  }
}

export class CountingRiskStore {
  readonly states = new Map<string, StoredRisk>();
  constructor(private readonly ledger: RequestLedger) {}
  async getStates(_campaignId: string, unitIds: readonly string[]) {
    const unique = [...new Set(unitIds)];
    this.ledger.add('BatchGetItem', Math.ceil(unique.length / 100));
    this.ledger.rru += unique.length * 0.5;
    const result = new Map<string, StoredRisk>();
    for (const id of unique) {
      const state = this.states.get(id);
      if (state) result.set(id, state);
    }
    return result;
  }
  async putStates(_campaignId: string, states: readonly StoredRisk[], changes: readonly LevelChange[]) {
    const items = states.length + changes.length;
    this.ledger.add('BatchWriteItem', Math.ceil(items / 25));
    this.ledger.writes += items;
    for (const s of states) this.states.set(s.unitId, s);
  }
}

export class CountingOutbox implements Outbox {
  private readonly entries = new Map<string, OutboxEntry & { sent: boolean }>();
  constructor(private readonly ledger: RequestLedger) {}
  async enqueue(entry: OutboxEntry) {
    this.ledger.add('PutItem');
    this.ledger.writes++;
    if (this.entries.has(entry.key)) return 'exists' as const;
    this.entries.set(entry.key, { ...entry, sent: false });
    return 'enqueued' as const;
  }
  async due(_campaignId: string, now: Date) {
    this.ledger.add('Query');
    this.ledger.rru += 0.5;
    return [...this.entries.values()].filter((e) => !e.sent && e.releaseAt <= now.toISOString());
  }
  async markSent(entry: OutboxEntry) {
    this.ledger.add('UpdateItem');
    this.ledger.writes++;
    const stored = this.entries.get(entry.key);
    if (stored) stored.sent = true;
  }
}

export function countingSilences(ledger: RequestLedger) {
  return {
    active: async () => {
      ledger.add('Query');
      ledger.rru += 0.5;
      return [];
    },
  };
}

export function countingAudiences(ledger: RequestLedger, audiences: readonly Audience[]) {
  return {
    list: async () => {
      ledger.add('Query');
      ledger.rru += 0.5;
      return [...audiences];
    },
  };
}

export const silentPublisher: AlertPublisher = {
  publish: async () => ({ messageId: 'bench' }),
};

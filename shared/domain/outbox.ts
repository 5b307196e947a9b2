/**
 * What the alert outbox holds, as the domain sees it (the alerts feed reads it; shared/store/outbox-store.ts
 * persists it): an entry recorded before it is published, its sent state, a month of the SMS budget.
 */
import type { AlertMessage } from '../vocabulary/alerts.js';

export interface OutboxEntry {
  /** Deterministic: the same decision always gives the same key. */
  readonly key: string;
  readonly campaignId: string;
  /** ISO; not published before. */
  readonly releaseAt: string;
  readonly message: AlertMessage;
  /** The units the message is about (its scope, the children and sub-targets it names): the alerts feed. */
  readonly about?: readonly string[];
  /** SMS it will cost (deliveries), counted in the campaign's month when it is recorded, once. */
  readonly smsCost?: { readonly month: string; readonly count: number };
}

/** A campaign's SMS in one month (its time zone), and when the 80 % notice and the cap happened. */
export interface SmsBudgetMonth {
  readonly count: number;
  readonly noticeAt: string | null;
  readonly cappedAt: string | null;
}

export interface SentEntry extends OutboxEntry {
  readonly status: 'pending' | 'sent';
  readonly sentAt?: string;
  readonly messageId?: string;
}

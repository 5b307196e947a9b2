/**
 * What alert texts say, one table per language (./vi.ts, ./en.ts): the renderers (./sms.ts,
 * ./subject.ts, ./email.ts, ./budget-notice.ts) pick the table of the recipient's language and never
 * branch on the language themselves. Every argument is already formatted (vi-VN numbers and dates).
 */
import type { Language } from '../../vocabulary/alerts.js';
import type { RiskLevel } from '../risk.js';
import { en } from './en.js';
import { ownEntry } from './lookup.js';
import { vi } from './vi.js';

/** Which argument is optional is written `| null`: the phrase leaves that part out. */
export interface AlertPhrases {
  /** How each level is named to leaders (also in reports). */
  readonly levels: Readonly<Record<RiskLevel, string>>;
  /** Known population group codes (a sub-target's messages). */
  readonly groups: Readonly<Record<string, string>>;
  /** A group whose code is not known. */
  unknownGroup(code: string): string;
  /** The noun for `count` units of a hierarchy level ("3 communes"; "3 xã"). */
  unitNoun(level: string | null, count: number): string;

  readonly sms: {
    readonly due: string;
    readonly improved: string;
    readonly still: string;
    readonly resolved: string;
    readonly alerting: string;
    /** Before the list of units' names. */
    readonly including: string;
    silenceOver(name: string, level: string, pct: string, from: string | null): string;
    days(days: number): string;
    shortBy(remaining: string): string;
    compactRates(required: string, observed: string): string;
    escalations(count: number, noun: string, days: number): string;
  };
  /** Rates shared by SMS and e-mail. */
  readonly notAvailable: string;
  rates(required: string, observed: string): string;

  /** The subject is ASCII: these go through toAsciiLine. */
  readonly subject: {
    readonly resolved: string;
    readonly still: string;
    readonly silenceOver: string;
    readonly improved: string;
  };

  readonly email: {
    done(total: string, target: string, pct: string): string;
    remaining(remaining: string, daysLeft: string): string;
    readonly deadlinePassed: string;
    readonly perDay: string;
    readonly notYetKnown: string;
    paceOfRequired(pace: string): string;
    rateLine(required: string, observed: string, pace: string): string;
    readonly notProjected: string;
    projected(date: string): string;
    improved(name: string, from: string | null, to: string): string;
    alert(name: string, to: string, from: string | null): string;
    reminder(name: string, to: string, since: string | null): string;
    resolved(name: string, to: string, from: string | null): string;
    silenceOver(name: string, since: string | null, from: string, to: string, worst: string): string;
    subTarget(group: string, deadline: string): string;
    criticalFor(critical: string, days: number | null, since: string | null): string;
    resolvedTo(level: string): string;
    projectedLower(date: string): string;
    readonly notEvaluated: string;
    subUnits(total: string, noun: string, parts: string): string;
    digestCritical(count: number, noun: string, days: number): string;
    digestChanged(count: number, noun: string): string;
    /** "07:30 ngày 13/3/2021". */
    time(clock: string, date: string): string;
    campaign(name: string): string;
    toLeaders(scope: string): string;
    figuresAsOf(time: string): string;
    overall(name: string, level: string): string;
    escalatedHeading(scope: string): string;
    attentionHeading(shown: string, total: string): string;
    andMore(more: string, noun: string): string;
    details(link: string): string;
    readonly smsCapped: string;
    readonly footer: string;
  };

  /** The once-a-month notice that 80 % of the SMS cap is used. */
  readonly budget: {
    subject(campaign: string, used: string, cap: string, period: string): string;
    sms(campaign: string, used: string, cap: string, period: string): string;
    used(used: string, cap: string, period: string): string;
    readonly atCap: string;
  };
}

export const PHRASES: Readonly<Record<Language, AlertPhrases>> = { vi, en };

/** How each level is named to leaders (also in reports). */
export const LEVEL_WORDS: Readonly<Record<Language, Readonly<Record<RiskLevel, string>>>> = {
  vi: vi.levels,
  en: en.levels,
};

/** How a population group is named (its sub-target's messages): known codes, else the code itself. */
export function groupWord(code: string, lang: Language): string {
  const phrases = PHRASES[lang];
  return ownEntry(phrases.groups, code) ?? phrases.unknownGroup(code);
}

/** The noun for `count` units of a level ("3 communes", "1 commune"; "3 xã"). */
export function unitNoun(level: string | null, lang: Language, count = 2): string {
  return PHRASES[lang].unitNoun(level, count);
}

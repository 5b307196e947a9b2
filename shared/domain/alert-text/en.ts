/** Alert texts in English (numbers and dates still the vi-VN way: see ./format.ts). */
import { EN_LEVEL_WORDS } from './level-words.js';
import { ownEntry } from './lookup.js';
import type { AlertPhrases } from './phrases.js';

const UNIT_NOUNS: Readonly<Record<string, readonly [string, string]>> = {
  province: ['province', 'provinces'],
  city: ['city', 'cities'],
  district: ['district', 'districts'],
  commune: ['commune', 'communes'],
  ward: ['ward', 'wards'],
  town: ['town', 'towns'],
  department: ['department', 'departments'],
};

export const en: AlertPhrases = {
  levels: EN_LEVEL_WORDS,
  groups: { official: 'Officials', officials: 'Officials', student: 'Students', worker: 'Workers' },
  unknownGroup: (code) => `Group ${code}`,
  unitNoun: (level, count) => {
    const [one, many] = ownEntry(UNIT_NOUNS, level) ?? ['unit', 'units'];
    return count === 1 ? one : many;
  },

  sms: {
    due: 'due',
    improved: 'IMPROVED',
    still: 'STILL',
    resolved: 'RESOLVED',
    alerting: 'alerting',
    including: 'Incl',
    silenceOver: (name, level, pct, from) =>
      `${name}: SILENCE OVER, now ${level} ${pct}${from ? ` (was ${from})` : ''}`,
    days: (days) => (days === 1 ? 'DAY' : 'DAYS'),
    shortBy: (remaining) => `short by ${remaining}`,
    compactRates: (required, observed) => `need ${required}, got ${observed}/day`,
    escalations: (count, noun, days) => `${count} ${noun} critical ${days}+ days`,
  },
  notAvailable: 'n/a',
  rates: (required, observed) => `need ${required}/day, actual ${observed}/day`,

  subject: {
    resolved: 'resolved',
    still: 'still',
    silenceOver: 'silence over, now',
    improved: 'improved',
  },

  email: {
    done: (total, target, pct) => `- Done: ${total} of ${target} (${pct})`,
    remaining: (remaining, daysLeft) => `- Remaining: ${remaining} in ${daysLeft} days`,
    deadlinePassed: 'deadline passed',
    perDay: 'day',
    notYetKnown: 'not yet known',
    paceOfRequired: (pace) => ` (${pace} of required)`,
    rateLine: (required, observed, pace) =>
      `- Required rate: ${required}; actual (mean of the last 7 days): ${observed}${pace}`,
    notProjected: 'not yet projected',
    projected: (date) => `- Projected completion: ${date}`,
    improved: (name, from, to) => `IMPROVED: ${name} is now ${to} (was ${from}).`,
    alert: (name, to, from) =>
      `ALERT, ${to.toUpperCase()}: ${name} is ${to}${from === null ? '' : ` (was ${from})`}.`,
    reminder: (name, to, since) => `REMINDER: ${name} is still ${to}${since ? ` (since ${since})` : ''}.`,
    resolved: (name, to, from) =>
      `RESOLVED: ${name} is back to ${to}${from === null ? '' : ` (was ${from})`}.`,
    silenceOver: (name, since, from, to, worst) =>
      `SILENCE OVER: while alerts were silenced${since ? ` (since ${since})` : ''}, ${name} went from ${from} to ${to}; the worst meanwhile: ${worst}.`,
    subTarget: (group, deadline) => `Sub-target "${group}" (due ${deadline})`,
    criticalFor: (critical, days, since) =>
      `${critical}${days === null ? '' : ` for ${days} days`}${since ? ` (since ${since})` : ''}`,
    resolvedTo: (level) => `resolved, ${level}`,
    projectedLower: (date) => `projected completion ${date}`,
    notEvaluated: 'not evaluated',
    subUnits: (total, noun, parts) => `Sub-units (${total} ${noun}): ${parts}.`,
    digestCritical: (count, noun, days) => `${count} ${noun} critical for ${days} days or more`,
    digestChanged: (count, noun) => `${count} ${noun} changed alert level`,
    time: (clock, date) => `${clock} on ${date}`,
    campaign: (name) => `Campaign: ${name}`,
    toLeaders: (scope) => `To the leaders of: ${scope}`,
    figuresAsOf: (time) => `Figures as of ${time}`,
    overall: (name, level) => `${name} overall: ${level}.`,
    escalatedHeading: (scope) => `Critical for days, escalated to the leaders of ${scope}:`,
    attentionHeading: (shown, total) => `Most in need of attention (${shown} of ${total}):`,
    andMore: (more, noun) => `... and ${more} more ${noun}.`,
    details: (link) => `Details: ${link}`,
    smsCapped:
      'Note: the campaign has used its SMS allowance for the month; alerts come by e-mail instead of SMS.',
    footer: '— Automatic message from the campaign monitoring system. Please do not reply.',
  },

  budget: {
    subject: (campaign, used, cap, period) => `${campaign}: ${used} of ${cap} SMS used in ${period}`,
    sms: (campaign, used, cap, period) =>
      `${campaign}: ${used} of ${cap} SMS used in ${period}. At the cap, alerts go by e-mail.`,
    used: (used, cap, period) => `The campaign has used ${used} of its ${cap} SMS for ${period} (80 %).`,
    atCap:
      'At the cap, alerts go by e-mail to leaders who have an address; leaders with SMS only still get critical alerts.',
  },
};

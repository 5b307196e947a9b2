/** The e-mail subject of a notification: printable ASCII, at most 100 characters (SNS's Subject). */
import type { Language } from '../../vocabulary/alerts.js';
import type { Notification } from '../alert-policy.js';
import { formatPercentVi } from './format.js';
import { cut, shortenName, toAsciiLine } from './gsm7.js';
import { isImprovement, type RenderOptions, SUBJECT_MAX_CHARS, scopeName } from './notification.js';
import { groupWord, PHRASES } from './phrases.js';
import { smsCounts, smsEscalations } from './sms.js';

function subjectSummary(n: Notification, lang: Language, asOf: Date): string {
  const p = PHRASES[lang];
  const words = p.levels;
  const own = n.own;
  const counts = smsCounts(n, lang);
  let summary: string;
  const group = (n.groups ?? [])[0];
  if (!own && group) {
    const pct = formatPercentVi(group.evaluation.percent);
    const word = groupWord(group.group?.code ?? '', lang);
    if (group.kind === 'resolved') return `${word}: ${p.subject.resolved}, ${words[group.to]}`;
    if (group.kind === 'repeat') return `${word}: ${p.subject.still} ${words[group.to]} ${pct}`;
    return `${word}: ${words[group.to]} ${pct}`;
  }
  if (own) {
    const pct = formatPercentVi(own.evaluation.percent);
    if (own.kind === 'summary') summary = `${p.subject.silenceOver} ${words[own.to]} ${pct}`;
    else if (own.kind === 'resolved') summary = `${p.subject.resolved}, ${words[own.to]}`;
    else if (own.kind === 'repeat') summary = `${p.subject.still} ${words[own.to]} ${pct}`;
    else if (isImprovement(own)) summary = `${p.subject.improved}: ${words[own.to]} ${pct}`;
    else summary = `${words[own.to]} ${pct}`;
    if (counts) summary += `; ${counts}`;
  } else {
    const escalated = smsEscalations(n, lang, asOf, null);
    summary = [counts, escalated].filter((s): s is string => s !== null).join(', ');
  }
  return summary;
}

export function renderSubject(n: Notification, options: RenderOptions): string {
  const summary = toAsciiLine(subjectSummary(n, options.lang, options.asOf));
  const campaign = toAsciiLine(options.campaignName);
  const scope = toAsciiLine(scopeName(n));
  const candidates = [
    `${campaign}: ${scope} - ${summary}`,
    `${shortenName(campaign, 30)}: ${shortenName(scope, 30)} - ${summary}`,
    `${shortenName(scope, 30)} - ${summary}`,
  ];
  for (const subject of candidates) if (subject.length <= SUBJECT_MAX_CHARS) return subject;
  return cut(candidates[candidates.length - 1] ?? '', SUBJECT_MAX_CHARS);
}

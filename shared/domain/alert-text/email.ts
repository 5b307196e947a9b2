/** The e-mail body of a notification: Vietnamese with diacritics (or English), the unit's link last. */
import type { Language } from '../../vocabulary/alerts.js';
import type { Notification, UnitChange, UnitEvaluation } from '../alert-policy.js';
import { localTime } from '../calendar.js';
import type { RiskLevel } from '../risk.js';
import { formatDateVi, formatNumberVi, formatPercentVi, formatRate, instantVi } from './format.js';
import {
  EMAIL_WORST_CHILDREN,
  isImprovement,
  type RenderOptions,
  scopeName,
  spellDays,
  worstFirst,
} from './notification.js';
import { groupWord, PHRASES, unitNoun } from './phrases.js';

const LEVEL_ORDER: readonly RiskLevel[] = ['missed', 'critical', 'at_risk', 'no_data', 'on_track', 'done'];

function figureLines(e: UnitEvaluation, lang: Language): string[] {
  const { email } = PHRASES[lang];
  const f = e.figures;
  const required = formatRate(f.requiredDailyRate);
  const observed = formatRate(f.observedDailyRate);
  const pace = f.paceRatio === null ? null : `${formatNumberVi(f.paceRatio * 100)}%`;
  const lines = [email.done(formatNumberVi(e.total), formatNumberVi(e.target), formatPercentVi(e.percent))];
  if (f.remaining > 0) {
    lines.push(email.remaining(formatNumberVi(f.remaining), formatNumberVi(f.daysLeft)));
    const requiredText = required === null ? email.deadlinePassed : `${required}/${email.perDay}`;
    const observedText = observed === null ? email.notYetKnown : `${observed}/${email.perDay}`;
    const paceText = pace === null ? '' : email.paceOfRequired(pace);
    lines.push(email.rateLine(requiredText, observedText, paceText));
    const projected =
      f.projectedCompletion === null ? email.notProjected : formatDateVi(f.projectedCompletion);
    lines.push(email.projected(projected));
  }
  return lines;
}

function ownSentence(c: UnitChange, lang: Language, timeZone: string): string {
  const { levels: words, email } = PHRASES[lang];
  const name = c.evaluation.name;
  const to = words[c.to];
  const from = c.from === null ? null : words[c.from];
  switch (c.kind) {
    case 'alert':
      if (isImprovement(c)) return email.improved(name, from, to);
      return email.alert(name, to, from);
    case 'repeat':
      return email.reminder(name, to, c.criticalSince === null ? null : instantVi(c.criticalSince, timeZone));
    case 'resolved':
      return email.resolved(name, to, from);
    case 'escalation':
      return `${name}: ${to}.`;
    case 'summary': {
      const since = c.muted ? instantVi(c.muted.since, timeZone) : null;
      const worst = c.muted ? words[c.muted.worst] : null;
      return email.silenceOver(name, since, from ?? to, to, worst ?? to);
    }
  }
}

function groupSentence(c: UnitChange, lang: Language, timeZone: string): string {
  const word = groupWord(c.group?.code ?? '', lang);
  const deadline = c.group ? formatDateVi(c.group.deadline) : '';
  return `${PHRASES[lang].email.subTarget(word, deadline)} — ${ownSentence(c, lang, timeZone)}`;
}

function childLine(c: UnitChange, index: number, lang: Language, options: RenderOptions): string {
  const p = PHRASES[lang];
  const words = p.levels;
  const e = c.evaluation;
  let what: string;
  switch (c.kind) {
    case 'escalation': {
      const days = spellDays(c, options.asOf);
      const since = c.criticalSince === null ? null : instantVi(c.criticalSince, options.timeZone);
      what = p.email.criticalFor(words.critical, days, since);
      break;
    }
    case 'resolved':
      what = p.email.resolvedTo(words[c.to]);
      break;
    default:
      what = c.from !== null && c.from !== c.to ? `${words[c.from]} → ${words[c.to]}` : words[c.to];
  }
  const f = e.figures;
  const details = [
    `${formatPercentVi(e.percent)} (${formatNumberVi(e.total)} / ${formatNumberVi(e.target)})`,
  ];
  const required = formatRate(f.requiredDailyRate);
  if (f.remaining > 0 && required !== null) {
    details.push(p.rates(required, formatRate(f.observedDailyRate) ?? p.notAvailable));
  }
  if (f.remaining > 0 && f.projectedCompletion !== null) {
    details.push(p.email.projectedLower(formatDateVi(f.projectedCompletion)));
  }
  return `${index + 1}. ${e.name}: ${what}; ${details.join('; ')}`;
}

function countsLine(n: Notification, lang: Language): string | null {
  if (n.childCount === 0) return null;
  const p = PHRASES[lang];
  const noun = unitNoun(n.childUnitLevel, lang, n.childCount);
  let known = 0;
  const parts: string[] = [];
  for (const level of LEVEL_ORDER) {
    const count = n.childLevelCounts[level] ?? 0;
    known += count;
    if (count > 0) parts.push(`${formatNumberVi(count)} ${p.levels[level]}`);
  }
  if (n.childCount > known) {
    parts.push(`${formatNumberVi(n.childCount - known)} ${p.email.notEvaluated}`);
  }
  return p.email.subUnits(formatNumberVi(n.childCount), noun, parts.join(', '));
}

function digestSentence(n: Notification, lang: Language, asOf: Date): string {
  const { email } = PHRASES[lang];
  const noun = (count: number) => unitNoun(n.childUnitLevel, lang, count);
  const parts: string[] = [];
  if (n.escalations.length > 0) {
    const days = Math.min(...n.escalations.map((c) => spellDays(c, asOf) ?? 0));
    parts.push(email.digestCritical(n.escalations.length, noun(n.escalations.length), days));
  }
  if (n.children.length > 0) {
    parts.push(email.digestChanged(n.children.length, noun(n.children.length)));
  }
  return `${scopeName(n)}: ${parts.join('; ')}.`;
}

export function renderEmail(n: Notification, options: RenderOptions): string {
  const { lang, timeZone, asOf } = options;
  const p = PHRASES[lang];
  const { email } = p;
  const time = email.time(localTime(asOf, timeZone), instantVi(asOf, timeZone));
  const lines: string[] = [
    email.campaign(options.campaignName),
    email.toLeaders(scopeName(n)),
    email.figuresAsOf(time),
    '',
  ];

  const groups = n.groups ?? [];
  if (n.own) {
    lines.push(ownSentence(n.own, lang, timeZone), ...figureLines(n.own.evaluation, lang));
  } else if (groups.length > 0) {
    // A sub-target alone (officials critical while the unit is on track): the group leads.
  } else {
    lines.push(digestSentence(n, lang, asOf));
    if (n.scope) {
      lines.push(email.overall(n.scope.name, p.levels[n.scope.level]), ...figureLines(n.scope, lang));
    }
  }

  for (const g of groups) {
    if (n.own || g !== groups[0]) lines.push('');
    lines.push(groupSentence(g, lang, timeZone), ...figureLines(g.evaluation, lang));
  }

  const counts = countsLine(n, lang);
  if (counts) lines.push('', counts);

  const ranked = worstFirst([...n.escalations, ...n.children]);
  if (ranked.length > 0) {
    const shown = ranked.slice(0, EMAIL_WORST_CHILDREN);
    lines.push(
      '',
      n.escalations.length > 0 && n.children.length === 0
        ? email.escalatedHeading(scopeName(n))
        : email.attentionHeading(formatNumberVi(shown.length), formatNumberVi(ranked.length)),
      ...shown.map((c, i) => childLine(c, i, lang, options)),
    );
    const more = ranked.length - shown.length;
    if (more > 0) lines.push(email.andMore(formatNumberVi(more), unitNoun(n.childUnitLevel, lang, more)));
  }

  if (options.link) lines.push('', email.details(options.link));
  if (options.smsCapped) lines.push('', email.smsCapped);
  lines.push('', email.footer);
  return lines.join('\n');
}

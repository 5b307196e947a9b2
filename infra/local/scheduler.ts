/**
 * The local stand-in for EventBridge Scheduler: fires the topology's scheduled functions at the
 * times their rules name, in the rule's time zone. Supports the cron syntax EventBridge uses
 * (six fields: minutes hours day-of-month month day-of-week year; `*`, `?`, lists, ranges, steps,
 * day and month names) and rate(n unit). Not supported: `L`, `W`, `#` (refused with a message).
 */
import { localDate, localTime, zonedInstant } from '../../shared/domain/calendar.js';
import type { ScheduleRule } from '../config/schedules.js';

interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number> | null; // null: any (`*` or `?`)
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number> | null; // 1 = Sunday … 7 = Saturday, as EventBridge counts
  readonly years: ReadonlySet<number> | null;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 1,
): Set<number> | null {
  if (text === '*' || text === '?') return null;
  if (/[LW#]/.test(text)) throw new Error(`cron field "${text}": L, W and # are not supported locally`);
  const value = (token: string) => {
    const index = names.indexOf(token.toUpperCase());
    const n = index >= 0 ? index + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`cron field "${text}": ${token} is out of range`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron field "${text}": bad step`);
    let from: number;
    let to: number;
    if (range === '*' || range === undefined) {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a ?? '');
      to = value(b ?? '');
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

export type ParsedSchedule =
  | { readonly kind: 'cron'; readonly fields: CronFields }
  | { readonly kind: 'rate'; readonly ms: number };

export function parseSchedule(expression: string): ParsedSchedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const unit = rate[2]?.startsWith('minute')
      ? 60_000
      : rate[2]?.startsWith('hour')
        ? 3_600_000
        : 86_400_000;
    return { kind: 'rate', ms: Number(rate[1]) * unit };
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) throw new Error(`"${expression}" is not a cron(...) or rate(...) expression`);
  const [, mi, h, dom, mo, dow, y] = cron as unknown as string[];
  return {
    kind: 'cron',
    fields: {
      minutes: parseField(mi ?? '', 0, 59) ?? range(0, 59),
      hours: parseField(h ?? '', 0, 23) ?? range(0, 23),
      daysOfMonth: parseField(dom ?? '', 1, 31),
      months: parseField(mo ?? '', 1, 12, MONTHS) ?? range(1, 12),
      daysOfWeek: parseField(dow ?? '', 1, 7, DAYS),
      years: parseField(y ?? '', 1970, 2199),
    },
  };
}

const range = (a: number, b: number) => new Set(Array.from({ length: b - a + 1 }, (_, i) => a + i));

/** The first minute strictly after `after` at which the rule fires. */
export function nextFire(rule: ScheduleRule, after: Date): Date {
  const parsed = parseSchedule(rule.expression);
  if (parsed.kind === 'rate') return new Date(after.getTime() + parsed.ms);
  const f = parsed.fields;
  // Walk local days, then hours and minutes of each: at most ~4 years of days for odd rules.
  let day = localDate(after, rule.timeZone);
  for (let i = 0; i < 1500; i++) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
    const dayMatches =
      f.months.has(m) &&
      (f.years === null || f.years.has(y)) &&
      (f.daysOfMonth === null || f.daysOfMonth.has(d)) &&
      (f.daysOfWeek === null || f.daysOfWeek.has(weekday));
    if (dayMatches) {
      for (const hour of [...f.hours].sort((a, b) => a - b)) {
        for (const minute of [...f.minutes].sort((a, b) => a - b)) {
          const at = zonedInstant(
            day,
            `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
            rule.timeZone,
          );
          // Skip wall times a DST gap moved (the instant no longer shows that hour).
          if (
            at.getTime() > after.getTime() &&
            localTime(at, rule.timeZone).startsWith(String(hour).padStart(2, '0'))
          ) {
            return at;
          }
        }
      }
    }
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    day = next.toISOString().slice(0, 10);
  }
  throw new Error(`The schedule ${rule.expression} never fires`);
}

export interface ScheduledJob {
  readonly name: string;
  readonly rule: ScheduleRule;
  run(at: Date): Promise<void>;
}

export interface LocalScheduler {
  stop(): void;
  /** The next firing of each job (for the startup banner). */
  readonly upcoming: () => { name: string; at: Date }[];
}

/** Fires each job at its rule's times until stopped; a run still going when the next is due is skipped. */
export function startScheduler(
  jobs: readonly ScheduledJob[],
  options: { now?: () => Date; log?: (line: string) => void } = {},
): LocalScheduler {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const timers = new Map<string, NodeJS.Timeout>();
  const next = new Map<string, Date>();
  let stopped = false;
  const arm = (job: ScheduledJob) => {
    if (stopped) return;
    const at = nextFire(job.rule, now());
    next.set(job.name, at);
    // setTimeout holds at most ~24.8 days; re-arm in steps.
    const wait = Math.min(at.getTime() - now().getTime(), 2 ** 31 - 1);
    timers.set(
      job.name,
      setTimeout(
        () => {
          if (now().getTime() < at.getTime()) return arm(job);
          log(`scheduler: ${job.name} (${job.rule.expression} ${job.rule.timeZone}) fired`);
          job.run(at).then(
            () => arm(job),
            (error: unknown) => {
              log(`scheduler: ${job.name} failed: ${(error as Error).message}`);
              arm(job);
            },
          );
        },
        Math.max(0, wait),
      ),
    );
  };
  for (const job of jobs) arm(job);
  return {
    stop: () => {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
    upcoming: () => [...next].map(([name, at]) => ({ name, at })),
  };
}

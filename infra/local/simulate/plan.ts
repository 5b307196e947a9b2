/**
 * The simulator's plan (pure, no I/O): from a campaign file, a seed and a pace, every intake event
 * of every simulated day, the HTTP posts that carry them (some re-sent whole, some events repeated),
 * the risk job's evening runs and the Monday report runs, and the leaders to register.
 *
 * Deterministic: the same file, seed and pace always give the same plan, byte for byte. Each
 * (unit, day) draws from its own seeded stream, so the first 3 days of a 14-day plan are exactly a
 * 3-day plan, and changing one unit's pace changes no other unit's events.
 *
 * The shape of the intake:
 * - every unit whose own share is positive (its target minus its children's targets: a leaf's whole
 *   target) takes in, per day, its share's required daily rate (share ÷ campaign days through its
 *   deadline) × its pace multiplier × a small day-to-day noise (±4 %);
 * - the day's intake follows a curve over the campaign's working hours (a morning and an afternoon
 *   peak, a lunch dip, quieter evenings), one tally event per unit and two-hour session (`count` up
 *   to 1000; more is split);
 * - each event's kind (first kind 70 %), channel (mobile teams 25 %) and population group (by the
 *   nearest sub-target's share) are drawn from the unit's stream;
 * - each session is one post of every unit's events (a district relay, batched by the client).
 *   10 % of posts are re-sent whole (a lost response), 2 % of events are re-sent in the next post
 *   of the day (a tablet that missed its acknowledgement) and 1 % appear twice in their post:
 *   every repeat must come back `duplicate`.
 */
import { addDays, daysBetween, zonedInstant, zoneOffsetMs } from '../../../shared/domain/calendar.js';
import { mulberry32 } from '../../../shared/domain/generate.js';
import { buildHierarchy, type Hierarchy } from '../../../shared/domain/hierarchy.js';
import { previousWeek } from '../../../shared/domain/report.js';
import type { CampaignFile, Unit } from '../../../shared/schemas/campaign.js';
import type { IntakeChannel } from '../../../shared/schemas/intake.js';

export const PACES = ['on-track', 'lagging', 'mixed'] as const;
export type Pace = (typeof PACES)[number];

/** Pace multipliers of the required daily rate, per unit. */
export const PACE_RANGES = {
  onTrack: { min: 1.05, max: 1.2 },
  lagging: { min: 0.4, max: 0.7 },
} as const;
/** `mixed`: the share of units that lag; the others are on track. */
export const MIXED_LAGGING_SHARE = 0.3;
/** Day-to-day noise around a unit's pace: ×[1 − n, 1 + n). */
export const DAY_NOISE = 0.04;
export const RESEND_WHOLE_SHARE = 0.1;
export const CARRY_OVER_SHARE = 0.02;
export const IN_BATCH_REPEAT_SHARE = 0.01;
export const MOBILE_SHARE = 0.25;
export const FIRST_KIND_SHARE = 0.7;
export const MAX_COUNT_PER_EVENT = 1000;
/** The risk job's evening run, local time. */
export const RISK_TIME = '20:00';
/** The Monday report run, local time (before the day's intake). */
export const REPORT_TIME = '07:00';

/**
 * A post's or a team's tally covers a session of this many minutes: one event per unit and session
 * (a day of Hưng Yên is then ~350 events, not ~650, which halves the run on DynamoDB Local).
 */
export const SESSION_MINUTES = 120;
/** Relative intake per hour of the day (a working hour not listed weighs 0.8). */
const HOUR_WEIGHTS: Readonly<Record<number, number>> = {
  7: 0.5,
  8: 0.9,
  9: 1.2,
  10: 1.3,
  11: 1.1,
  12: 0.6,
  13: 0.8,
  14: 1.2,
  15: 1.3,
  16: 1.2,
  17: 1.0,
  18: 0.7,
  19: 0.8,
  20: 0.7,
  21: 0.4,
};

export interface PlanOptions {
  readonly days: number;
  readonly pace: Pace;
  readonly seed: number;
  /**
   * Mixed into every eventId, so that a run against a store that already holds an earlier run's
   * events (`--attach`) posts new events. Empty for a fresh store: the same seed, the same ids.
   */
  readonly runTag?: string;
}

/** One intake event as planned: what is posted, plus its local day. */
export interface PlannedEvent {
  readonly eventId: string;
  readonly campaignId: string;
  readonly unitId: string;
  /** ISO 8601 with the campaign zone's offset, inside working hours. */
  readonly occurredAt: string;
  readonly count: number;
  readonly kind: string;
  readonly channel: IntakeChannel;
  readonly group?: string;
  /** The local day of occurredAt (campaign time zone). */
  readonly day: string;
}

/** The wire form of a planned event (without the simulator's `day`). */
export function toIntakeEvent(e: PlannedEvent) {
  return {
    eventId: e.eventId,
    campaignId: e.campaignId,
    unitId: e.unitId,
    occurredAt: e.occurredAt,
    count: e.count,
    kind: e.kind,
    channel: e.channel,
    ...(e.group !== undefined && { group: e.group }),
  };
}

/** One HTTP post (one session of a simulated day): the events it sends, repeats included. */
export interface PlannedPost {
  /** `2021-03-01 09:00-11:00`. */
  readonly label: string;
  /** What is sent, in order: the session's new events, then events repeated from the previous post, then in-batch repeats. */
  readonly sends: readonly PlannedEvent[];
  /** New events (first sent here). */
  readonly fresh: number;
  /** Events first sent in the previous post, sent again here. */
  readonly carried: number;
  /** Events sent twice in this post. */
  readonly inBatch: number;
  /** The whole post is sent a second time (its response was "lost"). */
  readonly resendWhole: boolean;
}

export interface PlannedDay {
  /** 0 for the campaign's first day. */
  readonly index: number;
  readonly day: string;
  /** The ISO week whose report runs this morning, before the day's intake (simulated Mondays). */
  readonly morningReport: string | null;
  readonly posts: readonly PlannedPost[];
  /** The risk job's asOf: this day at RISK_TIME, local, with the zone's offset. */
  readonly riskAsOf: string;
}

/** A leader to register: one per unit at the top two levels of the hierarchy. */
export interface LeaderSpec {
  readonly unitId: string;
  readonly name: string;
  readonly sms?: string;
  readonly email: string;
  readonly lang: 'vi' | 'en';
}

export interface SimulationPlan {
  readonly campaignId: string;
  readonly options: Required<PlanOptions>;
  readonly days: readonly PlannedDay[];
  /** The report run the morning after the last day, when that is a Monday. */
  readonly closingReport: string | null;
  /** Every unit's pace multiplier (units with no own share: none). */
  readonly unitPace: ReadonlyMap<string, number>;
  /** Unique events and the applications they carry. */
  readonly events: number;
  readonly applications: number;
  readonly leaders: readonly LeaderSpec[];
}

/** FNV-1a over the text, then a 32-bit finalizer: a seed for mulberry32 per purpose. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded stream for one purpose: `stream(seed, 'day', '2021-03-01', '11950')`. */
export const stream = (seed: number, ...parts: readonly string[]) =>
  mulberry32(hashSeed([String(seed), ...parts].join('|')));

const between = (random: () => number, min: number, max: number) => min + (max - min) * random();

/** A unit's pace multiplier for the run's pace. */
export function paceOf(seed: number, pace: Pace, unitId: string): number {
  const random = stream(seed, 'pace', pace, unitId);
  const lagging = pace === 'lagging' || (pace === 'mixed' && random() < MIXED_LAGGING_SHARE);
  const range = lagging ? PACE_RANGES.lagging : PACE_RANGES.onTrack;
  return between(random, range.min, range.max);
}

/** Splits a whole number by weights (largest remainder, ties to the earlier index): the parts sum exactly. */
export function apportionCount(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}

const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
const clock = (minuteOfDay: number) => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;

/**
 * The working hours as intake sessions of SESSION_MINUTES from the start (the last one shorter),
 * each weighted by the hourly curve over the minutes it covers. `hour` (the hour it starts in) names it.
 */
export function workingSlots(hours: { start: string; end: string }, sessionMinutes = SESSION_MINUTES) {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const slots: { hour: number; from: number; to: number; weight: number }[] = [];
  for (let from = start; from < end; from += sessionMinutes) {
    const to = Math.min(end, from + sessionMinutes);
    let weight = 0;
    for (let hour = Math.floor(from / 60); hour * 60 < to; hour++) {
      const covered = Math.min(to, hour * 60 + 60) - Math.max(from, hour * 60);
      weight += ((HOUR_WEIGHTS[hour] ?? 0.8) * covered) / 60;
    }
    slots.push({ hour: Math.floor(from / 60), from, to, weight });
  }
  return slots;
}

/** `2021-03-01T09:17:00+07:00`: a local wall-clock time written with the zone's offset at that moment. */
export function localIso(day: string, minuteOfDay: number, timeZone: string): string {
  const time = clock(minuteOfDay);
  const offset = zoneOffsetMs(zonedInstant(day, time, timeZone), timeZone) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return `${day}T${time}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

const EVENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Readable when it can be (`sim1-d03-11950-h09`), else a hash of the same parts; always a valid eventId. */
export function eventIdOf(
  options: Pick<PlanOptions, 'seed' | 'runTag'>,
  dayIndex: number,
  unitId: string,
  hour: number,
  part: number,
): string {
  const tag = options.runTag ? `${options.runTag}-` : '';
  const readable = `sim-${tag}s${options.seed}-d${pad(dayIndex + 1, 3)}-${unitId}-h${pad(hour)}${part > 0 ? `-${part}` : ''}`;
  if (EVENT_ID.test(readable)) return readable;
  const parts = [tag, options.seed, dayIndex, unitId, hour, part].join('|');
  return `sim-${hashSeed(parts).toString(36)}-${hashSeed(`${parts}|2`).toString(36)}-${dayIndex}-${hour}`;
}

/** A unit's own share of the target: its target minus its children's (a leaf: all of it). */
export function ownShare(hierarchy: Hierarchy, unit: Unit): number {
  const children = hierarchy.childrenOf(unit.id).reduce((sum, c) => sum + c.target, 0);
  return Math.max(0, unit.target - children);
}

/**
 * The share of a unit's daily intake that belongs to a group: the nearest sub-target of that group
 * (the unit's or an ancestor's), as a share of that unit's target, scaled to the sub-target's
 * shorter window (it is due earlier), at most one half.
 */
export function groupShares(file: CampaignFile, hierarchy: Hierarchy, unitId: string) {
  const shares: { group: string; share: number }[] = [];
  for (const group of file.campaign.groups) {
    const owner = [...hierarchy.pathOf(unitId)]
      .reverse()
      .map((id) => hierarchy.get(id))
      .find((u) => u?.subTargets.some((s) => s.group === group));
    const sub = owner?.subTargets.find((s) => s.group === group);
    if (!owner || !sub || owner.target === 0) continue;
    const span = daysBetween(file.campaign.startDate, owner.deadline) + 1;
    const subSpan = Math.max(1, daysBetween(file.campaign.startDate, sub.deadline) + 1);
    shares.push({ group, share: Math.min(0.5, ((sub.target / owner.target) * span) / subSpan) });
  }
  return shares;
}

/** The campaign's simulated days: from its start through its last deadline. */
export function campaignLength(file: CampaignFile): number {
  const last =
    file.units
      .map((u) => u.deadline)
      .sort()
      .at(-1) ?? file.campaign.startDate;
  return daysBetween(file.campaign.startDate, last) + 1;
}

/** Leaders: the root (SMS and e-mail, Vietnamese) and each of its children (e-mail; every third in English). */
export function leadersFor(
  file: CampaignFile,
  hierarchy: Hierarchy = buildHierarchy(file.units),
): LeaderSpec[] {
  const root = hierarchy.root;
  const slug = (id: string) => id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const leaders: LeaderSpec[] = [
    {
      unitId: root.id,
      name: `Chủ tịch UBND ${root.name}`,
      sms: '0912345678',
      email: `chutich-${slug(root.id)}@sim.example.vn`,
      lang: 'vi',
    },
  ];
  hierarchy.childrenOf(root.id).forEach((unit, i) => {
    const lang = i % 3 === 2 ? 'en' : 'vi';
    leaders.push({
      unitId: unit.id,
      name: lang === 'en' ? `Chair, ${unit.name}` : `Chủ tịch UBND ${unit.name}`,
      email: `chutich-${slug(unit.id)}@sim.example.vn`,
      lang,
    });
  });
  return leaders;
}

interface UnitDay {
  readonly unitId: string;
  /** Events by slot index (one tally per unit and session, split only above 1000). */
  readonly bySlot: PlannedEvent[][];
}

function planUnitDay(
  file: CampaignFile,
  options: Required<PlanOptions>,
  unit: Unit,
  share: number,
  pace: number,
  groups: readonly { group: string; share: number }[],
  dayIndex: number,
  day: string,
  slots: ReturnType<typeof workingSlots>,
): UnitDay {
  const { campaign } = file;
  const random = stream(options.seed, 'day', day, unit.id);
  const span = Math.max(1, daysBetween(campaign.startDate, unit.deadline) + 1);
  const noise = between(random, 1 - DAY_NOISE, 1 + DAY_NOISE);
  const dayCount = Math.round((share / span) * pace * noise);
  const perSlot = apportionCount(
    dayCount,
    slots.map((s) => s.weight),
  );
  const [firstKind = 'new', ...otherKinds] = campaign.kinds;
  const bySlot = slots.map((slot, s) => {
    const count = perSlot[s] ?? 0;
    // Draw the slot's attributes whether or not it has intake, so one slot never shifts another's.
    const minute = slot.from + Math.floor(random() * (slot.to - slot.from));
    const kindDraw = random();
    const kind =
      otherKinds.length === 0 || kindDraw < FIRST_KIND_SHARE
        ? firstKind
        : (otherKinds[
            Math.min(
              otherKinds.length - 1,
              Math.floor(((kindDraw - FIRST_KIND_SHARE) / (1 - FIRST_KIND_SHARE)) * otherKinds.length),
            )
          ] ?? firstKind);
    const channel: IntakeChannel = random() < MOBILE_SHARE ? 'mobile' : 'fixed';
    const groupDraw = random();
    let acc = 0;
    const group = groups.find((g) => {
      acc += g.share;
      return groupDraw < acc;
    })?.group;
    const events: PlannedEvent[] = [];
    for (let part = 0, left = count; left > 0; part++, left -= MAX_COUNT_PER_EVENT) {
      events.push({
        eventId: eventIdOf(options, dayIndex, unit.id, slot.hour, part),
        campaignId: campaign.id,
        unitId: unit.id,
        occurredAt: localIso(day, minute, campaign.timeZone),
        count: Math.min(MAX_COUNT_PER_EVENT, left),
        kind,
        channel,
        ...(group !== undefined && { group }),
        day,
      });
    }
    return events;
  });
  return { unitId: unit.id, bySlot };
}

/** The whole plan. Throws RangeError for days outside 1 … the campaign's length. */
export function planSimulation(file: CampaignFile, planOptions: PlanOptions): SimulationPlan {
  const options: Required<PlanOptions> = { runTag: '', ...planOptions };
  const length = campaignLength(file);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > length) {
    throw new RangeError(
      `days must be a whole number from 1 to ${length} (the campaign runs ${length} days)`,
    );
  }
  const { campaign } = file;
  const hierarchy = buildHierarchy(file.units);
  const slots = workingSlots(campaign.workingHours);
  const intakeUnits = hierarchy.units
    .map((unit) => ({ unit, share: ownShare(hierarchy, unit) }))
    .filter((u) => u.share > 0);
  const unitPace = new Map(
    intakeUnits.map(({ unit }) => [unit.id, paceOf(options.seed, options.pace, unit.id)]),
  );
  const unitGroups = new Map(intakeUnits.map(({ unit }) => [unit.id, groupShares(file, hierarchy, unit.id)]));

  let events = 0;
  let applications = 0;
  const days: PlannedDay[] = [];
  for (let index = 0; index < options.days; index++) {
    const day = addDays(campaign.startDate, index);
    const unitDays = intakeUnits
      // Past its deadline a unit takes in nothing more.
      .filter(({ unit }) => day <= unit.deadline)
      .map(({ unit, share }) =>
        planUnitDay(
          file,
          options,
          unit,
          share,
          unitPace.get(unit.id) ?? 1,
          unitGroups.get(unit.id) ?? [],
          index,
          day,
          slots,
        ),
      );
    const posts: PlannedPost[] = [];
    let carry: PlannedEvent[] = [];
    slots.forEach((slot, s) => {
      const fresh = unitDays.flatMap((u) => u.bySlot[s] ?? []);
      const random = stream(options.seed, 'post', day, String(slot.hour));
      const isLast = s === slots.length - 1;
      const nextCarry: PlannedEvent[] = [];
      const inBatch: PlannedEvent[] = [];
      for (const event of fresh) {
        events++;
        applications += event.count;
        const carryDraw = random();
        const repeatDraw = random();
        if (!isLast && carryDraw < CARRY_OVER_SHARE) nextCarry.push(event);
        if (repeatDraw < IN_BATCH_REPEAT_SHARE) inBatch.push(event);
      }
      const resendWhole = random() < RESEND_WHOLE_SHARE;
      const sends = [...fresh, ...carry, ...inBatch];
      if (sends.length > 0) {
        posts.push({
          label: `${day} ${clock(slot.from)}-${clock(slot.to)}`,
          sends,
          fresh: fresh.length,
          carried: carry.length,
          inBatch: inBatch.length,
          resendWhole,
        });
      }
      carry = nextCarry;
    });
    const monday = new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
    const lastWeek = previousWeek(day);
    days.push({
      index,
      day,
      morningReport: monday && lastWeek.to >= campaign.startDate ? lastWeek.id : null,
      posts,
      riskAsOf: localIso(day, minutesOf(RISK_TIME), campaign.timeZone),
    });
  }
  const after = addDays(campaign.startDate, options.days);
  const closingReport = new Date(`${after}T00:00:00Z`).getUTCDay() === 1 ? previousWeek(after).id : null;
  return {
    campaignId: campaign.id,
    options,
    days,
    closingReport,
    unitPace,
    events,
    applications,
    leaders: leadersFor(file, hierarchy),
  };
}

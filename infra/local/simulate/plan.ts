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
import { addDays, daysBetween } from '../../../shared/domain/calendar.js';
import { buildHierarchy } from '../../../shared/domain/hierarchy.js';
import { previousWeek } from '../../../shared/domain/report.js';
import type { CampaignFile, Unit } from '../../../shared/schemas/campaign.js';
import type { IntakeChannel } from '../../../shared/schemas/intake.js';
import { campaignLength, groupShares, leadersFor, ownShare } from './plan-campaign.js';
import { clock, localIso, minutesOf, pad, workingSlots } from './plan-clock.js';
import { apportionCount, between, hashSeed, stream } from './plan-draws.js';

export { campaignLength, groupShares, leadersFor, ownShare } from './plan-campaign.js';
export { localIso, SESSION_MINUTES, workingSlots } from './plan-clock.js';
export { apportionCount, hashSeed, stream } from './plan-draws.js';

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

/** A unit's pace multiplier for the run's pace. */
export function paceOf(seed: number, pace: Pace, unitId: string): number {
  const random = stream(seed, 'pace', pace, unitId);
  const lagging = pace === 'lagging' || (pace === 'mixed' && random() < MIXED_LAGGING_SHARE);
  const range = lagging ? PACE_RANGES.lagging : PACE_RANGES.onTrack;
  return between(random, range.min, range.max);
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

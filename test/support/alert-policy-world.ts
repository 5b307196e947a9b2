/**
 * The alert policy's test world: Hưng Yên 33 → Văn Lâm 323 (12 communes) and Văn Giang 324,
 * evaluations of it, and a month of hourly runs of applyPolicy with what each scope's leaders received.
 */
import {
  type Acknowledgement,
  type AlertPolicyConfig,
  type AlertState,
  applyPolicy,
  DEFAULT_ALERT_POLICY,
  type Notification,
  type Silence,
  type SubTargetEvaluation,
  type UnitEvaluation,
} from '../../shared/domain/alert-policy.js';
import { zonedInstant } from '../../shared/domain/calendar.js';
import { buildHierarchy } from '../../shared/domain/hierarchy.js';
import type { RiskFigures, RiskLevel } from '../../shared/domain/risk.js';
import type { Unit } from '../../shared/schemas/campaign.js';

export const TZ = 'Asia/Ho_Chi_Minh';
export const PROVINCE = '33';
export const DISTRICT = '323';
export const OTHER_DISTRICT = '324';
export const COMMUNES = Array.from({ length: 12 }, (_, i) => String(12001 + i));
export const C1 = '12001';
export const C2 = '12002';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

export function aUnit(overrides: Partial<Unit> & Pick<Unit, 'id' | 'parentId' | 'level'>): Unit {
  return { name: `Unit ${overrides.id}`, target: 9000, deadline: '2021-06-18', subTargets: [], ...overrides };
}

/** Hưng Yên 33 → Văn Lâm 323 (12 communes 12001…12012) and Văn Giang 324. */
export const hierarchy = buildHierarchy([
  aUnit({ id: PROVINCE, parentId: null, level: 'province', name: 'Tỉnh Hưng Yên', target: 1_109_100 }),
  aUnit({ id: DISTRICT, parentId: PROVINCE, level: 'district', name: 'Huyện Văn Lâm', target: 108_000 }),
  aUnit({ id: OTHER_DISTRICT, parentId: PROVINCE, level: 'district', name: 'Huyện Văn Giang' }),
  ...COMMUNES.map((id, i) => aUnit({ id, parentId: DISTRICT, level: 'commune', name: `Xã Số ${i + 1}` })),
]);

export const PACE: Readonly<Record<RiskLevel, number | null>> = {
  done: null,
  on_track: 1.1,
  at_risk: 0.9,
  critical: 0.5,
  missed: null,
  no_data: null,
};

export function someFigures(level: RiskLevel, remaining: number): RiskFigures {
  const required = level === 'missed' || level === 'done' ? null : 100;
  const pace = PACE[level];
  const observed = required !== null && pace !== null ? required * pace : null;
  return {
    evaluationDay: '2021-04-01',
    remaining,
    daysLeft: level === 'missed' ? 0 : 60,
    requiredDailyRate: level === 'done' ? 0 : required,
    observedDailyRate: observed,
    paceRatio: pace,
    projectedCompletion: null,
    level,
  };
}

export function anEvaluation(
  overrides: Partial<UnitEvaluation> & Pick<UnitEvaluation, 'unitId' | 'level'>,
): UnitEvaluation {
  const unit = hierarchy.get(overrides.unitId);
  const target = overrides.target ?? unit?.target ?? 9000;
  const total = overrides.total ?? (overrides.level === 'done' ? target : Math.round(target / 3));
  return {
    parentId: unit?.parentId ?? null,
    name: unit?.name ?? `Unit ${overrides.unitId}`,
    total,
    target,
    percent: (total / target) * 100,
    figures: someFigures(overrides.level, Math.max(0, target - total)),
    ...overrides,
  };
}

export function aSilence(overrides: Partial<Silence> & Pick<Silence, 'unitId' | 'until'>): Silence {
  return {
    id: `s-${overrides.unitId}`,
    campaignId: 'cccd-2021',
    reason: 'mất điện toàn huyện',
    createdBy: 'admin@hungyen',
    ...overrides,
  };
}

/** A leader's acknowledgement, made on 3/4 12:00 and running to the end of the simulated month. */
export function anAcknowledgement(
  overrides: Partial<Acknowledgement> & Pick<Acknowledgement, 'unitId'>,
): Acknowledgement {
  return {
    id: `a-${overrides.unitId}`,
    campaignId: 'cccd-2021',
    createdAt: localInstant(3, 12).toISOString(),
    createdBy: 'leader-12001',
    until: localInstant(30, 23).toISOString(),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// A month of hourly evaluations, 07:00–22:00 local
// ---------------------------------------------------------------------------------------------

export interface Tick {
  readonly day: number;
  readonly hour: number;
  readonly asOf: Date;
}

export const pad = (n: number) => String(n).padStart(2, '0');
export const localInstant = (day: number, hour: number, minute = 0) =>
  zonedInstant(`2021-04-${pad(day)}`, `${pad(hour)}:${pad(minute)}`, TZ);

export function monthOfTicks(days = 30): Tick[] {
  const ticks: Tick[] = [];
  for (let day = 1; day <= days; day++) {
    for (let hour = 7; hour <= 22; hour++) ticks.push({ day, hour, asOf: localInstant(day, hour) });
  }
  return ticks;
}

export type Script = (unitId: string, tick: Tick) => RiskLevel;

/** A script where the units named have their level (fixed, or by tick) and every other unit is on track. */
export const scriptOf =
  (levels: Readonly<Record<string, RiskLevel | ((tick: Tick) => RiskLevel)>>): Script =>
  (id, t) => {
    const level = levels[id];
    return typeof level === 'function' ? level(t) : (level ?? 'on_track');
  };

/** [from, to) in (day, hour) of the simulated month. */
export const during =
  (from: readonly [number, number], to: readonly [number, number]) =>
  (t: Tick): boolean => {
    const at = t.day * 100 + t.hour;
    return at >= from[0] * 100 + from[1] && at < to[0] * 100 + to[1];
  };

export interface Delivered {
  readonly tick: Tick;
  readonly notification: Notification;
}

export function simulate(options: {
  script: Script;
  silences?: readonly Silence[] | ((tick: Tick) => readonly Silence[]);
  acknowledgements?: readonly Acknowledgement[];
  subTargets?: (unitId: string, tick: Tick) => SubTargetEvaluation[];
  config?: AlertPolicyConfig;
  ticks?: readonly Tick[];
}) {
  const config = options.config ?? DEFAULT_ALERT_POLICY;
  let states: ReadonlyMap<string, AlertState> = new Map();
  const delivered: Delivered[] = [];
  for (const tick of options.ticks ?? monthOfTicks()) {
    const evaluations = hierarchy.units.map((u) =>
      anEvaluation({
        unitId: u.id,
        level: options.script(u.id, tick),
        ...(options.subTargets && { subTargets: options.subTargets(u.id, tick) }),
      }),
    );
    const silences = typeof options.silences === 'function' ? options.silences(tick) : options.silences;
    const result = applyPolicy({
      evaluations,
      states,
      silences: silences ?? [],
      acknowledgements: options.acknowledgements ?? [],
      asOf: tick.asOf,
      config,
      hierarchy,
    });
    states = result.states;
    for (const notification of result.notifications) delivered.push({ tick, notification });
  }
  return { delivered, states };
}

/** What the leaders of `scope` received, one line each: "5 11:00 own:alert children:12001/alert". */
export function inbox(delivered: readonly Delivered[], scope: string): string[] {
  return delivered
    .filter((d) => d.notification.scopeUnitId === scope)
    .map(({ tick, notification: n }) =>
      [
        `${tick.day} ${pad(tick.hour)}:00`,
        n.own ? `own:${n.own.kind}` : null,
        (n.groups ?? []).length > 0
          ? `groups:${(n.groups ?? []).map((g) => `${g.group?.code}/${g.kind}`).join(',')}`
          : null,
        n.children.length > 0
          ? `children:${n.children.map((c) => `${c.evaluation.unitId}/${c.kind}`).join(',')}`
          : null,
        n.escalations.length > 0
          ? `escalations:${n.escalations.map((c) => c.evaluation.unitId).join(',')}`
          : null,
      ]
        .filter((s) => s !== null)
        .join(' '),
    );
}

export const allOnTrack: Script = () => 'on_track';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderNotification } from '../../../../shared/domain/alert-messages.js';
import {
  type Acknowledgement,
  type AlertPolicyConfig,
  type AlertState,
  alertClassOf,
  applyPolicy,
  DEFAULT_ALERT_POLICY,
  type Notification,
  type Silence,
  type SubTargetEvaluation,
  smsReleaseTime,
  type UnitEvaluation,
} from '../../../../shared/domain/alert-policy.js';
import { zonedInstant } from '../../../../shared/domain/calendar.js';
import { buildHierarchy } from '../../../../shared/domain/hierarchy.js';
import type { RiskFigures, RiskLevel } from '../../../../shared/domain/risk.js';
import type { Unit } from '../../../../shared/schemas/campaign.js';

const TZ = 'Asia/Ho_Chi_Minh';
const PROVINCE = '33';
const DISTRICT = '323';
const OTHER_DISTRICT = '324';
const COMMUNES = Array.from({ length: 12 }, (_, i) => String(12001 + i));
const C1 = '12001';
const C2 = '12002';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

function aUnit(overrides: Partial<Unit> & Pick<Unit, 'id' | 'parentId' | 'level'>): Unit {
  return { name: `Unit ${overrides.id}`, target: 9000, deadline: '2021-06-18', subTargets: [], ...overrides };
}

/** Hưng Yên 33 → Văn Lâm 323 (12 communes 12001…12012) and Văn Giang 324. */
const hierarchy = buildHierarchy([
  aUnit({ id: PROVINCE, parentId: null, level: 'province', name: 'Tỉnh Hưng Yên', target: 1_109_100 }),
  aUnit({ id: DISTRICT, parentId: PROVINCE, level: 'district', name: 'Huyện Văn Lâm', target: 108_000 }),
  aUnit({ id: OTHER_DISTRICT, parentId: PROVINCE, level: 'district', name: 'Huyện Văn Giang' }),
  ...COMMUNES.map((id, i) => aUnit({ id, parentId: DISTRICT, level: 'commune', name: `Xã Số ${i + 1}` })),
]);

const PACE: Readonly<Record<RiskLevel, number | null>> = {
  done: null,
  on_track: 1.1,
  at_risk: 0.9,
  critical: 0.5,
  missed: null,
  no_data: null,
};

function someFigures(level: RiskLevel, remaining: number): RiskFigures {
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

function anEvaluation(
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

function aSilence(overrides: Partial<Silence> & Pick<Silence, 'unitId' | 'until'>): Silence {
  return {
    id: `s-${overrides.unitId}`,
    campaignId: 'cccd-2021',
    reason: 'mất điện toàn huyện',
    createdBy: 'admin@hungyen',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// A month of hourly evaluations, 07:00–22:00 local
// ---------------------------------------------------------------------------------------------

interface Tick {
  readonly day: number;
  readonly hour: number;
  readonly asOf: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localInstant = (day: number, hour: number, minute = 0) =>
  zonedInstant(`2021-04-${pad(day)}`, `${pad(hour)}:${pad(minute)}`, TZ);

function monthOfTicks(days = 30): Tick[] {
  const ticks: Tick[] = [];
  for (let day = 1; day <= days; day++) {
    for (let hour = 7; hour <= 22; hour++) ticks.push({ day, hour, asOf: localInstant(day, hour) });
  }
  return ticks;
}

type Script = (unitId: string, tick: Tick) => RiskLevel;

/** [from, to) in (day, hour) of the simulated month. */
const during =
  (from: readonly [number, number], to: readonly [number, number]) =>
  (t: Tick): boolean => {
    const at = t.day * 100 + t.hour;
    return at >= from[0] * 100 + from[1] && at < to[0] * 100 + to[1];
  };

interface Delivered {
  readonly tick: Tick;
  readonly notification: Notification;
}

function simulate(options: {
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
function inbox(delivered: readonly Delivered[], scope: string): string[] {
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

const allOnTrack: Script = () => 'on_track';

// ---------------------------------------------------------------------------------------------

describe('alert policy', () => {
  describe('applyPolicy() over a simulated month (hourly 07:00–22:00, Asia/Ho_Chi_Minh)', () => {
    it('sends nothing in a month where every unit is on track', () => {
      // Arrange
      const script = allOnTrack;

      // Act
      const { delivered, states } = simulate({ script });

      // Assert
      expect(delivered).toEqual([]);
      expect(states.size).toBe(hierarchy.size);
      expect(states.get(C1)).toMatchObject({
        observedLevel: 'on_track',
        streak: 30 * 16,
        alertedLevel: null,
      });
    });

    it('sends nothing for a commune that dips below the threshold for one evaluation', () => {
      // Arrange
      const dip = during([3, 10], [3, 11]);
      const script: Script = (id, t) => (id === C1 && dip(t) ? 'critical' : 'on_track');

      // Act
      const { delivered } = simulate({ script });

      // Assert
      expect(delivered).toEqual([]);
    });

    it('alerts a sustained fall once, repeats with back-off, ignores a one-hour recovery, escalates once and resolves', () => {
      // Arrange: critical from 5/4 10:00 to 8/4 15:00, with one on-track reading on 6/4 at 14:00
      const fall = during([5, 10], [8, 15]);
      const blip = during([6, 14], [6, 15]);
      const script: Script = (id, t) => (id === C1 && fall(t) && !blip(t) ? 'critical' : 'on_track');

      // Act
      const { delivered } = simulate({ script });

      // Assert: the commune's leaders
      expect(inbox(delivered, C1)).toEqual([
        '5 11:00 own:alert',
        '6 11:00 own:repeat',
        '8 11:00 own:repeat',
        '8 16:00 own:resolved',
      ]);
      // the district's leaders: the change in a digest, the escalation after 3 days, the recovery
      expect(inbox(delivered, DISTRICT)).toEqual([
        `5 11:00 children:${C1}/alert`,
        `8 10:00 escalations:${C1}`,
        `8 16:00 children:${C1}/resolved`,
      ]);
      expect(inbox(delivered, PROVINCE)).toEqual([]);
      const severities = delivered
        .filter((d) => d.notification.scopeUnitId === DISTRICT)
        .map((d) => d.notification.severity);
      expect(severities).toEqual(['critical', 'critical', 'resolved']);
    });

    it('groups 12 communes turning critical at once into ONE notification for the district', () => {
      // Arrange
      const spell = during([10, 9], [12, 7]);
      const script: Script = (id, t) => (COMMUNES.includes(id) && spell(t) ? 'critical' : 'on_track');

      // Act
      const { delivered } = simulate({ script });

      // Assert
      const district = delivered.filter((d) => d.notification.scopeUnitId === DISTRICT);
      expect(district).toHaveLength(2);
      const [alert, resolved] = district.map((d) => d.notification);
      expect(alert?.children.map((c) => c.evaluation.unitId)).toEqual(COMMUNES);
      expect(alert).toMatchObject({
        severity: 'critical',
        childCount: 12,
        childLevelCounts: { critical: 12 },
      });
      expect(resolved?.children.map((c) => c.kind)).toEqual(Array(12).fill('resolved'));
      expect(district.map((d) => `${d.tick.day} ${d.tick.hour}`)).toEqual(['10 10', '12 8']);
      // each commune's own leaders hear of their own commune, once per event
      for (const id of COMMUNES) {
        expect(inbox(delivered, id)).toEqual([
          '10 10:00 own:alert',
          '11 10:00 own:repeat',
          '12 08:00 own:resolved',
        ]);
      }
      // one notification per scope per evaluation
      const alertTick = delivered.filter((d) => d.tick.day === 10 && d.tick.hour === 10);
      expect(new Set(alertTick.map((d) => d.notification.scopeUnitId)).size).toBe(alertTick.length);
      if (!alert) throw new Error('no district notification');
      const sms = renderNotification(alert, {
        lang: 'vi',
        campaignName: 'Thu nhận hồ sơ CCCD 2021',
        timeZone: TZ,
        asOf: localInstant(10, 10),
      }).sms;
      expect(sms).toContain('12/12 xa nguy cap');
      expect(sms.length).toBeLessThanOrEqual(160);
    });

    it('inhibits per-commune details while the district itself is critical, but still counts and escalates', () => {
      // Arrange: the district is critical from 10/4 09:00, its communes from 13:00; all recover 14/4
      const districtSpell = during([10, 9], [14, 7]);
      const communeSpell = during([10, 13], [14, 7]);
      const script: Script = (id, t) => {
        if (id === DISTRICT && districtSpell(t)) return 'critical';
        if (COMMUNES.includes(id) && communeSpell(t)) return 'critical';
        return 'on_track';
      };

      // Act
      const { delivered } = simulate({ script });

      // Assert
      expect(inbox(delivered, DISTRICT)).toEqual([
        '10 10:00 own:alert',
        '11 10:00 own:repeat',
        '13 10:00 own:repeat',
        `13 13:00 escalations:${COMMUNES.join(',')}`,
        `14 08:00 own:resolved children:${COMMUNES.map((id) => `${id}/resolved`).join(',')}`,
      ]);
      const repeat = delivered.find(
        (d) => d.notification.scopeUnitId === DISTRICT && d.notification.own?.kind === 'repeat',
      );
      expect(repeat?.notification).toMatchObject({
        children: [],
        childCount: 12,
        childLevelCounts: { critical: 12 },
      });
      expect(inbox(delivered, PROVINCE)).toEqual([
        `10 10:00 children:${DISTRICT}/alert`,
        `13 09:00 escalations:${DISTRICT}`,
        `14 08:00 children:${DISTRICT}/resolved`,
      ]);
      for (const id of COMMUNES) expect(inbox(delivered, id)[0]).toBe('10 14:00 own:alert');
    });

    it('escalates a district critical for 3 days to the province, once per critical spell', () => {
      // Arrange
      const spell = during([2, 9], [20, 7]);
      const script: Script = (id, t) => (id === DISTRICT && spell(t) ? 'critical' : 'on_track');

      // Act
      const { delivered } = simulate({ script });

      // Assert
      expect(inbox(delivered, PROVINCE)).toEqual([
        `2 10:00 children:${DISTRICT}/alert`,
        `5 09:00 escalations:${DISTRICT}`,
        `20 08:00 children:${DISTRICT}/resolved`,
      ]);
      const district = inbox(delivered, DISTRICT);
      expect(district[0]).toBe('2 10:00 own:alert');
      // back-off 1, 2, 4, 7 days: repeats on 3, 5, 9 and 16 April
      expect(district.filter((line) => line.endsWith('own:repeat'))).toEqual([
        '3 10:00 own:repeat',
        '5 10:00 own:repeat',
        '9 10:00 own:repeat',
        '16 10:00 own:repeat',
      ]);
      expect(district.at(-1)).toBe('20 08:00 own:resolved');
      const escalation = delivered.find((d) => d.notification.escalations.length > 0)?.notification;
      expect(escalation?.escalations[0]).toMatchObject({ kind: 'escalation', to: 'critical' });
      expect(escalation?.escalations[0]?.criticalSince).toBe(localInstant(2, 9).toISOString());
    });

    it('sends nothing for a silenced subtree and one summary per unit when the silence ends, then repeats afresh', () => {
      // Arrange: Văn Lâm silenced until 10/4 12:00; 12001 falls and recovers inside the silence,
      // 12002 falls inside it (its escalation falls due on 10/4 09:00, muted) and stays critical.
      const silences = [aSilence({ unitId: DISTRICT, until: localInstant(10, 12).toISOString() })];
      const c1Spell = during([4, 9], [6, 9]);
      const c2Spell = during([7, 9], [15, 7]);
      const script: Script = (id, t) => {
        if (id === C1 && c1Spell(t)) return 'critical';
        if (id === C2 && c2Spell(t)) return 'critical';
        return 'on_track';
      };

      // Act
      const { delivered } = simulate({ script, silences });

      // Assert
      const beforeEnd = delivered.filter((d) => d.tick.asOf < localInstant(10, 12));
      expect(beforeEnd).toEqual([]);
      expect(inbox(delivered, C1)).toEqual(['10 12:00 own:summary']);
      expect(inbox(delivered, C2)).toEqual([
        '10 12:00 own:summary',
        '11 12:00 own:repeat',
        '13 12:00 own:repeat',
        '15 08:00 own:resolved',
      ]);
      const c1Summary = delivered.find((d) => d.notification.scopeUnitId === C1)?.notification.own;
      expect(c1Summary).toMatchObject({ from: 'on_track', to: 'on_track', muted: { worst: 'critical' } });
      expect(inbox(delivered, DISTRICT)).toEqual([
        `10 12:00 own:summary children:${COMMUNES.map((id) => `${id}/summary`).join(',')}`,
        `15 08:00 children:${C2}/resolved`,
      ]);
      expect(inbox(delivered, PROVINCE)).toEqual([]);
    });

    it('a silence on one commune hides it from the district digest but not its unsilenced siblings', () => {
      // Arrange
      const silences = [aSilence({ unitId: C1, until: localInstant(30, 23).toISOString() })];
      const spell = during([3, 9], [4, 9]);
      const script: Script = (id, t) => ((id === C1 || id === C2) && spell(t) ? 'at_risk' : 'on_track');

      // Act
      const { delivered } = simulate({ script, silences });

      // Assert
      expect(inbox(delivered, C1)).toEqual([]);
      expect(inbox(delivered, DISTRICT)).toEqual([
        `3 10:00 children:${C2}/alert`,
        `4 10:00 children:${C2}/resolved`,
      ]);
      const digest = delivered.find((d) => d.notification.scopeUnitId === DISTRICT)?.notification;
      expect(digest).toMatchObject({ severity: 'at_risk', childLevelCounts: { at_risk: 2, on_track: 10 } });
    });

    it('treats missed as critical that never repeats, and no_data as never alerting nor resolving', () => {
      // Arrange: 12001 critical then missed; 12002 at risk then missed; 12003 alerted then no_data
      const script: Script = (id, t) => {
        if (id === C1) return t.day < 5 ? 'on_track' : t.day < 8 ? 'critical' : 'missed';
        if (id === C2) return t.day < 5 ? 'on_track' : t.day < 8 ? 'at_risk' : 'missed';
        if (id === '12003') return t.day < 5 ? 'on_track' : t.day < 8 ? 'critical' : 'no_data';
        if (id === '12004') return 'no_data';
        return 'on_track';
      };

      // Act
      const { delivered } = simulate({ script });

      // Assert
      expect(inbox(delivered, C1)).toEqual(['5 08:00 own:alert', '6 08:00 own:repeat']);
      expect(inbox(delivered, C2)).toEqual(['5 08:00 own:alert', '8 08:00 own:alert']);
      const missed = delivered.find(
        (d) => d.notification.scopeUnitId === C2 && d.tick.day === 8,
      )?.notification;
      expect(missed).toMatchObject({ severity: 'critical', own: { from: 'at_risk', to: 'missed' } });
      expect(inbox(delivered, '12003')).toEqual(['5 08:00 own:alert', '6 08:00 own:repeat']);
      expect(inbox(delivered, '12004')).toEqual([]);
      expect(alertClassOf('missed')).toBe('critical');
      expect(alertClassOf('no_data')).toBe('unknown');
    });

    it('changes nothing and sends nothing when the same evaluation runs again (or an older one)', () => {
      // Arrange: run up to the evaluation where 12 communes alert
      const spell = during([2, 9], [3, 9]);
      const script: Script = (id, t) => (COMMUNES.includes(id) && spell(t) ? 'critical' : 'on_track');
      const ticks = monthOfTicks(2).filter((t) => t.day === 1 || t.hour <= 10);
      const { states } = simulate({ script, ticks });
      const last = ticks.at(-1);
      if (!last) throw new Error('no ticks');
      const evaluations = hierarchy.units.map((u) =>
        anEvaluation({ unitId: u.id, level: script(u.id, last) }),
      );
      const run = (asOf: Date) =>
        applyPolicy({ evaluations, states, silences: [], asOf, config: DEFAULT_ALERT_POLICY, hierarchy });

      // Act
      const again = run(last.asOf);
      const older = run(localInstant(2, 9));

      // Assert
      expect(states.get(C1)).toMatchObject({
        alertedLevel: 'critical',
        lastEvaluatedAt: last.asOf.toISOString(),
      });
      for (const result of [again, older]) {
        expect(result.notifications).toEqual([]);
        expect(result.changed.size).toBe(0);
        expect(result.states).toEqual(states);
      }
    });

    it('reports every evaluated unit as changed on a fresh run and keeps states of units not evaluated', () => {
      // Arrange
      const stale: AlertState = {
        observedLevel: 'on_track',
        streak: 3,
        alertedLevel: null,
        alertedAt: null,
        criticalSince: null,
        escalatedAt: null,
        lastEvaluatedAt: '2021-04-01T00:00:00.000Z',
      };
      const states = new Map([['gone', stale]]);

      // Act
      const result = applyPolicy({
        evaluations: [anEvaluation({ unitId: C1, level: 'on_track' })],
        states,
        silences: [],
        asOf: localInstant(2, 8),
        config: DEFAULT_ALERT_POLICY,
        hierarchy,
      });

      // Assert
      expect([...result.changed]).toEqual([C1]);
      expect(result.states.get('gone')).toBe(stale);
      expect(result.states.get(C1)).toMatchObject({ observedLevel: 'on_track', streak: 1 });
    });
  });

  describe('applyPolicy(), second round: back-off, acknowledgements, sub-targets, silence summaries', () => {
    const always =
      (unitId: string, level: RiskLevel): Script =>
      (id) =>
        id === unitId ? level : 'on_track';
    const anAck = (
      overrides: Partial<Acknowledgement> & Pick<Acknowledgement, 'unitId'>,
    ): Acknowledgement => ({
      id: `a-${overrides.unitId}`,
      campaignId: 'cccd-2021',
      createdAt: localInstant(3, 12).toISOString(),
      createdBy: 'leader-12001',
      until: localInstant(30, 23).toISOString(),
      ...overrides,
    });
    const officials = (level: RiskLevel): SubTargetEvaluation => ({
      group: 'official',
      deadline: '2021-04-30',
      level,
      total: 1000,
      target: 3000,
      percent: 33.33,
      figures: someFigures(level, 2000),
    });

    it('repeats an unchanged critical level on days 1, 2, 4, 8, 15, 22 and 29, and a worsening at once', () => {
      // Arrange: 12001 critical all month; 12002 at risk, then critical from 10/4 14:00
      const script: Script = (id, t) => {
        if (id === C1) return 'critical';
        if (id === C2) return t.day * 100 + t.hour >= 1014 ? 'critical' : 'at_risk';
        return 'on_track';
      };

      // Act
      const { delivered } = simulate({ script });

      // Assert
      expect(inbox(delivered, C1)).toEqual([
        '1 08:00 own:alert',
        '2 08:00 own:repeat',
        '4 08:00 own:repeat',
        '8 08:00 own:repeat',
        '15 08:00 own:repeat',
        '22 08:00 own:repeat',
        '29 08:00 own:repeat',
      ]);
      expect(inbox(delivered, C2)).toEqual([
        '1 08:00 own:alert',
        '10 15:00 own:alert',
        '11 15:00 own:repeat',
        '13 15:00 own:repeat',
        '17 15:00 own:repeat',
        '24 15:00 own:repeat',
      ]);
    });

    it('follows a configured back-off', () => {
      // Arrange
      const config: AlertPolicyConfig = { ...DEFAULT_ALERT_POLICY, repeatBackoffDays: [3] };

      // Act
      const { delivered } = simulate({ script: always(C1, 'critical'), config });

      // Assert
      const days = inbox(delivered, C1).map((line) => Number(line.split(' ')[0]));
      expect(days).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    });

    it('pauses repeats while acknowledged, until the level worsens or the acknowledgement ends; escalation still goes', () => {
      // Arrange: both acknowledged on 3/4 12:00; 12001's until 20/4 12:00; 12002 at risk, critical from 6/4
      const acknowledgements = [
        anAck({ unitId: C1, until: localInstant(20, 12).toISOString() }),
        anAck({ unitId: C2, id: 'a-2' }),
      ];
      const script: Script = (id, t) => {
        if (id === C1) return 'critical';
        if (id === C2) return t.day >= 6 ? 'critical' : 'at_risk';
        return 'on_track';
      };

      // Act
      const { delivered } = simulate({ script, acknowledgements });

      // Assert
      expect(inbox(delivered, C1)).toEqual([
        '1 08:00 own:alert',
        '2 08:00 own:repeat',
        '20 12:00 own:repeat', // the back-off goes on where it paused: 2, then 4 days
        '24 12:00 own:repeat',
      ]);
      expect(inbox(delivered, C2)).toEqual([
        '1 08:00 own:alert',
        '6 08:00 own:alert',
        '7 08:00 own:repeat',
        '9 08:00 own:repeat',
        '13 08:00 own:repeat',
        '20 08:00 own:repeat',
        '27 08:00 own:repeat',
      ]);
      expect(inbox(delivered, DISTRICT)).toContain(`4 07:00 escalations:${C1}`);
    });

    it('a withdrawn acknowledgement no longer pauses anything', () => {
      // Arrange
      const acknowledgements = [anAck({ unitId: C1, deletedAt: localInstant(3, 13).toISOString() })];

      // Act
      const { delivered } = simulate({ script: always(C1, 'critical'), acknowledgements });

      // Assert
      expect(inbox(delivered, C1).slice(0, 4)).toEqual([
        '1 08:00 own:alert',
        '2 08:00 own:repeat',
        '4 08:00 own:repeat',
        '8 08:00 own:repeat',
      ]);
    });

    it("sends one message naming the group when the officials' sub-target turns critical while the unit is on track", () => {
      // Arrange
      const subTargets = (id: string, t: Tick) =>
        id === C1 ? [officials(t.day >= 5 ? 'critical' : 'on_track')] : [];

      // Act
      const { delivered } = simulate({ script: allOnTrack, subTargets });

      // Assert
      expect(inbox(delivered, C1).slice(0, 3)).toEqual([
        '5 08:00 groups:official/alert',
        '6 08:00 groups:official/repeat',
        '8 08:00 groups:official/repeat',
      ]);
      const first = delivered.find((d) => d.notification.scopeUnitId === C1)?.notification;
      expect(first).toMatchObject({ own: null, severity: 'critical', children: [] });
      expect(first?.groups).toHaveLength(1);
      expect(inbox(delivered, DISTRICT)[0]).toBe(`8 07:00 escalations:${C1}`);
      const text = renderNotification(first as Notification, {
        lang: 'vi',
        campaignName: 'CCCD 2021',
        timeZone: TZ,
        asOf: localInstant(5, 8),
        smsBrand: 'CAHY',
        smsLinks: true,
        link: 'https://d1234abcd.cloudfront.net/c/cccd-2021-hung-yen/u/12001',
      });
      expect(text.sms).toContain('Can bo CCVC');
      expect(text.sms.startsWith('CAHY: ')).toBe(true);
      expect(text.sms.length).toBeLessThanOrEqual(160);
      expect(text.email).toContain('Cán bộ CCVC');
      expect(text.email).toContain('30/4/2021');
      expect(text.subject).toContain('Can bo CCVC');
    });

    it('ends a 3-day silence with one summary, never a replay, and restarts the back-off', () => {
      // Arrange: 12001 critical all month, silenced from 5/4 12:00 to 8/4 12:00
      const until = localInstant(8, 12);
      const silence = aSilence({ unitId: C1, until: until.toISOString() });
      const silences = (t: Tick) => (t.asOf >= localInstant(5, 12) && t.asOf < until ? [silence] : []);

      // Act
      const { delivered } = simulate({ script: always(C1, 'critical'), silences });

      // Assert
      expect(inbox(delivered, C1)).toEqual([
        '1 08:00 own:alert',
        '2 08:00 own:repeat',
        '4 08:00 own:repeat',
        '8 12:00 own:summary',
        '9 12:00 own:repeat',
        '11 12:00 own:repeat',
        '15 12:00 own:repeat',
        '22 12:00 own:repeat',
        '29 12:00 own:repeat',
      ]);
      const summary = delivered.find((d) => d.notification.own?.kind === 'summary')?.notification;
      expect(summary?.own).toMatchObject({
        from: 'critical',
        to: 'critical',
        muted: { since: localInstant(5, 12).toISOString(), worst: 'critical' },
      });
      const text = renderNotification(summary as Notification, {
        lang: 'vi',
        campaignName: 'CCCD 2021',
        timeZone: TZ,
        asOf: until,
      });
      expect(text.sms).toContain('HET TAM NGUNG');
      expect(text.email).toContain('HẾT TẠM NGỪNG CẢNH BÁO');
    });
  });

  describe('applyPolicy() properties', () => {
    const levels = fc.constantFrom<RiskLevel>('on_track', 'at_risk', 'critical', 'done', 'missed', 'no_data');

    it('sends at most one notification per scope per evaluation, only after `for` evaluations, and re-runs are no-ops', () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(levels, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 60 }),
          fc.integer({ min: 1, max: 3 }),
          (rows, forCount) => {
            // Arrange: each row sets district 323 and communes 12001–12003; everything else on track
            const config: AlertPolicyConfig = {
              ...DEFAULT_ALERT_POLICY,
              for: forCount,
              repeatBackoffDays: [0.125],
            };
            const tracked = [DISTRICT, C1, C2, '12003'];
            const ticks = monthOfTicks(5).slice(0, rows.length);
            let states: ReadonlyMap<string, AlertState> = new Map();
            const history = new Map<string, RiskLevel[]>();

            for (const [i, tick] of ticks.entries()) {
              const row = rows[i] ?? [];
              const levelOf = (id: string) => row[tracked.indexOf(id)] ?? 'on_track';
              const evaluations = hierarchy.units.map((u) =>
                anEvaluation({ unitId: u.id, level: levelOf(u.id) }),
              );
              for (const e of evaluations) history.set(e.unitId, [...(history.get(e.unitId) ?? []), e.level]);

              // Act
              const input = { evaluations, silences: [], asOf: tick.asOf, config, hierarchy };
              const result = applyPolicy({ ...input, states });
              const rerun = applyPolicy({ ...input, states: result.states });

              // Assert
              const scopes = result.notifications.map((n) => n.scopeUnitId);
              expect(new Set(scopes).size).toBe(scopes.length);
              for (const n of result.notifications) {
                const own = n.own;
                if (own && own.kind !== 'repeat') {
                  const recent = (history.get(n.scopeUnitId) ?? []).slice(-forCount);
                  expect(recent).toHaveLength(forCount);
                  expect(new Set(recent.map(alertClassOf)).size).toBe(1);
                }
                expect(n.own !== null || n.children.length > 0 || n.escalations.length > 0).toBe(true);
              }
              expect(rerun.notifications).toEqual([]);
              expect(rerun.changed.size).toBe(0);
              expect(rerun.states).toEqual(result.states);
              states = result.states;
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('smsReleaseTime()', () => {
    const quiet = DEFAULT_ALERT_POLICY.quietHours;

    it.each([
      ['21:29', 1, null],
      ['21:30', 1, [2, '06:30']],
      ['23:00', 1, [2, '06:30']],
      ['02:00', 2, [2, '06:30']],
      ['06:30', 2, null],
      ['06:31', 2, null],
    ] as const)('at %s local on day %i of April holds SMS until %j', (time, day, release) => {
      // Arrange
      const [hh, mm] = time.split(':').map(Number);
      const asOf = localInstant(day, hh ?? 0, mm ?? 0);

      // Act
      const released = smsReleaseTime(asOf, TZ, quiet);

      // Assert
      expect(released).toEqual(
        release === null ? null : zonedInstant(`2021-04-${pad(release[0])}`, release[1], TZ),
      );
    });

    it('handles a quiet period within one day, and no quiet period when start equals end', () => {
      // Arrange
      const lunch = { start: '12:00', end: '13:30' };
      const none = { start: '00:00', end: '00:00' };

      // Act
      const atNoon = smsReleaseTime(localInstant(3, 12, 15), TZ, lunch);
      const after = smsReleaseTime(localInstant(3, 13, 30), TZ, lunch);
      const never = smsReleaseTime(localInstant(3, 23), TZ, none);

      // Assert
      expect(atNoon).toEqual(zonedInstant('2021-04-03', '13:30', TZ));
      expect(after).toBeNull();
      expect(never).toBeNull();
    });
  });
});

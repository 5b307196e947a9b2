import { describe, expect, it } from 'vitest';
import { renderNotification } from '../../../../../shared/domain/alert-messages.js';
import {
  type AlertState,
  alertClassOf,
  applyPolicy,
  DEFAULT_ALERT_POLICY,
} from '../../../../../shared/domain/alert-policy.js';
import {
  allOnTrack,
  anEvaluation,
  aSilence,
  C1,
  C2,
  COMMUNES,
  DISTRICT,
  during,
  hierarchy,
  inbox,
  localInstant,
  monthOfTicks,
  PROVINCE,
  type Script,
  simulate,
  TZ,
} from '../../../../../test/support/alert-policy-world.js';

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
});

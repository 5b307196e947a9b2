import { describe, expect, it } from 'vitest';
import { renderNotification } from '../../../../../shared/domain/alert-messages.js';
import {
  type AlertPolicyConfig,
  DEFAULT_ALERT_POLICY,
  type Notification,
  type SubTargetEvaluation,
} from '../../../../../shared/domain/alert-policy.js';
import type { RiskLevel } from '../../../../../shared/domain/risk.js';
import {
  allOnTrack,
  anAcknowledgement,
  aSilence,
  C1,
  C2,
  DISTRICT,
  inbox,
  localInstant,
  scriptOf,
  simulate,
  someFigures,
  type Tick,
  TZ,
} from '../../../../../test/support/alert-policy-world.js';

describe('alert policy', () => {
  describe('applyPolicy(), second round: back-off, acknowledgements, sub-targets, silence summaries', () => {
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
      const script = scriptOf({
        [C1]: 'critical',
        [C2]: (t) => (t.day * 100 + t.hour >= 1014 ? 'critical' : 'at_risk'),
      });

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
      const { delivered } = simulate({ script: scriptOf({ [C1]: 'critical' }), config });

      // Assert
      const days = inbox(delivered, C1).map((line) => Number(line.split(' ')[0]));
      expect(days).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    });

    it('pauses repeats while acknowledged, until the level worsens or the acknowledgement ends; escalation still goes', () => {
      // Arrange: both acknowledged on 3/4 12:00; 12001's until 20/4 12:00; 12002 at risk, critical from 6/4
      const acknowledgements = [
        anAcknowledgement({ unitId: C1, until: localInstant(20, 12).toISOString() }),
        anAcknowledgement({ unitId: C2, id: 'a-2' }),
      ];
      const script = scriptOf({ [C1]: 'critical', [C2]: (t) => (t.day >= 6 ? 'critical' : 'at_risk') });

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
      const acknowledgements = [
        anAcknowledgement({ unitId: C1, deletedAt: localInstant(3, 13).toISOString() }),
      ];

      // Act
      const { delivered } = simulate({ script: scriptOf({ [C1]: 'critical' }), acknowledgements });

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
      const { delivered } = simulate({ script: scriptOf({ [C1]: 'critical' }), silences });

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
});

/** applyPolicy() properties over random level sequences (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertPolicyConfig,
  type AlertState,
  alertClassOf,
  applyPolicy,
  DEFAULT_ALERT_POLICY,
} from '../../../../../shared/domain/alert-policy.js';
import type { RiskLevel } from '../../../../../shared/domain/risk.js';
import {
  anEvaluation,
  C1,
  C2,
  DISTRICT,
  hierarchy,
  monthOfTicks,
} from '../../../../../test/support/alert-policy-world.js';

describe('alert policy', () => {
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
});

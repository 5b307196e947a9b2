/** Notifications and render options for the tests of the alert texts (shared/domain/alert-messages.ts, alert-text/). */
import type { UnitChange, UnitEvaluation } from '../../shared/domain/alert-policy.js';
import type { RiskFigures } from '../../shared/domain/risk.js';

export const TZ = 'Asia/Ho_Chi_Minh';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

function someFigures(
  overrides: Partial<RiskFigures> & Pick<RiskFigures, 'level' | 'remaining'>,
): RiskFigures {
  return {
    evaluationDay: '2021-03-13',
    daysLeft: 97,
    requiredDailyRate: 100,
    observedDailyRate: 50,
    paceRatio: 0.5,
    projectedCompletion: '2021-09-14',
    ...overrides,
  };
}

export function anEvaluation(
  overrides: Partial<Omit<UnitEvaluation, 'figures'>> &
    Pick<UnitEvaluation, 'unitId' | 'name'> & {
      figures?: Partial<RiskFigures>;
    },
): UnitEvaluation {
  const level = overrides.level ?? 'critical';
  const target = overrides.target ?? 9000;
  const total = overrides.total ?? 1500;
  const { figures, ...rest } = overrides;
  return {
    parentId: null,
    level,
    total,
    target,
    percent: (total / target) * 100,
    ...rest,
    figures: someFigures({ level, remaining: Math.max(0, target - total), ...figures }),
  };
}

/** Hưng Yên on 13/3/2021 (BRIEF.md): 13.994 of 1.109.100, 11.290/day required. */
export const hungYen = anEvaluation({
  unitId: '33',
  name: 'Tỉnh Hưng Yên',
  level: 'critical',
  total: 13_994,
  target: 1_109_100,
  percent: 1.26,
  figures: {
    remaining: 1_095_106,
    daysLeft: 97,
    requiredDailyRate: 1_095_106 / 97,
    observedDailyRate: 8_500,
    paceRatio: 8_500 / (1_095_106 / 97),
    projectedCompletion: '2021-07-17',
  },
});

export function aChange(overrides: Partial<UnitChange> & Pick<UnitChange, 'evaluation'>): UnitChange {
  return {
    from: null,
    to: overrides.evaluation.level,
    kind: 'alert',
    criticalSince: '2021-03-10T01:00:00.000Z',
    ...overrides,
  };
}

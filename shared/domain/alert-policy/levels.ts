/** Alerting classes and the order of levels (see the decisions in ../alert-policy.ts). */
import type { RiskLevel } from '../risk.js';

/** What a level means for alerting (see the decisions above). */
export type AlertClass = 'ok' | 'at_risk' | 'critical' | 'unknown';

export function alertClassOf(level: RiskLevel): AlertClass {
  switch (level) {
    case 'at_risk':
      return 'at_risk';
    case 'critical':
    case 'missed':
      return 'critical';
    case 'on_track':
    case 'done':
      return 'ok';
    case 'no_data':
      return 'unknown';
  }
}

/** Worst first: how bad a level is, for ordering children in messages. */
export const LEVEL_SEVERITY: Readonly<Record<RiskLevel, number>> = {
  missed: 5,
  critical: 4,
  at_risk: 3,
  no_data: 2,
  on_track: 1,
  done: 0,
};

/**
 * How each level is named in English: in alerts and reports to leaders, and on the dashboard, alike.
 * Plain data without zod, so the dashboard's bundle imports it as well (web/src/i18n/en.ts).
 */
import type { RiskLevel } from '../../schemas/progress.js';

export const EN_LEVEL_WORDS: Readonly<Record<RiskLevel, string>> = {
  done: 'target reached',
  on_track: 'on track',
  at_risk: 'at risk',
  critical: 'critical',
  missed: 'deadline missed',
  no_data: 'no data yet',
};

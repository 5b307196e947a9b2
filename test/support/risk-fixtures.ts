/** Fixtures shared by the tests of shared/domain/risk.ts (test/unit/shared/domain/risk/). */
import type { RiskCalendar } from '../../shared/domain/risk.js';

/** The Hưng Yên campaign's calendar: Hà Nội time, 07:00–22:00, thresholds 1.0 and 0.8. */
export const HUNG_YEN: RiskCalendar = {
  timeZone: 'Asia/Ho_Chi_Minh',
  startDate: '2021-03-01',
  workingHours: { start: '07:00', end: '22:00' },
  thresholds: { atRisk: 1.0, critical: 0.8 },
};

/** A moment in Hà Nội local time: `hanoi('2021-03-13', '22:30')`. */
export const hanoi = (day: string, time: string) => new Date(`${day}T${time}+07:00`);

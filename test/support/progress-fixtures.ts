/** Fixtures shared by the tests of shared/domain/progress.ts (test/unit/shared/domain/progress/). */
import type { DayTotals } from '../../shared/domain/progress.js';
import { CampaignFile, type Unit } from '../../shared/schemas/campaign.js';
import { aCampaignFile, aUnit } from './builders.js';
import { someTotals } from './memory-totals.js';

/** A unit as the catalogue holds it (defaults applied), from the test builder. */
export const unitOf = (overrides: Parameters<typeof aUnit>[0]): Unit =>
  CampaignFile.parse(aCampaignFile({ units: [aUnit(overrides)] })).units[0] as Unit;

export const day = (date: string, count: number, group?: string): DayTotals => ({
  day: date,
  totals: someTotals(count, group === undefined ? {} : { group }),
});

/** The test campaign's calendar: Hà Nội, from 1/3/2021, 07:00–22:00, thresholds 1.0 and 0.8. */
export const CALENDAR = CampaignFile.parse(aCampaignFile()).campaign;

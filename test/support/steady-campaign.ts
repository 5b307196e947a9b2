/**
 * A campaign file imported into the in-memory stores the jobs read, with steady intake: every unit
 * receives the same count each day from 1 March 2021 (the campaign builders' start).
 */
import { addDays } from '../../shared/domain/calendar.js';
import { placeUnits } from '../../shared/domain/import-plan.js';
import type { CampaignFile } from '../../shared/schemas/campaign.js';
import { MemoryCampaignStore } from './memory-campaign-store.js';
import { MemoryTotalsStore, someTotals } from './memory-totals.js';

export async function steadyCampaign(
  file: CampaignFile,
  intake: { days: number; perUnitPerDay: number },
): Promise<{ campaigns: MemoryCampaignStore; totals: MemoryTotalsStore }> {
  const campaigns = new MemoryCampaignStore();
  await campaigns.putCampaign(file.campaign);
  await campaigns.putUnits(file.campaign.id, placeUnits(file.units));
  const totals = new MemoryTotalsStore();
  for (let d = 0; d < intake.days; d++) {
    for (const unit of file.units)
      totals.addDay(file.campaign.id, unit.id, addDays('2021-03-01', d), someTotals(intake.perUnitPerDay));
  }
  return { campaigns, totals };
}

/**
 * The campaigns the local system starts with: the Hưng Yên scenario when the store is empty, and
 * the living demo's campaign file (infra/local/demo.ts) dated around today.
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { importCampaign } from '../../../shared/catalog/import.js';
import { parseCampaignText } from '../../../shared/catalog/parse.js';
import { addDays, localDate } from '../../../shared/domain/calendar.js';
import type { DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { DEMO_CAMPAIGN_ID, DEMO_SOURCE_FILE, DEMO_TODAY_INDEX, demoCampaignFile } from '../demo.js';
import { REPO_ROOT } from '../paths.js';

export const DEMO_CAMPAIGN_FILE = join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json');

export type DemoCampaignFile = Awaited<ReturnType<typeof demoCampaignFile>>;

/** Loads the Hưng Yên scenario when the store has no campaign; returns the campaigns stored after. */
export async function loadScenarioWhenEmpty(
  store: DynamoCampaignStore,
  notes: string[],
): Promise<Awaited<ReturnType<DynamoCampaignStore['listCampaigns']>>> {
  const campaigns = await store.listCampaigns();
  if (campaigns.length > 0) return campaigns;
  const { file, problems } = parseCampaignText(await readFile(DEMO_CAMPAIGN_FILE, 'utf8'), 'json');
  if (!file)
    throw new Error(`The reference campaign is invalid: ${problems[0]?.message ?? 'unknown problem'}`);
  await importCampaign(store, file);
  notes.push(
    `loaded the reference campaign ${file.campaign.id} (${file.units.length} units) from ${relative(REPO_ROOT, DEMO_CAMPAIGN_FILE)}`,
  );
  return store.listCampaigns();
}

/** The living demo's campaign file: a campaign like any other, with its own id and dates around today. */
export async function livingDemoFile(store: DynamoCampaignStore, notes: string[]): Promise<DemoCampaignFile> {
  const parsed = parseCampaignText(await readFile(DEMO_SOURCE_FILE, 'utf8'), 'json');
  if (!parsed.file) throw new Error('The demo scenario is invalid');
  const stored = await store.getCampaign(DEMO_CAMPAIGN_ID);
  const today = localDate(new Date(), parsed.file.campaign.timeZone);
  // Kept across restarts with the dates it was made with (a restart days later is then further in).
  const file = demoCampaignFile(parsed.file, stored ? addDays(stored.startDate, DEMO_TODAY_INDEX) : today);
  if (!stored) notes.push(`demo: creating ${DEMO_CAMPAIGN_ID} (today is its day ${DEMO_TODAY_INDEX + 1})`);
  return file;
}

/**
 * The ready lines' `campaigns:` note: those stored, and the living demo's (when it runs) even before
 * it is stored: on a first start it is created in the background after this is printed.
 */
export function campaignsNote(stored: readonly string[], demoId: string | null): string {
  const ids =
    demoId === null || stored.includes(demoId)
      ? [...stored]
      : [...stored, `${demoId} (the demo, being created)`];
  return `campaigns: ${ids.join(', ') || '(none)'}`;
}

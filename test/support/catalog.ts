import { buildHierarchy } from '../../shared/domain/hierarchy.js';
import type { CatalogView } from '../../shared/domain/intake.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import { aCampaignFile } from './builders.js';

/** The small test campaign (33 → 323, 324 → communes) as intake sees it. */
export function aCatalogView(input = aCampaignFile()): CatalogView {
  const file = CampaignFile.parse(input);
  return { campaign: file.campaign, hierarchy: buildHierarchy(file.units) };
}

/** A catalog source holding fixed views (null for unknown campaigns). */
export function fixedCatalog(...views: CatalogView[]) {
  const byId = new Map(views.map((v) => [v.campaign.id, v]));
  return { get: async (id: string) => byId.get(id) ?? null };
}

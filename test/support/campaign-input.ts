/** Builders of campaign files as an administrator writes them (no defaults applied), for the catalogue checks (test/unit/shared/domain/catalog/). */
import { expect } from 'vitest';
import { type CatalogProblem, checkCampaign } from '../../shared/domain/catalog.js';
import type { CampaignFileInput, CampaignInput, UnitInput } from '../../shared/schemas/campaign.js';

export function aUnitInput(overrides: Partial<UnitInput> & Pick<UnitInput, 'id'>): UnitInput {
  return {
    parentId: '33',
    name: `Unit ${overrides.id}`,
    level: 'district',
    target: 100,
    deadline: '2021-06-18',
    ...overrides,
  };
}

export function aProvinceInput(overrides: Partial<UnitInput> = {}): UnitInput {
  return aUnitInput({
    id: '33',
    parentId: null,
    name: 'Tỉnh Hưng Yên',
    level: 'province',
    target: 1_109_100,
    ...overrides,
  });
}

export function aCampaignFileInput(
  units: UnitInput[] = [aProvinceInput(), aUnitInput({ id: '323' })],
  campaign: Partial<CampaignInput> = {},
): CampaignFileInput {
  return {
    campaign: {
      id: 'cccd-2021-hung-yen',
      name: 'Thu nhận hồ sơ CCCD 2021 — Hưng Yên',
      startDate: '2021-03-01',
      groups: ['official'],
      ...campaign,
    },
    units,
  };
}

/** The problems as "path: message" lines, the way an administrator reads them. */
export function problemLines(problems: readonly CatalogProblem[]): string[] {
  return problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);
}

/** checkCampaign() refuses the file (gives no file back): its problems as lines. */
export function refusalOf(input: unknown): string[] {
  const { file, problems } = checkCampaign(input);
  expect(file).toBeNull();
  return problemLines(problems);
}

import { describe, expect, it } from 'vitest';
import { describePlan, isNoop, placeUnits, planImport } from '../../../../shared/domain/import-plan.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile, aUnit } from '../../../support/builders.js';

const parse = (input: ReturnType<typeof aCampaignFile>) => CampaignFile.parse(input);

describe('planImport()', () => {
  it('creates everything on first import', () => {
    const file = parse(aCampaignFile());
    const plan = planImport({ campaign: null, units: [] }, file);
    expect(plan.campaignStatus).toBe('created');
    expect(plan.created.map((u) => u.id)).toEqual(['33', '323', '324', '12001', '12002', '12101']);
    expect(plan.created.find((u) => u.id === '12001')).toMatchObject({ path: ['33', '323'], depth: 2 });
  });

  it('is a no-op when the same file is imported again', () => {
    // Arrange
    const file = parse(aCampaignFile());
    // Act
    const plan = planImport({ campaign: file.campaign, units: placeUnits(file.units) }, file);
    // Assert
    expect(isNoop(plan)).toBe(true);
    expect(plan.unchangedCount).toBe(6);
  });

  it('ignores the order of sub-targets and of their keys (DynamoDB returns maps in its own order)', () => {
    const subTargets = [
      { group: 'official', target: 50, deadline: '2021-04-30' },
      { group: 'student', target: 20, deadline: '2021-05-30' },
    ];
    const before = parse(aCampaignFile({ campaign: { groups: ['official', 'student'] } }));
    const root = before.units[0];
    if (!root) throw new Error('fixture has a root');
    const reordered = subTargets.map(({ group, target, deadline }) => ({ deadline, target, group }));
    const stored = placeUnits([{ ...root, subTargets: reordered }, ...before.units.slice(1)]);
    const after = {
      ...before,
      units: [{ ...root, subTargets: [...subTargets].reverse() }, ...before.units.slice(1)],
    };
    expect(isNoop(planImport({ campaign: before.campaign, units: stored }, after))).toBe(true);
  });

  it('reports each changed field and describes it with vi-VN numbers', () => {
    // Arrange
    const before = parse(aCampaignFile());
    const edited = aCampaignFile();
    edited.units = edited.units.map((u) =>
      u.id === '323'
        ? { ...u, target: 650, name: 'Huyện Văn Lâm (mới)' }
        : u.id === '33'
          ? { ...u, target: 1050 }
          : u,
    );
    // Act
    const plan = planImport({ campaign: before.campaign, units: placeUnits(before.units) }, parse(edited));
    // Assert
    expect(plan.updated.map((u) => [u.unit.id, u.changes.map((c) => c.field)])).toEqual([
      ['33', ['target']],
      ['323', ['name', 'target']],
    ]);
    const lines = describePlan(plan);
    expect(lines[0]).toBe(
      'campaign cccd-2021-test: unchanged; units: 0 created, 2 updated, 0 removed, 4 unchanged',
    );
    expect(lines).toContain('  unit 33 (Tỉnh Hưng Yên) target: 1.000 → 1.050');
  });

  it('updates the path of a whole subtree when a unit moves', () => {
    const before = parse(aCampaignFile());
    const moved = aCampaignFile();
    moved.units = moved.units.map((u) => (u.id === '12002' ? { ...u, parentId: '324' } : u));
    const plan = planImport({ campaign: before.campaign, units: placeUnits(before.units) }, parse(moved));
    expect(plan.updated).toHaveLength(1);
    expect(plan.updated[0]?.changes.map((c) => c.field)).toEqual(['parentId', 'path']);
  });

  it('lists stored units the file no longer has as removed, and campaign field changes', () => {
    const before = parse(aCampaignFile());
    const smaller = aCampaignFile({ campaign: { name: 'Tên mới' } });
    smaller.units = smaller.units.filter((u) => u.id !== '12101');
    smaller.units.push(aUnit({ id: '12102', parentId: '324', target: 400 }));
    const plan = planImport({ campaign: before.campaign, units: placeUnits(before.units) }, parse(smaller));
    expect(plan.removed.map((u) => u.id)).toEqual(['12101']);
    expect(plan.created.map((u) => u.id)).toEqual(['12102']);
    expect(plan.campaignStatus).toBe('updated');
    expect(plan.campaignChanges).toEqual([
      { field: 'name', from: 'Thu nhận hồ sơ CCCD 2021 — thử', to: 'Tên mới' },
    ]);
  });
});

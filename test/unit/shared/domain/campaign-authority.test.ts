import { describe, expect, it } from 'vitest';
import { authorizeImport, type CampaignAuthority } from '../../../../shared/domain/campaign-authority.js';
import { buildHierarchy } from '../../../../shared/domain/hierarchy.js';
import { placeUnits, planImport } from '../../../../shared/domain/import-plan.js';
import { CampaignFile, type CampaignFileInput } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';

// The stored campaign: 33 → 323 (12001, 12002), 324 (12101).
const stored = CampaignFile.parse(aCampaignFile());
const storedUnits = placeUnits(stored.units);
const hierarchy = buildHierarchy(storedUnits);

/** A caller holding these unit ids (each with its subtree, as stored), or `*`. */
function holding(...ids: string[]): CampaignAuthority {
  return {
    all: ids.includes('*'),
    covers: (unitId) =>
      ids.includes('*') || (hierarchy.has(unitId) && hierarchy.pathOf(unitId).some((id) => ids.includes(id))),
  };
}

function decide(edit: (file: CampaignFileInput) => CampaignFileInput, ...ids: string[]) {
  const file = CampaignFile.parse(edit(aCampaignFile()));
  const plan = planImport({ campaign: stored.campaign, units: storedUnits }, file);
  return authorizeImport(plan, hierarchy, holding(...ids));
}

const withUnit = (file: CampaignFileInput, id: string, change: Record<string, unknown>) => ({
  ...file,
  units: file.units.map((u) => (u.id === id ? { ...u, ...change } : u)),
});

describe('authorizeImport()', () => {
  it('lets only "*" create a campaign', () => {
    // Arrange
    const plan = planImport({ campaign: null, units: [] }, stored);
    // Act / Assert
    expect(authorizeImport(plan, null, holding('33'))).toMatchObject({ allowed: false });
    expect(authorizeImport(plan, null, holding('*'))).toEqual({ allowed: true });
  });

  it('refuses a commune admin that re-roots the province under its commune (the file claims 12001 as root)', () => {
    // Arrange: 12001 becomes the root, 33 goes under it
    const decision = decide(
      (f) => withUnit(withUnit(f, '12001', { parentId: null }), '33', { parentId: '12001' }),
      '12001',
    );
    // Assert
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) {
      expect(decision.reasons.join('\n')).toMatch(/root unit 33/);
      expect(decision.reasons.join('\n')).toMatch(/Changing unit 33/);
    }
  });

  it('lets the province admin edit targets, and refuses a district admin the same edit of its province', () => {
    const edit = (f: CampaignFileInput) => withUnit(f, '33', { target: 2000 });
    expect(decide(edit, '33')).toEqual({ allowed: true });
    expect(decide(edit, '323')).toMatchObject({ allowed: false });
  });

  it('lets a district admin edit its own communes but not its neighbour district', () => {
    expect(decide((f) => withUnit(f, '12001', { name: 'Xã Một Mới' }), '323')).toEqual({ allowed: true });
    expect(decide((f) => withUnit(f, '12101', { name: 'Xã Ba Mới' }), '323')).toMatchObject({
      allowed: false,
    });
  });

  it('needs the stored root for campaign settings and for removals', () => {
    const settings = (f: CampaignFileInput) => ({ ...f, campaign: { ...f.campaign, kinds: ['new'] } });
    expect(decide(settings, '323')).toMatchObject({ allowed: false });
    expect(decide(settings, '33')).toEqual({ allowed: true });
    const removal = (f: CampaignFileInput) => ({ ...f, units: f.units.filter((u) => u.id !== '12002') });
    expect(decide(removal, '323')).toMatchObject({ allowed: false });
    expect(decide(removal, '33')).toEqual({ allowed: true });
  });

  it('adds a unit under a covered stored parent, also through a new intermediate unit', () => {
    const add = (parentId: string) => (f: CampaignFileInput) => ({
      ...f,
      units: [
        ...f.units,
        { id: '12003', parentId, name: 'Xã Mới', level: 'commune', target: 0, deadline: '2021-06-18' },
      ],
    });
    expect(decide(add('323'), '323')).toEqual({ allowed: true });
    expect(decide(add('324'), '323')).toMatchObject({ allowed: false });
    const chain = (f: CampaignFileInput) => ({
      ...f,
      units: [
        ...f.units,
        {
          id: '325',
          parentId: '324',
          name: 'Huyện Mới',
          level: 'district',
          target: 0,
          deadline: '2021-06-18',
        },
        { id: '12201', parentId: '325', name: 'Xã Mới', level: 'commune', target: 0, deadline: '2021-06-18' },
      ],
    });
    expect(decide(chain, '324')).toEqual({ allowed: true });
    const refused = decide(chain, '323');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.reasons.join('\n')).toMatch(/325 \(new; it hangs from 324\)/);
  });

  it('moves a unit only when both the unit and its new parent are covered as stored', () => {
    const move = (f: CampaignFileInput) => withUnit(f, '12001', { parentId: '324' });
    expect(decide(move, '323')).toMatchObject({ allowed: false }); // not the new parent
    expect(decide(move, '324')).toMatchObject({ allowed: false }); // not the unit
    expect(decide(move, '323', '324')).toEqual({ allowed: true });
  });
});

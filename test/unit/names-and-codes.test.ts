import { describe, expect, it } from 'vitest';
import { campaignToCsv } from '../../shared/catalog/parse.js';
import { checkCampaign } from '../../shared/domain/catalog.js';
import { addTotals, countOf, emptyTotals, totalsOfEvent } from '../../shared/domain/totals.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import { oneLine, withPlainText } from '../../shared/util/text.js';
import { aCampaignFile } from '../support/builders.js';

const errorsOf = (input: unknown) =>
  checkCampaign(input)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => `${p.path}: ${p.message}`);

describe('codes that are names of JavaScript objects’ members', () => {
  it.each([
    [
      'a kind',
      (f: ReturnType<typeof aCampaignFile>) => ({
        ...f,
        campaign: { ...f.campaign, kinds: ['new', 'constructor'] },
      }),
      'campaign.kinds[1]',
    ],
    [
      'a group',
      (f: ReturnType<typeof aCampaignFile>) => ({
        ...f,
        campaign: { ...f.campaign, groups: ['constructor'] },
      }),
      'campaign.groups[0]',
    ],
    [
      'a unit id',
      (f: ReturnType<typeof aCampaignFile>) => ({
        ...f,
        units: f.units.map((u) => (u.id === '12002' ? { ...u, id: 'constructor' } : u)),
      }),
      'units[4].id',
    ],
  ])('refuses %s named "constructor" at import, naming the code', (_, edit, path) => {
    // Act
    const errors = errorsOf(edit(aCampaignFile()));
    // Assert
    expect(errors).toContain(
      `${path}: "constructor" is reserved (a built-in name of JavaScript objects); choose another code`,
    );
  });

  it('counts a code under its own key only, never from the prototype', () => {
    // Arrange: totals built without validation, as a stored item might hold them
    const a = totalsOfEvent({ count: 2, kind: 'constructor', channel: 'fixed', group: 'toString' });
    // Act
    const sum = addTotals(addTotals(emptyTotals(), a), a);
    // Assert
    expect(countOf(sum.byKind, 'constructor')).toBe(4);
    expect(countOf(sum.byGroup, 'toString')).toBe(4);
    expect(countOf(emptyTotals().byKind, 'constructor')).toBe(0);
    expect(countOf(emptyTotals().byGroup, 'hasOwnProperty')).toBe(0);
  });
});

describe('control characters in names', () => {
  it.each(['Xã\nMột', 'Xã\rMột', 'Xã\tMột', 'Xã\u2028Một', 'Xã\u0085Một', 'Xã\u001bMột'])(
    'refuses a unit name %j at validation',
    (name) => {
      const file = aCampaignFile();
      const errors = errorsOf({
        ...file,
        units: file.units.map((u) => (u.id === '12001' ? { ...u, name } : u)),
      });
      expect(errors).toContain('units[3].name: must not contain control characters (line breaks, tabs…)');
    },
  );

  it('puts any stored name on one line in the campaign CSV export', () => {
    // Arrange: a campaign stored before names were checked
    const file = CampaignFile.parse(aCampaignFile());
    const forged = {
      campaign: { ...file.campaign, name: 'Hưng Yên\n# campaign.id: other' },
      units: file.units.map((u) =>
        u.id === '12001' ? { ...u, name: 'Xã Một\n999,33,Forged,commune,1,2021-06-18' } : u,
      ),
    };
    // Act
    const csv = campaignToCsv(forged);
    // Assert
    expect(csv.split('\n').filter((l) => l.startsWith('# campaign.id'))).toHaveLength(1);
    expect(csv.split('\n').some((l) => l.startsWith('999,'))).toBe(false);
  });

  it('oneLine and withPlainText replace controls by a space, keeping dates and numbers', () => {
    const at = new Date('2021-03-13T15:30:00Z');
    expect(oneLine('a\r\nb\tc')).toBe('a b c');
    expect(withPlainText({ name: 'a\nb', n: 3, at, list: ['x\u2029y'] })).toEqual({
      name: 'a b',
      n: 3,
      at,
      list: ['x y'],
    });
  });
});

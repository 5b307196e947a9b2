import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatGrant,
  type Grant,
  grantCoversGrant,
  grantsCoverUnit,
  parseGrant,
  parseGrants,
  unitsGrantedIn,
} from '../../../../shared/domain/grants.js';
import { aCatalogView } from '../../../support/catalog.js';

const HUNG_YEN = 'cccd-2021-hung-yen';
const view = aCatalogView();
const campaignId = view.campaign.id;
const { hierarchy } = view;

describe('parseGrant()', () => {
  it.each([
    ['*', { kind: 'all' }],
    ['11977', { kind: 'unit', unitId: '11977' }],
    ['DX.01_a-b', { kind: 'unit', unitId: 'DX.01_a-b' }],
    [`${HUNG_YEN}:*`, { kind: 'campaign', campaignId: HUNG_YEN }],
    [`${HUNG_YEN}:323`, { kind: 'unit', unitId: '323', campaignId: HUNG_YEN }],
  ])('reads %j', (element, expected) => {
    expect(parseGrant(element)).toEqual(expected);
    expect(formatGrant(parseGrant(element) as Grant)).toBe(element);
  });

  it.each([
    '11977 *',
    '11977,*',
    '"*"',
    '[*]',
    '* ',
    ' 11977',
    '',
    '**',
    ':*',
    '*:*',
    `${HUNG_YEN}:`,
    `${HUNG_YEN}:323:1`,
    'Upper-Case:323',
    `${HUNG_YEN}:323 *`,
    'xã-11977',
    '-leading',
    'a'.repeat(65),
  ])('grants nothing for %j', (element) => {
    expect(parseGrant(element)).toBeUndefined();
  });

  it('reads a claim element by element and never splits a string', () => {
    expect(parseGrants(['33', '11977 *', 7, null, `${HUNG_YEN}:*`]).map(formatGrant)).toEqual([
      '33',
      `${HUNG_YEN}:*`,
    ]);
    expect(parseGrants('[11977 *]')).toEqual([]);
    expect(parseGrants('11977').map(formatGrant)).toEqual(['11977']);
    expect(parseGrants(undefined)).toEqual([]);
  });
});

describe('unitsGrantedIn()', () => {
  it('keeps a qualified grant to its campaign, and an unqualified one in every campaign', () => {
    const grants = parseGrants(['12001', `${HUNG_YEN}:323`, 'other-campaign:99']);
    expect([...(unitsGrantedIn(grants, HUNG_YEN) as Set<string>)].sort()).toEqual(['12001', '323']);
    expect([...(unitsGrantedIn(grants, 'cccd-2021-thanh-hoa') as Set<string>)]).toEqual(['12001']);
    expect(unitsGrantedIn(parseGrants([`${HUNG_YEN}:*`]), HUNG_YEN)).toBe('all');
    expect(unitsGrantedIn(parseGrants([`${HUNG_YEN}:*`]), 'cccd-2021-thanh-hoa')).toEqual(new Set());
    expect(unitsGrantedIn(parseGrants(['*']), 'anything')).toBe('all');
  });
});

describe('grantsCoverUnit()', () => {
  it.each([
    ['a qualified grant in its own campaign', [`${campaignId}:323`], campaignId, '12002', true],
    ['a qualified grant in another campaign', ['other-campaign:323'], campaignId, '12002', false],
    [
      'the same unit ids under a qualified grant of another campaign',
      ['other-campaign:*'],
      campaignId,
      '33',
      false,
    ],
    ['a campaign-wide grant', [`${campaignId}:*`], campaignId, '12101', true],
    ['an unknown unit under a unit grant', ['33'], campaignId, '99999', false],
    ['an unknown unit under a campaign-wide grant', [`${campaignId}:*`], campaignId, '99999', true],
  ] as const)('%s → %s', (_case, units, campaign, unitId, expected) => {
    expect(grantsCoverUnit(parseGrants(units), campaign, unitId, hierarchy)).toBe(expected);
  });

  it('never grants more than the strict parse of a random claim gives (spaces, commas, quotes, stars, brackets, unicode)', () => {
    // Arrange: claims built from the characters that fooled the old flattened-string parser
    const alphabet = fc.constantFrom(...'*: ,"\'[]{}.-_ 3323120012011977abcxãạ\u00a0\u200b\t\n'.split(''));
    const element = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 16 }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('*', '33', '323', '12001', `${campaignId}:*`, `${campaignId}:323`, '11977 *', '"*"'),
    );
    const ids = hierarchy.units.map((u) => u.id).concat(['99999']);
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), fc.constantFrom(...ids), (claim, unitId) => {
        // Act
        const granted = grantsCoverUnit(parseGrants(claim), campaignId, unitId, hierarchy);
        // Assert: the grant comes only from elements that are exactly one of the four forms
        const strict = claim.filter(
          (e) =>
            e === '*' ||
            e === `${campaignId}:*` ||
            (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(e) &&
              hierarchy.has(unitId) &&
              hierarchy.pathOf(unitId).includes(e)) ||
            (e.startsWith(`${campaignId}:`) &&
              hierarchy.has(unitId) &&
              hierarchy.pathOf(unitId).includes(e.slice(campaignId.length + 1))),
        );
        if (granted) expect(strict.length).toBeGreaterThan(0);
        else expect(strict).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('grantCoversGrant() (who may grant what)', () => {
  const hierarchyOf = (id: string) => (id === campaignId ? hierarchy : undefined);
  const covers = (outer: string[], inner: string) =>
    grantCoversGrant(parseGrants(outer), parseGrant(inner) as Grant, hierarchyOf);

  it.each([
    [['*'], '*', true],
    [['*'], '33', true],
    [[`${campaignId}:*`], `${campaignId}:*`, true],
    [[`${campaignId}:*`], `${campaignId}:12001`, true],
    [[`${campaignId}:*`], '12001', false],
    [[`${campaignId}:*`], '*', false],
    [[`${campaignId}:323`], `${campaignId}:323`, true],
    [[`${campaignId}:323`], `${campaignId}:12002`, true],
    [[`${campaignId}:323`], `${campaignId}:12101`, false],
    [[`${campaignId}:323`], `${campaignId}:33`, false],
    [[`${campaignId}:323`], '323', false],
    [[`${campaignId}:323`], `${campaignId}:*`, false],
    [['323'], '323', true],
    [['323'], `${campaignId}:12001`, true],
    [['323'], '12001', false],
    [['323'], 'other-campaign:12001', false],
  ])('%j may grant %j: %s', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });

  it('refuses a unit of a campaign the registry does not know', () => {
    expect(covers([`${campaignId}:33`], 'unknown-campaign:33')).toBe(false);
    expect(covers(['33'], 'unknown-campaign:33')).toBe(false);
  });
});

/** Who may grant what, and the claims of a token: shared/domain/identity.ts. */
import { describe, expect, it } from 'vitest';
import { parseGrants } from '../../../../shared/domain/grants.js';
import { buildHierarchy } from '../../../../shared/domain/hierarchy.js';
import {
  accessTokenClaims,
  grantProblems,
  mayManage,
  type UserRecord,
} from '../../../../shared/domain/identity.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';

const CAMPAIGN = 'cccd-2021-test';
const tree = buildHierarchy(CampaignFile.parse(aCampaignFile()).units);
const hierarchyOf = (id: string) => (id === CAMPAIGN ? tree : undefined);
const knownUnit = (id: string) => tree.has(id);
const giver = (units: string[], scopes = ['admin', 'progress:read', 'intake:write']) => ({
  grants: parseGrants(units),
  scopes: new Set(scopes),
});

describe('grantProblems', () => {
  it('lets a district admin give its district or units below it in that campaign', () => {
    // Act
    const problems = grantProblems(
      { units: [`${CAMPAIGN}:323`, `${CAMPAIGN}:12001`], scopes: ['progress:read'] },
      giver([`${CAMPAIGN}:323`]),
      hierarchyOf,
      knownUnit,
    );
    // Assert
    expect(problems).toEqual([]);
  });

  it('refuses a sibling, an unqualified id, the campaign and * to a district admin, each listed', () => {
    // Act
    const problems = grantProblems(
      { units: [`${CAMPAIGN}:324`, '323', `${CAMPAIGN}:*`, '*'], scopes: ['progress:read'] },
      giver([`${CAMPAIGN}:323`]),
      hierarchyOf,
      knownUnit,
    );
    // Assert
    expect(problems.map((p) => p.path)).toEqual(['units.0', 'units.1', 'units.2', 'units.3']);
    expect(problems.every((p) => p.message.includes('beyond your own grants'))).toBe(true);
  });

  it('lists malformed grants, unknown campaigns and units, unknown scopes and scopes the giver lacks, all at once', () => {
    // Act
    const problems = grantProblems(
      {
        units: ['11977 *', 'nope-2021:1', `${CAMPAIGN}:99999`, '99999'],
        scopes: ['superuser', 'intake:write'],
      },
      giver(['*'], ['admin', 'progress:read']),
      hierarchyOf,
      knownUnit,
    );
    // Assert
    expect(problems.map((p) => `${p.path} ${p.message}`)).toEqual([
      'units.0 "11977 *" is not a grant: use *, <campaignId>:*, <campaignId>:<unitId> or <unitId>',
      'units.1 unknown campaign "nope-2021"',
      `units.2 unknown unit "99999" in campaign ${CAMPAIGN}`,
      'units.3 unknown unit "99999" (in no campaign)',
      'scope.0 unknown scope "superuser": use intake:write, progress:read, admin',
      'scope.1 "intake:write" is a scope you do not hold',
    ]);
  });

  it('wants at least one unit and one scope', () => {
    expect(
      grantProblems({ units: [], scopes: [] }, giver(['*']), hierarchyOf, knownUnit).map((p) => p.path),
    ).toEqual(['units', 'scope']);
  });
});

describe('mayManage', () => {
  it('lets an admin change a user only when its grants cover all of the user’s', () => {
    expect(mayManage(parseGrants([`${CAMPAIGN}:323`]), { units: [`${CAMPAIGN}:12001`] }, hierarchyOf)).toBe(
      true,
    );
    expect(
      mayManage(
        parseGrants([`${CAMPAIGN}:323`]),
        { units: [`${CAMPAIGN}:12001`, `${CAMPAIGN}:12101`] },
        hierarchyOf,
      ),
    ).toBe(false);
    expect(mayManage(parseGrants(['*']), { units: ['*'] }, hierarchyOf)).toBe(true);
  });
});

describe('accessTokenClaims', () => {
  const user: UserRecord = {
    kind: 'user',
    email: 'a@b.vn',
    sub: 's',
    name: 'A',
    units: [`${CAMPAIGN}:323`, `${CAMPAIGN}:323`, '324'],
    scopes: ['admin', 'progress:read'],
    disabled: false,
    createdAt: '',
    createdBy: '',
    updatedAt: '',
  };
  it('gives the units once each, as an array, and the scopes in a fixed order', () => {
    expect(accessTokenClaims(user)).toEqual({
      issue: true,
      claims: { scope: 'progress:read admin', units: [`${CAMPAIGN}:323`, '324'] },
    });
  });
  it('gives nothing to a disabled or unknown principal, or one without a scope', () => {
    expect(accessTokenClaims({ ...user, disabled: true }).issue).toBe(false);
    expect(accessTokenClaims(undefined).issue).toBe(false);
    expect(accessTokenClaims({ ...user, scopes: [] }).issue).toBe(false);
  });
});

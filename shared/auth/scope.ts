import { grantsCoverUnit } from '../domain/grants.js';
import type { Hierarchy } from '../domain/hierarchy.js';
import { forbidden } from '../http/problem.js';
import type { Caller } from './claims.js';

/** 403 problem unless the unit, as stored, lies inside what the caller's grants give in this campaign. */
export function requireUnitInScope(
  hierarchy: Hierarchy,
  campaignId: string,
  unitId: string,
  caller: Caller,
): void {
  if (!grantsCoverUnit(caller.grants, campaignId, unitId, hierarchy)) {
    throw forbidden(`Unit "${unitId}" is outside the units this token grants`);
  }
}

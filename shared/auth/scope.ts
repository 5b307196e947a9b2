import { type Hierarchy, isWithinScope } from '../domain/hierarchy.js';
import { forbidden } from '../http/problem.js';
import type { Caller } from './claims.js';

/** 403 problem unless the unit lies inside the caller's `units` (each granting its subtree). */
export function requireUnitInScope(hierarchy: Hierarchy, unitId: string, caller: Caller): void {
  if (!isWithinScope(hierarchy, unitId, caller.units)) {
    throw forbidden(`Unit "${unitId}" is outside the units this token grants`);
  }
}

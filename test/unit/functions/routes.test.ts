/**
 * Each multi-route function's routes (its `ROUTES`, which its router serves) are exactly the routes
 * the topology gives it (infra/topology.ts, which API Gateway and the local gateway route by): a
 * route one side lacks would be a 404 from the gateway, or a route no handler serves.
 */
import { describe, expect, it } from 'vitest';
import { functions } from '../../../infra/topology.js';

const MODULES: Record<string, () => Promise<{ ROUTES: Record<string, string> }>> = {
  'functions/alerts.ts': () => import('../../../functions/alerts.js'),
  'functions/campaigns.ts': () => import('../../../functions/campaigns.js'),
  'functions/identity-admin.ts': () => import('../../../functions/identity-admin.js'),
  'functions/progress.ts': () => import('../../../functions/progress.js'),
  'functions/recipients.ts': () => import('../../../functions/recipients.js'),
  'functions/reports.ts': () => import('../../../functions/reports.js'),
  'functions/silences.ts': () => import('../../../functions/silences.js'),
};

describe('routes of the multi-route functions', () => {
  it('covers every function the topology gives more than one route', () => {
    const multi = functions.filter((f) => f.routes.length > 1).map((f) => f.entry);
    expect(multi.sort()).toEqual(Object.keys(MODULES).sort());
  });

  it.each(Object.keys(MODULES))('%s serves exactly its topology routes', async (entry) => {
    const declaration = functions.find((f) => f.entry === entry);
    expect(declaration, entry).toBeDefined();
    const { ROUTES } = await (MODULES[entry] as () => Promise<{ ROUTES: Record<string, string> }>)();
    const topology = (declaration?.routes ?? []).map((r) => `${r.method} ${r.path}`).sort();
    expect(Object.values(ROUTES).sort()).toEqual(topology);
  });
});

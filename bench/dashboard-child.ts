/**
 * The local system for the dashboard bench, in its own process (the function modules keep the
 * first DynamoDB endpoint they see): a fresh store, a campaign of its own (Hưng Yên's units, started
 * 9 days ago, 9 days of intake), then `link <sign-in link of the province leader>` on stdout; it
 * stops when its stdin closes.
 */
import './env.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPaths, REPO_ROOT } from '../infra/local/paths.js';
import { startLocalSystem } from '../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken } from '../infra/local/tokens.js';
import { addDays, daysBetween, localDate } from '../shared/domain/calendar.js';
import { CampaignFile } from '../shared/schemas/campaign.js';

const CAMPAIGN = 'bench-dashboard';
const dir = mkdtempSync(join(tmpdir(), 'quota-bench-dashboard-'));
const paths = localPaths(dir);
const system = await startLocalSystem({ port: 0, paths, loadDemo: false, schedules: false });
const keys = await loadOrCreateKeys(paths.keys);
const source = CampaignFile.parse(
  JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json'), 'utf8')),
);
const today = localDate(new Date(), source.campaign.timeZone);
const start = addDays(today, -9);
const shift = daysBetween(source.campaign.startDate, start);
const file = {
  campaign: { ...source.campaign, id: CAMPAIGN, startDate: start },
  units: source.units.map((u) => ({
    ...u,
    deadline: addDays(u.deadline, shift),
    subTargets: u.subTargets.map((s) => ({ ...s, deadline: addDays(s.deadline, shift) })),
  })),
};
const admin = await mintToken(keys, {
  sub: 'bench',
  units: ['*'],
  scope: 'admin intake:write progress:read',
});
const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
await fetch(`${system.url}/v1/campaigns/${CAMPAIGN}`, { method: 'PUT', headers, body: JSON.stringify(file) });
const leaves = file.units.filter((u) => !file.units.some((c) => c.parentId === u.id));
const events = leaves.flatMap((u, i) =>
  Array.from({ length: 9 }, (_, d) => ({
    eventId: `bench-dash-${u.id}-${d}`,
    campaignId: CAMPAIGN,
    unitId: u.id,
    occurredAt: `${addDays(start, d)}T10:00:00+07:00`,
    count: 50 + ((i * 37 + d * 11) % 300),
    kind: 'new',
  })),
);
for (let i = 0; i < events.length; i += 100) {
  await fetch(`${system.url}/v1/intake-events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ events: events.slice(i, i + 100) }),
  });
}
await system.streams.drain(120_000);
const leader = await mintToken(keys, {
  sub: 'bench-leader',
  units: [`${CAMPAIGN}:33`],
  scope: 'progress:read',
});
process.stdout.write(`link ${system.url}/c/${CAMPAIGN}#token=${leader}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await system.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});

/**
 * Risk evaluation of the national hierarchy (runRiskJob, shared/jobs/risk-job.ts) over 90 days of
 * seeded daily totals, with ports that count the DynamoDB requests the real adapters would send.
 * Running totals are not stored, so both paths (live: the scheduled run; historical: a backfill)
 * read one Query of DAY items per unit and sum them; the read units follow the DAY items' size as the
 * roll-up leaves them (watermarks included: a past day keeps its last shards' watermarks).
 */
import { DEFAULT_ALERT_POLICY } from '../../shared/domain/alert-policy.js';
import { addDays, localDate } from '../../shared/domain/calendar.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import { placeUnits } from '../../shared/domain/import-plan.js';
import { evaluateRisk } from '../../shared/domain/risk.js';
import { type Audience, type RiskJobPorts, runRiskJob } from '../../shared/jobs/risk-job.js';
import { totalsItem, watermarksFor } from '../lib/counting-totals.js';
import { itemSize } from '../lib/dynamo-size.js';
import type { CampaignModel } from '../lib/load.js';
import { nationalModel } from '../lib/national.js';
import {
  CountingCampaignStore,
  CountingOutbox,
  CountingRiskStore,
  CountingTotalsReader,
  countingAudiences,
  countingSilences,
  type DailyCounts,
  RequestLedger,
  silentPublisher,
} from '../lib/risk-ports.js';
import { cpuMs } from '../lib/stats.js';
import { awsShardId } from '../lib/stream-model.js';
import { row, type Section } from '../lib/types.js';
import { ASSUMED_SHARDS, AWS_LENGTH_SEQUENCE, maxShardsOnAnItem } from './hotkey.js';

export const HISTORY_DAYS = 90;

/**
 * Seeded daily counts for every commune (a pace of its own between 0.5 and 1.3 of what its target
 * needs over the campaign, ±30 % a day), summed up the tree for every ancestor.
 */
export function seedDailyCounts(model: CampaignModel, seed: number, days: number): DailyCounts {
  const random = mulberry32(seed);
  const startDate = model.file.campaign.startDate;
  const campaignDays = 122; // 1 March → 30 June
  const counts = new Map<string, Int32Array>();
  const arrayOf = (id: string) => {
    let a = counts.get(id);
    if (!a) {
      a = new Int32Array(days);
      counts.set(id, a);
    }
    return a;
  };
  for (const u of model.file.units) arrayOf(u.id);
  for (const leaf of model.leaves) {
    const pace = 0.5 + random() * 0.8;
    const own = arrayOf(leaf.id);
    const ancestors = leaf.path.map(arrayOf);
    for (let d = 0; d < days; d++) {
      const n = Math.round((leaf.target / campaignDays) * pace * (0.7 + random() * 0.6));
      own[d] = n;
      for (const a of ancestors) a[d] = (a[d] ?? 0) + n;
    }
  }
  return { startDate, days: counts };
}

function ports(model: CampaignModel, counts: DailyCounts, clock: Date, dayItemBytes: number) {
  const ledger = new RequestLedger();
  const campaign = model.file.campaign;
  // Leaders at the root and every province: Vietnamese SMS and e-mail.
  const audiences: Audience[] = [
    model.hierarchy.root,
    ...model.hierarchy.childrenOf(model.hierarchy.root.id),
  ].flatMap((u) => [
    { scope: u.id, lang: 'vi' as const, channel: 'sms' as const },
    { scope: u.id, lang: 'vi' as const, channel: 'email' as const },
  ]);
  const risk = new CountingRiskStore(ledger);
  const p: RiskJobPorts = {
    campaigns: new CountingCampaignStore(campaign, placeUnits(model.file.units), ledger),
    totals: new CountingTotalsReader(counts, ledger, dayItemBytes),
    risk,
    silences: countingSilences(ledger),
    audiences: countingAudiences(ledger, audiences),
    outbox: new CountingOutbox(ledger),
    publisher: silentPublisher,
    clock: () => clock,
    policy: DEFAULT_ALERT_POLICY,
  };
  return { ports: p, ledger };
}

export const risk: Section = {
  name: 'risk',
  title: 'Risk evaluation of the national hierarchy',
  async run(ctx) {
    const model = nationalModel(ctx.seed);
    const campaign = model.file.campaign;
    const counts = seedDailyCounts(model, ctx.seed + 30, HISTORY_DAYS);
    const lastDay = addDays(campaign.startDate, HISTORY_DAYS - 1);
    const asOf = new Date(`${lastDay}T20:00:00+07:00`);
    const later = new Date(`${addDays(lastDay, 7)}T08:00:00+07:00`);
    if (localDate(asOf, campaign.timeZone) !== lastDay) throw new Error('asOf is not on the last seeded day');

    // A DAY item as the roll-up leaves it at worst: the watermarks of every shard that can have
    // written it in its last hours (4 shards replaced every 4 h), for the read units of Queries.
    const dayKey = { campaignId: campaign.id, unitId: model.hierarchy.root.id, day: lastDay };
    const shards = maxShardsOnAnItem(ASSUMED_SHARDS);
    const dayItemBytes = itemSize(
      totalsItem(
        dayKey,
        {
          count: 12_345,
          byKind: { new: 10_000, renewal: 2_345 },
          byChannel: { fixed: 12_000, mobile: 345 },
          byGroup: { official: 600 },
        },
        watermarksFor(
          Array.from({ length: shards }, (_, i) => awsShardId(i)),
          AWS_LENGTH_SEQUENCE,
        ),
      ),
    );

    const run = async (clock: Date) => {
      const { ports: p, ledger } = ports(model, counts, clock, dayItemBytes);
      let runs: Awaited<ReturnType<typeof runRiskJob>> = [];
      const ms = await cpuMs(async () => {
        runs = await runRiskJob(p, { campaignId: campaign.id, asOf: asOf.toISOString() });
      });
      const [first] = runs;
      if (!first || first.units !== model.hierarchy.size)
        throw new Error('the risk job did not evaluate every unit');
      return { ms, ledger, run: first };
    };
    if (!ctx.quick) await run(asOf); // warm-up
    const live = await run(asOf);
    const historical = await run(later);

    // Baseline CPU: evaluateRisk alone for every unit with the same figures (no ports, no policy).
    const window = Array.from({ length: 8 }, (_, i) => addDays(lastDay, -i));
    const figures = model.file.units.map((u) => {
      const days = counts.days.get(u.id) ?? new Int32Array(0);
      let total = 0;
      for (const n of days) total += n;
      return {
        unit: u,
        total,
        days: window.map((day, i) => ({ day, count: days[HISTORY_DAYS - 1 - i] ?? 0 })),
      };
    });
    const evaluateAll = () => {
      for (const f of figures) {
        evaluateRisk({
          target: f.unit.target,
          deadline: f.unit.deadline,
          total: f.total,
          days: f.days,
          calendar: campaign,
          asOf,
        });
      }
    };
    evaluateAll(); // warm-up
    const pureMs = await cpuMs(evaluateAll);

    const naiveReads = model.hierarchy.size * HISTORY_DAYS;
    const breakdown = (l: RequestLedger) =>
      [...l.requests]
        .filter(([c]) => /Get|Query/.test(c))
        .map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`)
        .join(', ');
    const levels = Object.entries(live.run.levels)
      .map(([level, n]) => `${level} ${n}`)
      .join(', ');
    const rows = [
      row(
        'risk.live.cpuMs',
        'risk job CPU, national (live run)',
        live.ms,
        'ms',
        'evaluateRisk alone, same figures',
        pureMs,
        `runRiskJob over ${model.hierarchy.size.toLocaleString('en-US')} units with ${HISTORY_DAYS} days of seeded totals, ` +
          `asOf ${lastDay} 20:00 (+07); in-memory counting ports; levels: ${levels}; ` +
          `${live.run.notifications} notifications (leaders at the root and the 63 provinces; a first evaluation alerts no one, ` +
          'a level must hold twice); beyond evaluateRisk the job ' +
          'reads through the ports, applies the alert policy and writes the states',
      ),
      row(
        'risk.live.readRequests',
        'risk job read requests, live run',
        live.ledger.reads(),
        'requests',
        'naive: 1 GetItem per unit per day',
        naiveReads,
        `one Query of DAY items per unit (its total is their sum; bounded by the units, not the days: a unit's ` +
          `${HISTORY_DAYS} DAY items of ${dayItemBytes} B at most fit one 1 MB page); ${breakdown(live.ledger)}; ` +
          `≈${Math.round(live.ledger.rru).toLocaleString('en-US')} RRU = $${((live.ledger.rru * 0.125) / 1e6).toFixed(4)} a run ` +
          `at list price (previous design: TOTAL + 8 days in BatchGetItem rounds, 1,147 requests, ≈57,202 RRU); ` +
          `${live.ledger.writes.toLocaleString('en-US')} items written (risk states, level changes)`,
      ),
      row(
        'risk.historical.readRequests',
        'risk job read requests, historical asOf',
        historical.ledger.reads(),
        'requests',
        'naive: 1 GetItem per unit per day',
        naiveReads,
        `the same evaluation run a week later (backfill): the same reads, through that day; ${breakdown(historical.ledger)}; ` +
          `≈${Math.round(historical.ledger.rru).toLocaleString('en-US')} RRU; CPU ${historical.ms.toFixed(0)} ms`,
      ),
    ];
    return {
      rows,
      details: {
        units: model.hierarchy.size,
        days: HISTORY_DAYS,
        live: { cpuMs: live.ms, requests: Object.fromEntries(live.ledger.requests), rru: live.ledger.rru },
        historical: {
          cpuMs: historical.ms,
          requests: Object.fromEntries(historical.ledger.requests),
          rru: historical.ledger.rru,
        },
        evaluateRiskAloneMs: pureMs,
        levels: live.run.levels,
      },
    };
  },
};

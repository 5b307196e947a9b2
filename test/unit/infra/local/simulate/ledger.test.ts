import { describe, expect, it } from 'vitest';
import {
  addFigures,
  compareFigures,
  Ledger,
  type LedgerEvent,
  type UnitFigures,
  unitsWithMismatches,
} from '../../../../../infra/local/simulate/ledger.js';
import { planSimulation } from '../../../../../infra/local/simulate/plan.js';
import { buildHierarchy } from '../../../../../shared/domain/hierarchy.js';
import { CampaignFile } from '../../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../../support/builders.js';

// The small test campaign: 33 → 323 (12001, 12002), 324 (12101).
const file = CampaignFile.parse(aCampaignFile());
const hierarchy = buildHierarchy(file.units);

function anEvent(overrides: Partial<LedgerEvent> & Pick<LedgerEvent, 'eventId' | 'unitId'>): LedgerEvent {
  return { day: '2021-03-01', count: 10, kind: 'new', channel: 'fixed', ...overrides };
}

const events: LedgerEvent[] = [
  anEvent({ eventId: 'e-00000001', unitId: '12001', count: 7 }),
  anEvent({ eventId: 'e-00000002', unitId: '12001', count: 3, kind: 'renewal', day: '2021-03-02' }),
  anEvent({ eventId: 'e-00000003', unitId: '12002', count: 5, channel: 'mobile', group: 'official' }),
  anEvent({ eventId: 'e-00000004', unitId: '12101', count: 11, day: '2021-03-02' }),
  anEvent({ eventId: 'e-00000005', unitId: '324', count: 2 }),
];

/** What the API would show if it had stored exactly `stored`: built by an independent ledger. */
function apiViewOf(stored: readonly LedgerEvent[]): Map<string, UnitFigures> {
  const ledger = new Ledger();
  for (const e of stored) ledger.record(e);
  return ledger.expected(hierarchy);
}

describe('Ledger', () => {
  it('counts each eventId once, however often it is recorded', () => {
    // Arrange
    const ledger = new Ledger();
    // Act
    const firsts = events.map((e) => ledger.record(e));
    const repeats = events.map((e) => ledger.record(e));
    // Assert
    expect(firsts.every(Boolean)).toBe(true);
    expect(repeats.some(Boolean)).toBe(false);
    expect(ledger.size).toBe(5);
    expect(ledger.applications).toBe(28);
  });

  it('expects every unit to hold its own and its descendants’ events, by kind, channel, group and day', () => {
    // Arrange
    const ledger = new Ledger();
    for (const e of events) ledger.record(e);
    // Act
    const expected = ledger.expected(hierarchy);
    // Assert
    expect(expected.get('12001')).toEqual({
      total: 10,
      byKind: { new: 7, renewal: 3 },
      byChannel: { fixed: 10 },
      byGroup: {},
      days: { '2021-03-01': 7, '2021-03-02': 3 },
    });
    expect(expected.get('323')).toMatchObject({ total: 15, byGroup: { official: 5 } });
    expect(expected.get('324')).toMatchObject({ total: 13, days: { '2021-03-01': 2, '2021-03-02': 11 } });
    expect(expected.get('33')).toEqual({
      total: 28,
      byKind: { new: 25, renewal: 3 },
      byChannel: { fixed: 23, mobile: 5 },
      byGroup: { official: 5 },
      days: { '2021-03-01': 14, '2021-03-02': 14 },
    });
    // Units without intake are expected at zero, not left out.
    expect([...expected.keys()].sort()).toEqual(['12001', '12002', '12101', '323', '324', '33']);
  });
});

describe('compareFigures()', () => {
  const ledger = new Ledger();
  for (const e of events) ledger.record(e);
  const expected = ledger.expected(hierarchy);

  it('finds nothing when the API shows exactly what was stored', () => {
    // Act
    const mismatches = compareFigures(expected, apiViewOf(events), { view: 'live' });
    // Assert
    expect(mismatches).toEqual([]);
  });

  it('reports a dropped event at its commune and at every ancestor, and nowhere else', () => {
    // Arrange: the API lost the 5 official applications of 12002 (district 323, province 33)
    const dropped = events.filter((e) => e.eventId !== 'e-00000003');
    // Act
    const mismatches = compareFigures(expected, apiViewOf(dropped), { view: 'live', fields: 'totals' });
    // Assert
    expect([...unitsWithMismatches(mismatches)].sort()).toEqual(['12002', '323', '33']);
    expect(mismatches.filter((m) => m.unitId === '12002')).toEqual([
      { unitId: '12002', view: 'live', field: 'total', expected: 5, actual: 0 },
      { unitId: '12002', view: 'live', field: 'byKind.new', expected: 5, actual: 0 },
      { unitId: '12002', view: 'live', field: 'byChannel.mobile', expected: 5, actual: 0 },
      { unitId: '12002', view: 'live', field: 'byGroup.official', expected: 5, actual: 0 },
    ]);
    expect(mismatches.find((m) => m.unitId === '33' && m.field === 'total')).toEqual({
      unitId: '33',
      view: 'live',
      field: 'total',
      expected: 28,
      actual: 23,
    });
  });

  it('reports a dropped event in the daily counts of its unit and its ancestors', () => {
    // Arrange
    const dropped = events.filter((e) => e.eventId !== 'e-00000004');
    // Act
    const mismatches = compareFigures(expected, apiViewOf(dropped), { view: 'daily', fields: 'days' });
    // Assert
    expect(mismatches).toEqual([
      { unitId: '33', view: 'daily', field: 'day 2021-03-02', expected: 14, actual: 3 },
      { unitId: '324', view: 'daily', field: 'day 2021-03-02', expected: 11, actual: 0 },
      { unitId: '12101', view: 'daily', field: 'day 2021-03-02', expected: 11, actual: 0 },
    ]);
  });

  it('catches a count moved between kinds even when the total is right', () => {
    // Arrange: 12001's 3 renewals shown as new
    const shown = apiViewOf(events);
    const wrong = shown.get('12001') as UnitFigures;
    shown.set('12001', { ...wrong, byKind: { new: 10 } });
    // Act
    const mismatches = compareFigures(expected, shown, { view: 'live' });
    // Assert
    expect(mismatches).toEqual([
      { unitId: '12001', view: 'live', field: 'byKind.new', expected: 7, actual: 10 },
      { unitId: '12001', view: 'live', field: 'byKind.renewal', expected: 3, actual: 0 },
    ]);
  });

  it('reports a unit the API did not show at all', () => {
    // Arrange
    const shown = apiViewOf(events);
    shown.delete('12101');
    // Act
    const mismatches = compareFigures(expected, shown, { view: 'live' });
    // Assert
    expect(mismatches).toEqual([
      { unitId: '12101', view: 'live', field: 'unit', expected: 11, actual: null },
    ]);
  });

  it('adds a baseline (a store that already held events) to the expectation', () => {
    // Arrange: the store held 4 renewals at 12101 before the run
    const before = apiViewOf([
      anEvent({ eventId: 'old-0000001', unitId: '12101', count: 4, kind: 'renewal' }),
    ]);
    const withBaseline = new Map(
      [...expected].map(([id, f]) => [id, addFigures(before.get(id) as UnitFigures, f)]),
    );
    const shown = apiViewOf([
      ...events,
      anEvent({ eventId: 'old-0000001', unitId: '12101', count: 4, kind: 'renewal' }),
    ]);
    // Act + Assert
    expect(compareFigures(withBaseline, shown, { view: 'live' })).toEqual([]);
    expect(withBaseline.get('33')?.total).toBe(32);
  });

  it('fails a planned run when one of its events is dropped on the way', () => {
    // Arrange: a two-day plan, everything "stored" except one event
    const plan = planSimulation(file, { days: 2, pace: 'lagging', seed: 7 });
    const all = plan.days.flatMap((d) => d.posts.flatMap((p) => p.sends));
    const ledger = new Ledger();
    for (const e of all) ledger.record(e);
    const lost = all[Math.floor(all.length / 2)] as LedgerEvent;
    // Act
    const mismatches = compareFigures(
      ledger.expected(hierarchy),
      apiViewOf(all.filter((e) => e.eventId !== lost.eventId)),
      { view: 'live' },
    );
    // Assert
    expect([...unitsWithMismatches(mismatches)].sort()).toEqual([...hierarchy.pathOf(lost.unitId)].sort());
    expect(mismatches.find((m) => m.unitId === hierarchy.root.id && m.field === 'total')).toMatchObject({
      expected: ledger.applications,
      actual: ledger.applications - lost.count,
    });
  });
});

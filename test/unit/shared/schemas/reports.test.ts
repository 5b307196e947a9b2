/** The reports schemas of shared/schemas/reports.ts against the domain's report type and what the report job builds. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  buildReport,
  type ReportPeriod as DomainReportPeriod,
  type UnitReport as DomainUnitReport,
  weekPeriod,
} from '../../../../shared/domain/report.js';
import { type ReportPeriod, summaryOf, UnitReport } from '../../../../shared/schemas/reports.js';
import { aUnitReport, PERIODS, view } from '../../../support/reports-api.js';

describe('the UnitReport schema', () => {
  type DeepReadonly<T> = T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

  it('is the contract type of shared/domain/report.ts (type-level)', () => {
    expectTypeOf<DeepReadonly<z.output<typeof UnitReport>>>().toEqualTypeOf<DeepReadonly<DomainUnitReport>>();
    expectTypeOf<DeepReadonly<ReportPeriod>>().toEqualTypeOf<DeepReadonly<DomainReportPeriod>>();
    // And each way assignable as written (the contract's readonly is the only difference).
    expectTypeOf<z.output<typeof UnitReport>>().toExtend<DomainUnitReport>();
  });

  it('accepts what the report job builds', () => {
    // Arrange
    const province = view.hierarchy.get('33');
    if (!province) throw new Error('no province');
    const built = buildReport({
      campaign: view.campaign,
      unit: province,
      children: view.hierarchy.childrenOf('33'),
      days: new Map([
        ['33', [{ day: '2021-03-30', count: 12, byGroup: { official: 2 } }]],
        ['323', [{ day: '2021-03-30', count: 12, byGroup: { official: 2 } }]],
      ]),
      period: weekPeriod('2021-W13'),
      generatedAt: new Date('2021-04-05T00:00:00Z'),
    });
    // Act
    const parsed = UnitReport.safeParse(built);
    // Assert
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(built);
  });

  it('keeps the summary to the unit, period, time and standing at the end', () => {
    // Act
    const summary = summaryOf(aUnitReport('323', '2021-W14'));
    // Assert
    expect(summary).toEqual({
      reportId: '323:2021-W14',
      unitId: '323',
      unitName: 'Huyện Văn Lâm',
      period: PERIODS['2021-W14'],
      generatedAt: '2021-04-12T00:00:00.000Z',
      atEnd: { total: 40, percent: 4, level: 'at_risk' },
    });
  });
});

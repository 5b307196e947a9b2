import { describe, expect, it } from 'vitest';
import type { UnitReport } from '../../../../shared/domain/report.js';
import { renderReportEmail } from '../../../../shared/domain/report-render.js';
import { runReportJob } from '../../../../shared/jobs/report-job.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { UnitReport as UnitReportSchema } from '../../../../shared/schemas/reports.js';
import { aCampaignFile } from '../../../support/builders.js';
import {
  MemoryOutbox,
  provinceViDistrictEnReaders,
  RecordingPublisher,
} from '../../../support/memory-jobs.js';
import { steadyCampaign } from '../../../support/steady-campaign.js';

const file = CampaignFile.parse(aCampaignFile());
const _CAMPAIGN = file.campaign.id;

async function weeklyReports(summaries: Record<string, { count: number; net: number }>) {
  const { campaigns, totals } = await steadyCampaign(file, { days: 14, perUnitPerDay: 2 });
  const stored = new Map<string, UnitReport>();
  const asked: { unitId: string; fromInstant: string; toInstant: string }[] = [];
  await runReportJob(
    {
      campaigns,
      totals,
      reports: {
        put: async (r: UnitReport) => {
          stored.set(r.reportId, r);
          return 'created' as const;
        },
      },
      readers: provinceViDistrictEnReaders,
      outbox: new MemoryOutbox(),
      publisher: new RecordingPublisher(),
      clock: () => new Date('2021-03-15T00:00:00Z'), // Monday 07:00 in Hà Nội: last week is 2021-W10
      corrections: {
        summarize: async (_campaignId, unitId, range) => {
          asked.push({ unitId, ...range });
          return summaries[unitId] ?? { count: 0, net: 0 };
        },
      },
    },
    {},
  );
  return { stored, asked };
}

describe('reports: corrections of the period', () => {
  it("state the number of corrections received in the period for the report's unit and their net effect", async () => {
    const { stored, asked } = await weeklyReports({
      '33': { count: 2, net: -330 },
      '323': { count: 1, net: 3 },
    });
    // The period's local days as instants: Monday 00:00 through Sunday 23:59:59.999 in Hà Nội
    expect(asked).toContainEqual({
      unitId: '33',
      fromInstant: '2021-03-07T17:00:00.000Z',
      toInstant: '2021-03-14T16:59:59.999Z',
    });
    const province = stored.get('33:2021-W10');
    expect(province?.corrections).toEqual({ count: 2, net: -330 });
    expect(UnitReportSchema.parse(province)).toBeTruthy();
    expect(renderReportEmail(province as UnitReport, 'vi').email).toContain(
      '- Đính chính trong kỳ: 2, làm tổng số thay đổi −330 hồ sơ.',
    );
    const district = stored.get('323:2021-W10');
    expect(renderReportEmail(district as UnitReport, 'en').email).toContain(
      '- Corrections in the period: 1, net effect on the totals +3.',
    );
  });

  it('say nothing of corrections when there were none', async () => {
    const { stored } = await weeklyReports({});
    const report = stored.get('33:2021-W10') as UnitReport;
    expect(report.corrections).toEqual({ count: 0, net: 0 });
    expect(renderReportEmail(report, 'vi').email).not.toContain('Đính chính');
  });
});

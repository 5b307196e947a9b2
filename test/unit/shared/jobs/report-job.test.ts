import { beforeEach, describe, expect, it } from 'vitest';
import type { UnitReport } from '../../../../shared/domain/report.js';
import { type ReportJobPorts, runReportJob } from '../../../../shared/jobs/report-job.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';
import {
  MemoryOutbox,
  provinceViDistrictEnReaders,
  RecordingPublisher,
} from '../../../support/memory-jobs.js';
import { steadyCampaign } from '../../../support/steady-campaign.js';

const file = CampaignFile.parse(aCampaignFile()); // starts Monday 2021-03-01, deadlines 2021-06-18
const CAMPAIGN = file.campaign.id;

class MemoryReports {
  readonly stored = new Map<string, UnitReport>();
  async put(report: UnitReport) {
    const before = this.stored.get(report.reportId);
    const same =
      before &&
      JSON.stringify({ ...before, generatedAt: '' }) === JSON.stringify({ ...report, generatedAt: '' });
    if (same) return 'unchanged' as const;
    this.stored.set(report.reportId, report);
    return before ? ('replaced' as const) : ('created' as const);
  }
}

describe('runReportJob()', () => {
  let ports: ReportJobPorts & { reports: MemoryReports; publisher: RecordingPublisher };
  let now: Date;

  beforeEach(async () => {
    const { campaigns, totals } = await steadyCampaign(file, { days: 21, perUnitPerDay: 2 });
    now = new Date('2021-03-15T00:00:00Z'); // Monday 07:00 in Hà Nội
    ports = {
      campaigns,
      totals,
      reports: new MemoryReports(),
      readers: provinceViDistrictEnReaders,
      outbox: new MemoryOutbox(),
      publisher: new RecordingPublisher(),
      clock: () => now,
    };
  });

  it('reports last week on a Monday for every unit with leaders, and e-mails each leader once', async () => {
    // Act
    const [run] = await runReportJob(ports, {});
    const again = await runReportJob(ports, {});
    // Assert
    expect(run?.period).toBe('2021-W10');
    expect(run?.reports.map((r) => [r.reportId, r.stored]).sort()).toEqual([
      ['323:2021-W10', 'created'],
      ['33:2021-W10', 'created'],
    ]);
    expect(again[0]?.reports.map((r) => r.stored)).toEqual(['unchanged', 'unchanged']);
    expect(ports.reports.stored.size).toBe(2);
    expect(ports.publisher.published.map((p) => p.message.attributes)).toEqual([
      expect.objectContaining({
        scope: '33',
        kind: 'report',
        severity: 'info',
        lang: 'vi',
        channel: 'email',
      }),
      expect.objectContaining({
        scope: '323',
        kind: 'report',
        severity: 'info',
        lang: 'en',
        channel: 'email',
      }),
    ]);
    expect(ports.reports.stored.get('33:2021-W10')).toMatchObject({
      received: 7 * 2,
      atEnd: { total: 14 * 2 },
    });
  });

  it('does nothing on a scheduled run that is neither Monday nor the day after the deadline', async () => {
    now = new Date('2021-03-16T00:30:00Z');
    expect(await runReportJob(ports, {})).toEqual([]);
    expect(ports.publisher.published).toHaveLength(0);
  });

  it('makes the final report automatically the day after the last deadline, and on demand', async () => {
    now = new Date('2021-06-19T00:30:00Z'); // Saturday 19/6, the day after 18/6
    const [auto] = await runReportJob(ports, {});
    expect(auto?.period).toBe('final');
    const [onDemand] = await runReportJob(ports, { campaignId: CAMPAIGN, unitId: '323', final: true });
    expect(onDemand?.reports).toEqual([{ reportId: '323:final', stored: 'unchanged' }]);
  });

  it('refuses a bad week, both week and final, and an unknown unit, before any work', async () => {
    await expect(runReportJob(ports, { campaignId: CAMPAIGN, week: '2021-W54' })).rejects.toThrow('2021-W54');
    await expect(
      runReportJob(ports, { campaignId: CAMPAIGN, week: '2021-W10', final: true }),
    ).rejects.toThrow('not both');
    await expect(
      runReportJob(ports, { campaignId: CAMPAIGN, unitId: '999', week: '2021-W10' }),
    ).rejects.toThrow('Unknown unit "999"');
    expect(ports.reports.stored.size).toBe(0);
  });
});

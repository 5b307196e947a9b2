/** The unit's weekly and final reports, newest first, each downloadable as CSV. */

import { DataTable } from '../../components/data-table.js';
import { LevelBadge } from '../../components/level.js';
import { Status } from '../../components/status.js';
import { useApp, useAsync } from '../../context.js';
import { useTimeZone } from './campaign.js';

export function Reports({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.reports(campaignId, unitId), [campaignId, unitId]);
  const t = fmt.t;
  const own = state.data?.reports.filter((r) => r.unitId === unitId) ?? [];
  if (!state.data) return <Status state={state} />;
  if (own.length === 0) return <p class="muted">{t.noReports}</p>;
  const download = async (reportId: string) => {
    const blob = await api.reportCsv(campaignId, reportId, fmt.lang);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fmt.lang === 'vi' ? 'bao-cao' : 'report'}-${reportId.replace(':', '-')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <DataTable
      label={t.reports}
      rows={[...own].reverse()}
      rowKey={(r) => r.reportId}
      columns={[
        {
          head: t.period,
          cell: (r) => (r.period.kind === 'final' ? t.finalReport : t.week(r.reportId.split(':')[1] ?? '')),
        },
        { head: t.percent, class: 'num', cell: (r) => fmt.pct(r.atEnd.percent) },
        { head: t.level, cell: (r) => <LevelBadge level={r.atEnd.level} fmt={fmt} /> },
        { head: t.when, cell: (r) => fmt.dateTime(r.generatedAt, tz) },
        {
          head: 'CSV',
          cell: (r) => (
            <button type="button" class="link-button" onClick={() => void download(r.reportId)}>
              {t.downloadCsv}
            </button>
          ),
        },
      ]}
    />
  );
}

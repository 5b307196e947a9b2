/** The unit's weekly and final reports, newest first, each downloadable as CSV. */
import { LevelBadge } from '../../components/level.js';
import { Status } from '../../components/status.js';
import { TableWrap } from '../../components/table-wrap.js';
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
    <TableWrap label={t.reports}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.period}</th>
            <th scope="col" class="num">
              {t.percent}
            </th>
            <th scope="col">{t.level}</th>
            <th scope="col">{t.when}</th>
            <th scope="col">CSV</th>
          </tr>
        </thead>
        <tbody>
          {[...own].reverse().map((r) => (
            <tr key={r.reportId}>
              <th scope="row">
                {r.period.kind === 'final' ? t.finalReport : t.week(r.reportId.split(':')[1] ?? '')}
              </th>
              <td class="num">{fmt.pct(r.atEnd.percent)}</td>
              <td>
                <LevelBadge level={r.atEnd.level} fmt={fmt} />
              </td>
              <td>{fmt.dateTime(r.generatedAt, tz)}</td>
              <td>
                <button type="button" class="link-button" onClick={() => void download(r.reportId)}>
                  {t.downloadCsv}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

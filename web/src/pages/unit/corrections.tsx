import { Status } from '../../components/status.js';
import { TableWrap } from '../../components/table-wrap.js';
import { useApp, useAsync } from '../../context.js';
import { useTimeZone } from './campaign.js';

/** Who corrected which figure of this unit (or below it), when and why: newest first. */
export function Corrections({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.corrections(campaignId, unitId), [campaignId, unitId]);
  const t = fmt.t;
  if (!state.data) return <Status state={state} />;
  if (state.data.corrections.length === 0) return <p class="muted">{t.noCorrections}</p>;
  return (
    <TableWrap label={t.corrections}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.unit}</th>
            <th scope="col">{t.correctedDay}</th>
            <th scope="col" class="num">
              {t.correctionChange}
            </th>
            <th scope="col">{t.reason}</th>
            <th scope="col">{t.correctedBy}</th>
          </tr>
        </thead>
        <tbody>
          {[...state.data.corrections].reverse().map((c) => (
            <tr key={c.eventId}>
              <th scope="row">{fmt.dateTime(c.receivedAt, tz)}</th>
              <td>{c.unitId}</td>
              <td>{fmt.day(c.day)}</td>
              <td class="num">
                {c.from === null ? '…' : fmt.int(c.from)} → {fmt.int(c.to)}
              </td>
              <td>{c.reason}</td>
              <td>{c.sub}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

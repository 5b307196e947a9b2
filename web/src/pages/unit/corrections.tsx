import { DataTable } from '../../components/data-table.js';
import { Status } from '../../components/status.js';
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
    <DataTable
      label={t.corrections}
      rows={[...state.data.corrections].reverse()}
      rowKey={(c) => c.eventId}
      columns={[
        { head: t.when, cell: (c) => fmt.dateTime(c.receivedAt, tz) },
        { head: t.unit, cell: (c) => c.unitId },
        { head: t.correctedDay, cell: (c) => fmt.day(c.day) },
        {
          head: t.correctionChange,
          class: 'num',
          cell: (c) => (
            <>
              {c.from === null ? '…' : fmt.int(c.from)} → {fmt.int(c.to)}
            </>
          ),
        },
        { head: t.reason, cell: (c) => c.reason },
        { head: t.correctedBy, cell: (c) => c.sub },
      ]}
    />
  );
}

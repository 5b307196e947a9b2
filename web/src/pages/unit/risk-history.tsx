/** The unit's level changes, newest first. */
import { LevelBadge } from '../../components/level.js';
import { Status } from '../../components/status.js';
import { useApp, useAsync } from '../../context.js';
import { useTimeZone } from './campaign.js';

export function RiskHistory({
  campaignId,
  unitId,
  asOfIso,
}: {
  campaignId: string;
  unitId: string;
  asOfIso: string | undefined;
}) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.riskHistory(campaignId, unitId, asOfIso), [campaignId, unitId, asOfIso]);
  const t = fmt.t;
  if (!state.data) return <Status state={state} />;
  if (state.data.changes.length === 0) return <p class="muted">{t.noRiskHistory}</p>;
  return (
    <ol class="timeline">
      {[...state.data.changes].reverse().map((c) => (
        <li key={c.at}>
          <time dateTime={c.at}>{fmt.dateTime(c.at, tz)}</time>{' '}
          {c.from && (
            <>
              <LevelBadge level={c.from} fmt={fmt} /> →{' '}
            </>
          )}
          <LevelBadge level={c.to} fmt={fmt} />
        </li>
      ))}
    </ol>
  );
}

/** The unit's alerts feed (deliveries, acknowledgements), newest first, with the acknowledge form. */
import { useState } from 'preact/hooks';
import { LevelBadge } from '../../components/level.js';
import { Status } from '../../components/status.js';
import { useApp, useAsync } from '../../context.js';
import { useTimeZone } from './campaign.js';

export function Alerts({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.alerts(campaignId, unitId), [campaignId, unitId]);
  const [ackError, setAckError] = useState<string | null>(null);
  const t = fmt.t;
  if (state.data === undefined) return <Status state={state} />;
  if (state.data === null) return <p class="muted">{t.alertsUnavailable}</p>;
  const acknowledge = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const note = (form.elements.namedItem('note') as HTMLInputElement | null)?.value.trim() ?? '';
    try {
      await api.acknowledge(campaignId, unitId, note.length > 0 ? { note } : {});
      form.reset();
      setAckError(null);
      state.reload();
    } catch (error) {
      setAckError(error instanceof Error ? error.message : String(error));
    }
  };
  const ackForm = (
    <form class="ack" onSubmit={acknowledge}>
      <label>
        {t.ackNote} <input name="note" maxLength={200} />
      </label>
      <button type="submit">{t.acknowledge}</button>
      {ackError && (
        <p class="error" role="alert">
          {ackError}
        </p>
      )}
    </form>
  );
  if (state.data.alerts.length === 0)
    return (
      <>
        <p class="muted">{t.noAlerts}</p>
        {ackForm}
      </>
    );
  return (
    <>
      {ackForm}
      <ul class="alerts">
        {[...state.data.alerts].reverse().map((a, i) => (
          <li key={`${a.at}-${i}`} class="alert-item">
            <div class="alert-meta">
              <time dateTime={a.at}>{fmt.dateTime(a.at, tz)}</time>
              <span class="tag">{t.alertKinds[a.kind] ?? a.kind}</span>
              {a.severity && a.severity in t.levels && (
                <LevelBadge level={a.severity as keyof typeof t.levels} fmt={fmt} />
              )}
              {a.channel && <span class="tag">{t.channels[a.channel] ?? a.channel}</span>}
              {a.recipient && (
                <span>
                  {a.recipient.name} <span class="muted">{a.recipient.endpoint}</span>
                </span>
              )}
              {a.by && <span class="muted">{a.by}</span>}
            </div>
            {a.subject && <strong>{a.subject}</strong>}
            {(a.body ?? a.note) && <p class="alert-body">{a.body ?? a.note}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

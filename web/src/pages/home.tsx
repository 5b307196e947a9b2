import { useEffect } from 'preact/hooks';
import { Link } from '../components/link.js';
import { Status } from '../components/status.js';
import { useApp, useAsync } from '../context.js';
import { hrefOf, navigate } from '../router.js';

/** The caller's campaigns; with only one, straight to its overview. */
export function HomePage() {
  const { api, fmt, asOf } = useApp();
  const list = useAsync(() => api.campaigns(), []);
  const only = list.data?.campaigns.length === 1 ? list.data.campaigns[0] : undefined;
  useEffect(() => {
    if (only) navigate(hrefOf({ page: 'unit', campaignId: only.id, unitId: null }, asOf), true);
  }, [only, asOf]);
  return (
    <section>
      <h1>{fmt.t.campaigns}</h1>
      <Status state={list} />
      {list.data?.campaigns.length === 0 && <p>{fmt.t.noCampaigns}</p>}
      <ul class="cards">
        {list.data?.campaigns.map((c) => (
          <li key={c.id}>
            <Link href={hrefOf({ page: 'unit', campaignId: c.id, unitId: null }, asOf)}>
              <strong>{c.name}</strong>
            </Link>
            <span class="muted small">
              {fmt.day(c.startDate)} – {fmt.day(c.lastDeadline)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

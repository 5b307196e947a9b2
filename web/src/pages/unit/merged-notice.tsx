import { Link } from '../../components/link.js';
import { useApp, useAsync } from '../../context.js';
import { hrefOf } from '../../router.js';

/**
 * A merged unit's page keeps its past; it says where the unit went, by name when the caller may read
 * the successor (a commune's officer may not: then its code).
 */
export function MergedNotice({ campaignId, successor }: { campaignId: string; successor: string }) {
  const { api, fmt, asOf } = useApp();
  const next = useAsync(() => api.progress(campaignId, successor).catch(() => null), [campaignId, successor]);
  const t = fmt.t;
  return (
    <p class="notice" role="status" data-testid="merged">
      {t.mergedInto}{' '}
      <Link href={hrefOf({ page: 'unit', campaignId, unitId: successor }, asOf)}>
        {next.data?.unit.name ?? successor}
      </Link>
      . {t.mergedPast}
    </p>
  );
}

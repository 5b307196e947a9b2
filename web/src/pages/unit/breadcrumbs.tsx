/** The path from the caller's top unit down to this one. */
import { grantedIn } from '../../auth.js';
import { Link } from '../../components/link.js';
import { useApp, useAsync } from '../../context.js';
import { hrefOf } from '../../router.js';

export function Breadcrumbs({
  campaignId,
  unitId,
  isTop,
}: {
  campaignId: string;
  unitId: string;
  isTop: boolean;
}) {
  const { api, fmt, claims, asOf } = useApp();
  const granted = grantedIn(claims, campaignId);
  const found = useAsync(
    () =>
      isTop
        ? Promise.resolve(null)
        : api.search(campaignId, unitId, 50).then((r) => r.units.find((u) => u.id === unitId) ?? null),
    [campaignId, unitId, isTop],
  );
  const u = found.data;
  if (!u) return <nav aria-label="breadcrumb" class="crumbs" />;
  // From the caller's top unit down: links above it would only be refused.
  const ids = u.ancestorIds;
  const first =
    granted === 'all'
      ? 0
      : Math.max(
          0,
          ids.findIndex((id) => granted.includes(id)),
        );
  const crumbs = ids.map((id, i) => ({ id, name: u.path[i] ?? id })).slice(first);
  return (
    <nav aria-label="breadcrumb" class="crumbs">
      <ol>
        {crumbs.map((c) => (
          <li key={c.id}>
            <Link href={hrefOf({ page: 'unit', campaignId, unitId: c.id }, asOf)}>{c.name}</Link>
          </li>
        ))}
        <li aria-current="page">{u.name}</li>
      </ol>
      <span class="sr-only">{fmt.t.unit}</span>
    </nav>
  );
}

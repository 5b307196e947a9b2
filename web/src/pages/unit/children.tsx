/** The children table (worst first, as the API orders them), each with its last 14 days. */
import type { ChildSummary } from '../../../../shared/schemas/progress.js';
import { LevelBadge } from '../../components/level.js';
import { Link } from '../../components/link.js';
import { Sparkline } from '../../components/spark.js';
import { TableWrap } from '../../components/table-wrap.js';
import { useApp } from '../../context.js';
import { hrefOf } from '../../router.js';

export function ChildrenTable({ campaignId, rows }: { campaignId: string; rows: readonly ChildSummary[] }) {
  const { fmt, asOf } = useApp();
  const t = fmt.t;
  if (rows.length === 0) return <p class="muted">{t.noChildren}</p>;
  return (
    <TableWrap label={t.children(rows.length)}>
      <table class="children">
        <thead>
          <tr>
            <th scope="col">{t.unit}</th>
            <th scope="col" class="num">
              {t.percent}
            </th>
            <th scope="col" class="num hide-narrow">
              {t.paceRatio}
            </th>
            <th scope="col">{t.level}</th>
            <th scope="col" class="hide-narrow">
              {t.last14}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const recent = c.last14Days;
            return (
              <tr key={c.unit.id} data-unit={c.unit.id}>
                <th scope="row">
                  <Link href={hrefOf({ page: 'unit', campaignId, unitId: c.unit.id }, asOf)}>
                    {c.unit.name}
                  </Link>
                </th>
                <td class="num">
                  {fmt.pct(c.percent)}
                  <div class="progress-bar thin" aria-hidden="true">
                    <span style={{ width: `${Math.min(100, c.percent)}%` }} />
                  </div>
                </td>
                <td class="num hide-narrow">{fmt.dec(c.paceRatio)}</td>
                <td>
                  <LevelBadge level={c.risk.level} fmt={fmt} />
                </td>
                <td class="hide-narrow">
                  {recent ? (
                    <Sparkline
                      counts={recent.map((d) => d.count)}
                      label={`${c.unit.name}: ${recent.map((d) => fmt.int(d.count)).join(', ')}`}
                    />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

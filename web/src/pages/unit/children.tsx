/** The children table (worst first, as the API orders them), each with its last 14 days. */
import type { ChildSummary } from '../../../../shared/schemas/progress.js';
import { DataTable } from '../../components/data-table.js';
import { LevelBadge } from '../../components/level.js';
import { Link } from '../../components/link.js';
import { Sparkline } from '../../components/spark.js';
import { useApp } from '../../context.js';
import { hrefOf } from '../../router.js';

export function ChildrenTable({ campaignId, rows }: { campaignId: string; rows: readonly ChildSummary[] }) {
  const { fmt, asOf } = useApp();
  const t = fmt.t;
  if (rows.length === 0) return <p class="muted">{t.noChildren}</p>;
  return (
    <DataTable
      label={t.children(rows.length)}
      class="children"
      rows={rows}
      rowKey={(c) => c.unit.id}
      rowAttributes={(c) => ({ 'data-unit': c.unit.id })}
      columns={[
        {
          head: t.unit,
          cell: (c) => (
            <Link href={hrefOf({ page: 'unit', campaignId, unitId: c.unit.id }, asOf)}>{c.unit.name}</Link>
          ),
        },
        {
          head: t.percent,
          class: 'num',
          cell: (c) => (
            <>
              {fmt.pct(c.percent)}
              <div class="progress-bar thin" aria-hidden="true">
                <span style={{ width: `${Math.min(100, c.percent)}%` }} />
              </div>
            </>
          ),
        },
        { head: t.paceRatio, class: 'num hide-narrow', cell: (c) => fmt.dec(c.paceRatio) },
        { head: t.level, cell: (c) => <LevelBadge level={c.risk.level} fmt={fmt} /> },
        {
          head: t.last14,
          class: 'hide-narrow',
          cell: ({ unit, last14Days: recent }) =>
            recent ? (
              <Sparkline
                counts={recent.map((d) => d.count)}
                label={`${unit.name}: ${recent.map((d) => fmt.int(d.count)).join(', ')}`}
              />
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

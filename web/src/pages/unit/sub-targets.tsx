/** The group sub-targets of a unit, each with its own level. */
import type { ProgressResponse } from '../../../../shared/schemas/progress.js';
import { DataTable } from '../../components/data-table.js';
import { LevelBadge } from '../../components/level.js';
import { useApp } from '../../context.js';

export function SubTargets({ p }: { p: ProgressResponse }) {
  const { fmt } = useApp();
  const t = fmt.t;
  return (
    <section class="panel" aria-labelledby="sub-title">
      <h2 id="sub-title">{t.subTargets}</h2>
      <DataTable
        label={t.subTargets}
        rows={p.subTargets}
        rowKey={(s) => s.group}
        columns={[
          { head: t.group, cell: (s) => s.group },
          { head: t.total, class: 'num', cell: (s) => fmt.int(s.total) },
          { head: t.target, class: 'num', cell: (s) => fmt.int(s.target) },
          { head: t.percent, class: 'num', cell: (s) => fmt.pct(s.percent) },
          { head: t.deadline, cell: (s) => fmt.day(s.deadline) },
          { head: t.level, cell: (s) => <LevelBadge level={s.risk.level} fmt={fmt} /> },
        ]}
      />
    </section>
  );
}

/** The group sub-targets of a unit, each with its own level. */
import type { ProgressResponse } from '../../../../shared/schemas/progress.js';
import { LevelBadge } from '../../components/level.js';
import { TableWrap } from '../../components/table-wrap.js';
import { useApp } from '../../context.js';

export function SubTargets({ p }: { p: ProgressResponse }) {
  const { fmt } = useApp();
  const t = fmt.t;
  return (
    <section class="panel" aria-labelledby="sub-title">
      <h2 id="sub-title">{t.subTargets}</h2>
      <TableWrap label={t.subTargets}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.group}</th>
              <th scope="col" class="num">
                {t.total}
              </th>
              <th scope="col" class="num">
                {t.target}
              </th>
              <th scope="col" class="num">
                {t.percent}
              </th>
              <th scope="col">{t.deadline}</th>
              <th scope="col">{t.level}</th>
            </tr>
          </thead>
          <tbody>
            {p.subTargets.map((s) => (
              <tr key={s.group}>
                <th scope="row">{s.group}</th>
                <td class="num">{fmt.int(s.total)}</td>
                <td class="num">{fmt.int(s.target)}</td>
                <td class="num">{fmt.pct(s.percent)}</td>
                <td>{fmt.day(s.deadline)}</td>
                <td>
                  <LevelBadge level={s.risk.level} fmt={fmt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

/** The unit's figures: percent, total, remaining, days left, required and observed rates, projection, today. */
import type { ComponentChildren } from 'preact';
import type { ProgressResponse } from '../../../../shared/schemas/progress.js';
import { useApp } from '../../context.js';

export function Figures({ p }: { p: ProgressResponse }) {
  const { fmt } = useApp();
  const t = fmt.t;
  const pace = p.paceRatio;
  return (
    <dl class="figures">
      <div class="figure big">
        <dt>{t.percent}</dt>
        <dd data-testid="percent">{fmt.pct(p.percent)}</dd>
        <div class="progress-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, p.percent)}%` }} />
        </div>
      </div>
      <Figure label={t.total} testId="total" value={fmt.int(p.total)}>
        / {fmt.int(p.target)} ({t.target})
      </Figure>
      <Figure label={t.remaining} testId="remaining" value={fmt.int(p.remaining)} />
      <Figure label={t.daysLeft} testId="days-left" value={fmt.int(p.daysLeft)}>
        {t.deadline} {fmt.day(p.deadline)}
      </Figure>
      <Figure
        label={t.requiredPerDay}
        testId="required"
        value={fmt.int(p.requiredDailyRate === null ? null : Math.round(p.requiredDailyRate))}
      />
      <Figure
        label={t.observedPerDay}
        testId="observed"
        value={fmt.int(p.observedDailyRate === null ? null : Math.round(p.observedDailyRate))}
      >
        {t.paceRatio} {fmt.dec(pace)}
      </Figure>
      <Figure
        label={t.projected}
        testId="projected"
        value={p.projectedCompletion ? fmt.day(p.projectedCompletion) : p.remaining > 0 ? t.never : '—'}
      />
      <Figure label={t.today} testId="today" value={fmt.int(p.today.count)}>
        {fmt.day(p.today.day)}
      </Figure>
    </dl>
  );
}

/** One figure: its label, its value (`data-testid`) and, when given, a note below it. */
function Figure(props: {
  label: string;
  testId: string;
  value: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <div class="figure">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
      {props.children !== undefined && <dd class="muted small">{props.children}</dd>}
    </div>
  );
}

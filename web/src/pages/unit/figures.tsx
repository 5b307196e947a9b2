/** The unit's figures: percent, total, remaining, days left, required and observed rates, projection, today. */
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
      <div class="figure">
        <dt>{t.total}</dt>
        <dd data-testid="total">{fmt.int(p.total)}</dd>
        <dd class="muted small">
          / {fmt.int(p.target)} ({t.target})
        </dd>
      </div>
      <div class="figure">
        <dt>{t.remaining}</dt>
        <dd data-testid="remaining">{fmt.int(p.remaining)}</dd>
      </div>
      <div class="figure">
        <dt>{t.daysLeft}</dt>
        <dd data-testid="days-left">{fmt.int(p.daysLeft)}</dd>
        <dd class="muted small">
          {t.deadline} {fmt.day(p.deadline)}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.requiredPerDay}</dt>
        <dd data-testid="required">
          {fmt.int(p.requiredDailyRate === null ? null : Math.round(p.requiredDailyRate))}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.observedPerDay}</dt>
        <dd data-testid="observed">
          {fmt.int(p.observedDailyRate === null ? null : Math.round(p.observedDailyRate))}
        </dd>
        <dd class="muted small">
          {t.paceRatio} {fmt.dec(pace)}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.projected}</dt>
        <dd data-testid="projected">
          {p.projectedCompletion ? fmt.day(p.projectedCompletion) : p.remaining > 0 ? t.never : '—'}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.today}</dt>
        <dd data-testid="today">{fmt.int(p.today.count)}</dd>
        <dd class="muted small">{fmt.day(p.today.day)}</dd>
      </div>
    </dl>
  );
}

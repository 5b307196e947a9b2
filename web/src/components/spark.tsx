import { sparkPoints } from '../chart/model.js';

/** A 14-day sparkline (inline SVG, no library): the shape of recent intake. */
export function Sparkline({ counts, label }: { counts: readonly number[]; label: string }) {
  const w = 112;
  const h = 28;
  const points = sparkPoints(counts)
    .map((p) => `${(p.x * (w - 4) + 2).toFixed(1)},${(p.y * (h - 4) + 2).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** Daily bars with the required rate as a line (inline SVG). */
export function DailyBars({
  days,
  required,
  label,
  dayLabel,
  countLabel,
}: {
  days: readonly { day: string; count: number }[];
  required: number | null;
  label: string;
  dayLabel: (day: string) => string;
  countLabel: (n: number) => string;
}) {
  const w = 720;
  const h = 160;
  const max = Math.max(1, required ?? 0, ...days.map((d) => d.count));
  const bw = w / Math.max(1, days.length);
  const y = (v: number) => h - 16 - (v / max) * (h - 24);
  return (
    <svg class="bars" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} preserveAspectRatio="none">
      {days.map((d, i) => (
        <rect
          key={d.day}
          x={i * bw + 1}
          y={y(d.count)}
          width={Math.max(1, bw - 2)}
          height={h - 16 - y(d.count)}
          class="bar"
        >
          <title>{`${dayLabel(d.day)}: ${countLabel(d.count)}`}</title>
        </rect>
      ))}
      {required !== null && <line x1="0" x2={w} y1={y(required)} y2={y(required)} class="bar-required" />}
    </svg>
  );
}

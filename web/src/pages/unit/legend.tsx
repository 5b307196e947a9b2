/** The burn-up chart's legend (its sub-target line only when there are sub-targets). */
import { useApp } from '../../context.js';

export function Legend({ hasSub }: { hasSub: boolean }) {
  const { fmt } = useApp();
  const t = fmt.t;
  const series: (readonly [swatch: string, label: string])[] = [
    ['actual', t.seriesActual],
    ['target', t.seriesTarget],
    ['required', t.seriesRequired],
    ['projection', t.seriesProjection],
    ...(hasSub ? ([['sub', t.subTargets]] as const) : []),
  ];
  return (
    <ul class="legend">
      {series.map(([swatch, label]) => (
        <li key={swatch}>
          <span class={`swatch ${swatch}`} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}

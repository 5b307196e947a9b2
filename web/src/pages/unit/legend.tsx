/** The burn-up chart's legend (its sub-target line only when there are sub-targets). */
import { useApp } from '../../context.js';

export function Legend({ hasSub }: { hasSub: boolean }) {
  const { fmt } = useApp();
  const t = fmt.t;
  return (
    <ul class="legend">
      <li>
        <span class="swatch actual" aria-hidden="true" />
        {t.seriesActual}
      </li>
      <li>
        <span class="swatch target" aria-hidden="true" />
        {t.seriesTarget}
      </li>
      <li>
        <span class="swatch required" aria-hidden="true" />
        {t.seriesRequired}
      </li>
      <li>
        <span class="swatch projection" aria-hidden="true" />
        {t.seriesProjection}
      </li>
      {hasSub && (
        <li>
          <span class="swatch sub" aria-hidden="true" />
          {t.subTargets}
        </li>
      )}
    </ul>
  );
}

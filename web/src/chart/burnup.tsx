/**
 * The burn-up chart, drawn by uPlot from the pure model (model.ts). The chart library only draws.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Format } from '../i18n.js';
import { type BurnUp, burnUpColumns } from './model.js';

const COLOURS = {
  actual: '#0b5394',
  target: '#7f7f7f',
  required: '#c0392b',
  projection: '#e67e22',
  subTarget: '#6a3d9a',
};

const secondsOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function BurnUpChart({ model, fmt }: { model: BurnUp; fmt: Format }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = burnUpColumns(model);
    const t = fmt.t;
    const series: uPlot.Series[] = [
      {},
      {
        label: t.seriesActual,
        stroke: COLOURS.actual,
        width: 3,
        fill: 'rgba(11,83,148,0.08)',
        value: (_u, v) => fmt.int(v),
      },
      { label: t.seriesTarget, stroke: COLOURS.target, width: 1.5, dash: [2, 4] },
      { label: t.seriesRequired, stroke: COLOURS.required, width: 2, dash: [8, 4] },
      { label: t.seriesProjection, stroke: COLOURS.projection, width: 2, dash: [3, 3] },
      ...model.subTargets.map((s) => ({
        label: t.seriesSubTarget(s.group),
        stroke: COLOURS.subTarget,
        width: 1.5,
        dash: [1, 3],
      })),
    ];
    const data = [
      c.days.map(secondsOf),
      c.actual,
      c.target,
      c.required,
      c.projection,
      ...c.subTargets,
    ] as uPlot.AlignedData;
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: width() < 500 ? 240 : 320,
        series,
        scales: { x: { time: true } },
        axes: [
          {
            space: 70,
            values: (_u, splits) =>
              splits.map((s) => fmt.shortDay(new Date(s * 1000).toISOString().slice(0, 10))),
          },
          { size: 84, values: (_u, splits) => splits.map((v) => fmt.int(v)) },
        ],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: width(), height: width() < 500 ? 240 : 320 }),
    );
    resize.observe(el);
    el.dataset.ready = 'true';
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [model, fmt]);
  return <div ref={host} class="burnup" role="img" aria-label={fmt.t.burnUpHelp} />;
}

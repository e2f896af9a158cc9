import { timeTicks } from '@/lib/charts/scales';
import { formatTick, SERVER_DATE_CONTEXT } from '@/lib/format/time';
import { textWidth } from '../render-text';
import type { Painter } from '../render-theme';
import type { Frame, Region } from './frame';
import { n, textEl } from './markup';
import type { YScale } from './scales';

/** Horizontal grid with y labels, skipping labels that would overlap their neighbour. */
export function drawYGrid(scale: YScale, plot: Region, y: (v: number) => number, labelSize: number, p: Painter): string {
  const out: string[] = [];
  let lastLabelY = Number.POSITIVE_INFINITY;
  for (const tick of scale.ticks) {
    const ty = y(tick.v);
    out.push(`<line x1="${n(plot.left)}" y1="${n(ty)}" x2="${n(plot.right)}" y2="${n(ty)}" stroke-width="1" ${p.paint({ stroke: 'grid' })}/>`);
    if (lastLabelY - ty >= labelSize * 1.05) {
      out.push(textEl(p, plot.left - 5, ty + labelSize * 0.35, tick.label, { size: labelSize, colour: 'axis', anchor: 'end' }));
      lastLabelY = ty;
    }
  }
  return out.join('');
}

/** The time axis along the bottom of the plot, with as many labelled ticks as fit without overlapping. */
export function drawTimeAxis(
  range: { from: number; to: number },
  plot: Region,
  region: Region,
  x: (t: number) => number,
  labelSize: number,
  f: Frame,
  p: Painter,
): string {
  const out: string[] = [];
  const span = range.to - range.from;
  out.push(
    `<line data-axis="x" x1="${n(plot.left)}" y1="${n(plot.bottom)}" x2="${n(plot.right)}" y2="${n(plot.bottom)}" stroke-width="1" ${p.paint({ stroke: 'axis' })}/>`,
  );
  if (span > 0) {
    let lastRight = Number.NEGATIVE_INFINITY;
    for (const t of timeTicks(range.from, range.to, f.compact ? 4 : f.large ? 7 : 5)) {
      const label = formatTick(t, span / 1000, SERVER_DATE_CONTEXT);
      const w = textWidth(label, labelSize);
      const tx = x(t);
      if (tx - w / 2 < lastRight + 8 || tx - w / 2 < region.left || tx + w / 2 > f.width - 2) continue;
      out.push(`<line x1="${n(tx)}" y1="${n(plot.bottom)}" x2="${n(tx)}" y2="${n(plot.bottom + 3)}" stroke-width="1" ${p.paint({ stroke: 'axis' })}/>`);
      out.push(textEl(p, tx, plot.bottom + labelSize * 1.3, label, { size: labelSize, colour: 'axis', anchor: 'middle' }));
      lastRight = tx + w / 2;
    }
  }
  return out.join('');
}

import { textWidth } from '../render-text';
import type { PaletteKey, Painter } from '../render-theme';
import { drawTimeAxis, drawYGrid } from './axes';
import type { Frame, Region } from './frame';
import { drawRefLines, drawShade, type RefLine } from './marks';
import { textEl } from './markup';
import type { YScale } from './scales';
import { drawSeries, type ChartLine } from './series';

/* The chart: grid, axes, reference lines, and series whose nulls are gaps. */

export interface ChartSpec {
  times: number[];
  from: number;
  to: number;
  scale: YScale;
  lines: ChartLine[];
  refs: RefLine[];
  /** Values below this are shaded (the overspent budget). */
  shadeBelow?: { v: number; colour: PaletteKey };
}

export function drawChart(spec: ChartSpec, region: Region, f: Frame, p: Painter): string {
  const out: string[] = [];
  const labelSize = f.small;
  const yLabelWidth = Math.max(...spec.scale.ticks.map((t) => textWidth(t.label, labelSize))) + 6;
  const plot: Region = { ...region, left: region.left + yLabelWidth, bottom: region.bottom - labelSize * 1.5 };
  const y = (v: number) => plot.bottom - spec.scale.unit(v) * (plot.bottom - plot.top);
  const span = spec.to - spec.from;
  const x = (t: number) => plot.left + (span > 0 ? ((t - spec.from) / span) * (plot.right - plot.left) : (plot.right - plot.left) / 2);

  out.push(drawYGrid(spec.scale, plot, y, labelSize, p));
  out.push(drawTimeAxis(spec, plot, region, x, labelSize, f, p));
  if (spec.shadeBelow) out.push(drawShade(plot, y(spec.shadeBelow.v), spec.shadeBelow.colour, p));
  const series = drawSeries(spec.lines, spec.times.map(x), y, p);
  out.push(series.markup);
  out.push(drawRefLines(spec.refs, plot, y, labelSize, p));

  if (series.drawn === 0) {
    const cx = (plot.left + plot.right) / 2;
    const cy = (plot.top + plot.bottom) / 2;
    out.push(textEl(p, cx, cy + f.text * 0.35, 'No data in this range', { size: f.text, colour: 'muted', anchor: 'middle' }));
  }
  return `<g data-chart="">${out.join('')}</g>`;
}

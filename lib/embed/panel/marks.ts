import { escapeXml } from '../escape';
import type { PaletteKey, Painter } from '../render-theme';
import type { Region } from './frame';
import { n } from './markup';

/* Marks on a chart: threshold and objective lines (an alert tier's burn rate, the SLO's objective) and shading. */

/** A dashed horizontal line at a value, labelled when there is room. */
export interface RefLine {
  v: number;
  colour: PaletteKey;
  label: string | null;
}

/** Shades the plot below `top` (the overspent budget), when that is more than half a pixel. */
export function drawShade(plot: Region, top: number, colour: PaletteKey, p: Painter): string {
  if (!(plot.bottom - top > 0.5)) return '';
  return `<rect x="${n(plot.left)}" y="${n(top)}" width="${n(plot.right - plot.left)}" height="${n(plot.bottom - top)}" fill-opacity="0.07" ${p.paint({ fill: colour })}/>`;
}

/** Reference lines over the series, labelled inside the top right like the app's, without overlapping. */
export function drawRefLines(refs: RefLine[], plot: Region, y: (v: number) => number, labelSize: number, p: Painter): string {
  const out: string[] = [];
  const placed: number[] = [];
  for (const ref of [...refs].sort((a, b) => b.v - a.v)) {
    const ry = y(ref.v);
    out.push(
      `<line x1="${n(plot.left)}" y1="${n(ry)}" x2="${n(plot.right)}" y2="${n(ry)}" stroke-width="1.25" stroke-dasharray="6 4" ${p.paint({ stroke: ref.colour })}/>`,
    );
    if (ref.label === null) continue;
    const ly = ry - 3;
    if (ly - labelSize < plot.top - 2 || placed.some((other) => Math.abs(other - ly) < labelSize * 1.05)) continue;
    placed.push(ly);
    out.push(
      `<text x="${n(plot.right - 4)}" y="${n(ly)}" font-size="${labelSize}" text-anchor="end" stroke-width="3" stroke-linejoin="round" paint-order="stroke" ${p.paint({ fill: ref.colour, stroke: 'surface' })}>${escapeXml(ref.label)}</text>`,
    );
  }
  return out.join('');
}

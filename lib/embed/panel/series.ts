import { escapeXml } from '../escape';
import type { PaletteKey, Painter } from '../render-theme';
import { n } from './markup';

/** One series of a chart. */
export interface ChartLine {
  /** Named in a data attribute, so tests and readers can tell the lines apart. */
  name: string;
  values: Array<number | null>;
  colour: PaletteKey;
  width: number;
}

/** Path data for a series: a new subpath after every null, so a gap is drawn as a gap, never as zero. */
export function seriesPath(xs: number[], ys: Array<number | null>): { d: string; dots: Array<[number, number]> } {
  const runs: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> = [];
  ys.forEach((y, i) => {
    const x = xs[i];
    if (y === null || !Number.isFinite(y) || x === undefined || !Number.isFinite(x)) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push([x, y]);
  });
  if (run.length > 0) runs.push(run);
  const d = runs
    .filter((r) => r.length > 1)
    .map((r) => r.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`).join(''))
    .join('');
  const dots = runs.filter((r) => r.length === 1).map((r) => r[0]!);
  return { d, dots };
}

/** Every line as a path (a lone value as a dot); `drawn` counts the values drawn, 0 meaning "no data". */
export function drawSeries(lines: ChartLine[], xs: number[], y: (v: number) => number, p: Painter): { markup: string; drawn: number } {
  const out: string[] = [];
  let drawn = 0;
  for (const line of lines) {
    const ys = line.values.map((v) => (v === null || !Number.isFinite(v) ? null : y(v)));
    const { d, dots } = seriesPath(xs, ys);
    if (d) {
      out.push(
        `<path data-series="${escapeXml(line.name)}" d="${d}" fill="none" stroke-width="${line.width}" stroke-linejoin="round" stroke-linecap="round" ${p.paint({ stroke: line.colour })}/>`,
      );
    }
    for (const [dx, dy] of dots)
      out.push(`<circle data-series="${escapeXml(line.name)}" cx="${n(dx)}" cy="${n(dy)}" r="${line.width}" ${p.paint({ fill: line.colour })}/>`);
    drawn += ys.filter((v) => v !== null).length;
  }
  return { markup: out.join(''), drawn };
}

import { escapeXml } from './escape';
import type { PanelData, PanelOptions } from './panel-data';
import { frameFor } from './panel/frame';
import { servicePanel } from './panel/service-panel';
import { sloPanel } from './panel/slo-panel';
import { drawChart } from './panel/chart';
import { budgetParts, burnRateParts, sliParts } from './panel/slo-parts';
import type { SloPanelData } from './panel-data';
import { FONT_FAMILY } from './render-text';
import { painter } from './render-theme';
export { PANEL_MAX, PANEL_MIN } from './panel/frame';
export { rangeWords, utcMinute, windowWords } from './panel/words';
export { sloHealth } from './panel/alert-state';
export { seriesPath } from './panel/series';

/*
 * Embeddable panels as standalone SVG: drawn on the server from the data a use-case gathered, with no script,
 * no event attributes and nothing fetched. Every string that reaches the markup goes through escapeXml.
 * The parts live in panel/: frame (sizes), markup, words, alert-state, scales, axes, series, marks, chart,
 * header (title, subtitle, legend), slo-parts and slo-panel (one SLO), service-panel (a service's SLOs).
 */

/**
 * A standalone SVG document for one embedded panel, laid out for `options.width` x `options.height`
 * (readable from 400x200). Throws a RangeError for a size outside PANEL_MIN..PANEL_MAX.
 */
export function renderPanelSvg(data: PanelData, options: PanelOptions): string {
  const f = frameFor(options);
  const p = painter(options.theme);
  const body = data.kind === 'service' ? servicePanel(data, f, p) : sloPanel(data, f, p, options.range);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" ` +
    `font-family="${escapeXml(FONT_FAMILY)}">` +
    `<title>${escapeXml(body.title)}</title><desc>${escapeXml(body.desc)}</desc>${p.style}` +
    `<rect x="0.5" y="0.5" width="${f.width - 1}" height="${f.height - 1}" stroke-width="1" ${p.paint({ fill: 'surface', stroke: 'border' })}/>` +
    `${body.markup}</svg>`
  );
}

/**
 * One SLO chart alone (no title, figure or footer), for the SLO page to show at first paint while its interactive
 * chart loads: the same scales, lines and thresholds as the panels, coloured as the page's theme is. Inline SVG,
 * every string escaped as in the panels.
 */
export function renderSloChartSvg(data: SloPanelData, size: { width: number; height: number }): string {
  const f = frameFor({ ...size, theme: 'light', range: '' });
  const p = painter('app');
  const parts = data.kind === 'burn_rate' ? burnRateParts(data, f) : data.kind === 'budget' ? budgetParts(data) : sliParts(data, f);
  const times = data.series.points.map((pt) => Date.parse(pt.t));
  const from = Date.parse(data.series.from);
  const to = Date.parse(data.series.to);
  const chart = drawChart(
    { ...parts.chart, times, from: Number.isFinite(from) ? from : Math.min(...times), to: Number.isFinite(to) ? to : Math.max(...times) },
    { left: 0, right: f.width, top: f.small, bottom: f.height },
    f,
    p,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" preserveAspectRatio="xMidYMid meet" ` +
    `role="img" font-family="${escapeXml(FONT_FAMILY)}"><title>${escapeXml(parts.description)}</title>${p.style}${chart}</svg>`
  );
}

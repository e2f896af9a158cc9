import type { SloPanelData } from '../panel-data';
import { fitText, textWidth } from '../render-text';
import type { Painter } from '../render-theme';
import { alertState } from './alert-state';
import { drawChart } from './chart';
import type { Frame, Region } from './frame';
import { drawLegend, drawSubtitle, type Subtitle } from './header';
import { linked, textEl } from './markup';
import { budgetParts, burnRateParts, sliParts } from './slo-parts';
import { rangeWords, utcMinute, windowWords } from './words';

/* One SLO's panel: the headline figure, title, legend, chart and footer around the parts of its kind. */

export function sloPanel(data: SloPanelData, f: Frame, p: Painter, range: string): { title: string; desc: string; markup: string } {
  const { status, series } = data;
  const parts = data.kind === 'burn_rate' ? burnRateParts(data, f) : data.kind === 'budget' ? budgetParts(data) : sliParts(data, f);
  const kindLabel = data.kind === 'burn_rate' ? 'Burn rate' : data.kind === 'budget' ? 'Error budget' : 'SLI';
  const window = windowWords(status.window);
  const asOf = `as of ${utcMinute(status.asOf)}`;
  const rangeText = rangeWords(range);
  const alert = alertState(status);
  const stale = status.evaluation.staleSince ? `stale since ${utcMinute(status.evaluation.staleSince)}` : null;
  // "provisional: 4 min of 28 days measured": marked wherever the figure goes, as on the SLO page.
  const provisional =
    status.provisional && status.provisionalReason ? status.provisionalReason.replace(/^Provisional: /, 'provisional: ').replace(/\.$/, '') : null;
  const demo = status.source === 'demo';
  const out: string[] = [];
  const innerWidth = f.width - 2 * f.pad;

  // The headline figure, top right.
  const figureBaseline = f.pad + f.figure * 0.8;
  const captionBaseline = figureBaseline + f.small * 1.35;
  const figureWidth = Math.max(textWidth(parts.figure.value, f.figure, true), textWidth(parts.figure.caption, f.small));
  out.push(textEl(p, f.width - f.pad, figureBaseline, parts.figure.value, { size: f.figure, colour: parts.figure.colour, bold: true, anchor: 'end' }));
  out.push(textEl(p, f.width - f.pad, captionBaseline, parts.figure.caption, { size: f.small, colour: 'text2', anchor: 'end' }));

  // Title (linked back to the SLO page) and subtitle, left of the figure.
  const headWidth = innerWidth - figureWidth - f.pad;
  const titleBaseline = f.pad + f.title * 0.85;
  const title = fitText(data.sloName, headWidth, f.title, true);
  out.push(linked(data.link, textEl(p, f.pad, titleBaseline, title, { size: f.title, colour: 'text', bold: true })));
  const subtitleBaseline = titleBaseline + f.text * 1.5;
  const fixed: Subtitle['fixed'] = [{ text: window, colour: 'text2' }];
  if (demo) fixed.push({ text: 'demo data', colour: 'demo' });
  out.push(drawSubtitle(p, f.pad, subtitleBaseline, headWidth, f.text, { shrinkable: data.serviceName, fixed }));

  let top = Math.max(subtitleBaseline, captionBaseline) + f.small * 0.4;
  if (f.large) {
    top += f.small * 1.3;
    out.push(textEl(p, f.pad, top, fitText(parts.description, innerWidth, f.small), { size: f.small, colour: 'muted' }));
  }
  if (!f.compact && parts.legend.length > 0) {
    top += f.small * 1.6;
    out.push(drawLegend(p, f.pad, top, innerWidth, f.small, parts.legend));
  }

  // Footer: the range and the time the figures are from, and the alert state.
  const footerBaseline = f.height - f.pad;
  const left = [...(provisional ? [provisional] : []), rangeText, asOf, ...(stale ? [stale] : [])].join(' \u00b7 ');
  const leftWidth = textWidth(left, f.small);
  const state = leftWidth + 16 + textWidth(alert.long, f.small, true) <= innerWidth ? alert.long : alert.short;
  out.push(
    textEl(p, f.pad, footerBaseline, fitText(left, innerWidth - textWidth(state, f.small, true) - 16, f.small), {
      size: f.small,
      colour: stale || provisional ? 'warning' : 'text2',
    }),
  );
  out.push(textEl(p, f.width - f.pad, footerBaseline, state, { size: f.small, colour: alert.colour, bold: true, anchor: 'end' }));

  const times = series.points.map((pt) => Date.parse(pt.t));
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const region: Region = { left: f.pad, right: f.width - f.pad, top: top + f.small * 0.9, bottom: footerBaseline - f.small * 1.5 };
  out.push(
    drawChart(
      { ...parts.chart, times, from: Number.isFinite(from) ? from : Math.min(...times), to: Number.isFinite(to) ? to : Math.max(...times) },
      region,
      f,
      p,
    ),
  );

  const titleText = `${data.sloName} (${data.serviceName}): ${kindLabel.toLowerCase()}`;
  const desc = [
    `${kindLabel} of the SLO ${data.sloName} of ${data.serviceName} over the ${rangeText}, ${window}, ${asOf}.`,
    ...(demo ? ['Figures come from the synthetic demo source.'] : []),
    ...(stale ? [`The source is failing: data ${stale}.`] : []),
    ...(provisional ? [`The figures are ${provisional}.`] : []),
    `${parts.figure.caption}: ${parts.figure.value}.`,
    ...parts.summary,
    `Alert state: ${alert.long}.`,
  ].join(' ');
  return { title: titleText, desc, markup: out.join('') };
}

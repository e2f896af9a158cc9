import { finiteValues, seriesSlot, severityTone } from '@/lib/charts/scales';
import { budgetTone, HEALTH_LABEL } from '@/lib/format/labels';
import { formatBudget, formatBurnRate, formatMinutes, formatObjective, formatSli, formatThreshold } from '@/lib/slo/format';
import type { AlertTier } from '../schemas';
import { durationMinutes } from '../schemas/common';
import { escapeXml } from './escape';
import type { PanelData, PanelOptions, ServicePanelData, SloPanelData } from './panel-data';
import { alertState, type Health, HEALTH_COLOUR, sloHealth } from './panel/alert-state';
import { type ChartSpec, drawChart } from './panel/chart';
import { type Frame, frameFor, type Region } from './panel/frame';
import type { RefLine } from './panel/marks';
import { linked, n, textEl, tspan } from './panel/markup';
import { budgetScale, burnScale, sliScale } from './panel/scales';
import type { ChartLine } from './panel/series';
import { rangeWords, utcMinute, windowShort, windowWords } from './panel/words';
import { fitText, FONT_FAMILY, textWidth } from './render-text';
import { painter, type Painter, type PaletteKey } from './render-theme';
export { PANEL_MAX, PANEL_MIN } from './panel/frame';
export { rangeWords, utcMinute, windowWords } from './panel/words';
export { sloHealth } from './panel/alert-state';
export { seriesPath } from './panel/series';

/*
 * Embeddable panels as standalone SVG: drawn on the server from the data a use-case gathered, with no script,
 * no event attributes and nothing fetched. Every string that reaches the markup goes through escapeXml.
 */

// ---------------------------------------------------------------------------------------------------------
// Header, legend and footer, shared by every SLO panel.

interface Figure {
  value: string;
  caption: string;
  colour: PaletteKey;
}

interface LegendItem {
  label: string;
  /** Used when the full labels do not fit on one line. */
  short: string;
  colour: PaletteKey;
  dashed?: boolean;
}

const TONE_COLOUR = { danger: 'danger', warning: 'warning', ok: 'ok', muted: 'muted' } as const satisfies Record<string, PaletteKey>;

/** Parts of the subtitle: the first is shortened first when the line is too wide. */
interface Subtitle {
  shrinkable: string;
  fixed: Array<{ text: string; colour: PaletteKey }>;
}

function drawSubtitle(p: Painter, x: number, y: number, maxWidth: number, size: number, sub: Subtitle): string {
  const sep = ' \u00b7 ';
  const fixedText = sub.fixed.map((part) => part.text).join(sep);
  const fixedWidth = textWidth(fixedText, size) + (sub.shrinkable ? textWidth(sep, size) : 0);
  let spans = '';
  if (sub.shrinkable) {
    const first = fitText(sub.shrinkable, maxWidth - fixedWidth, size);
    if (first) spans += tspan(p, first + sep, 'text2');
  }
  const fixed = sub.fixed.map((part, i) => tspan(p, (i > 0 ? sep : '') + part.text, part.colour)).join('');
  // When even the fixed parts are too wide (a very small panel), fit them as plain text instead.
  if (textWidth(fixedText, size) > maxWidth) return textEl(p, x, y, fitText(fixedText, maxWidth, size), { size, colour: 'text2' });
  return `<text x="${n(x)}" y="${n(y)}" font-size="${size}">${spans}${fixed}</text>`;
}

function drawLegend(p: Painter, x: number, y: number, maxWidth: number, size: number, items: LegendItem[]): string {
  const out: string[] = [];
  const width = (label: string) => 16 + textWidth(label, size) + 12;
  const full = items.reduce((sum, item) => sum + width(item.label), 0) - 12 <= maxWidth;
  let cx = x;
  for (const item of items) {
    const label = full ? item.label : item.short;
    const w = 16 + textWidth(label, size);
    if (cx + w > x + maxWidth) break;
    const dash = item.dashed ? ' stroke-dasharray="4 3"' : '';
    out.push(`<line x1="${n(cx)}" y1="${n(y - size * 0.35)}" x2="${n(cx + 12)}" y2="${n(y - size * 0.35)}" stroke-width="2"${dash} ${p.paint({ stroke: item.colour })}/>`);
    out.push(textEl(p, cx + 16, y, label, { size, colour: 'text2' }));
    cx += w + 12;
  }
  return out.join('');
}

interface SloPanelParts {
  figure: Figure;
  legend: LegendItem[];
  description: string;
  chart: Omit<ChartSpec, 'times' | 'from' | 'to'>;
  /** Sentences for <desc>, after the common ones. */
  summary: string[];
}

function sloPanel(data: SloPanelData, f: Frame, p: Painter, range: string): { title: string; desc: string; markup: string } {
  const { status, series } = data;
  const parts = data.kind === 'burn_rate' ? burnRateParts(data, f) : data.kind === 'budget' ? budgetParts(data) : sliParts(data, f);
  const kindLabel = data.kind === 'burn_rate' ? 'Burn rate' : data.kind === 'budget' ? 'Error budget' : 'SLI';
  const window = windowWords(status.window);
  const asOf = `as of ${utcMinute(status.asOf)}`;
  const rangeText = rangeWords(range);
  const alert = alertState(status);
  const stale = status.evaluation.staleSince ? `stale since ${utcMinute(status.evaluation.staleSince)}` : null;
  // "provisional: 4 min of 28 days measured": marked wherever the figure goes, as on the SLO page.
  const provisional = status.provisional && status.provisionalReason ? status.provisionalReason.replace(/^Provisional: /, 'provisional: ').replace(/\.$/, '') : null;
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
  out.push(textEl(p, f.pad, footerBaseline, fitText(left, innerWidth - textWidth(state, f.small, true) - 16, f.small), { size: f.small, colour: stale || provisional ? 'warning' : 'text2' }));
  out.push(textEl(p, f.width - f.pad, footerBaseline, state, { size: f.small, colour: alert.colour, bold: true, anchor: 'end' }));

  const times = series.points.map((pt) => Date.parse(pt.t));
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const region: Region = { left: f.pad, right: f.width - f.pad, top: top + f.small * 0.9, bottom: footerBaseline - f.small * 1.5 };
  out.push(drawChart({ ...parts.chart, times, from: Number.isFinite(from) ? from : Math.min(...times), to: Number.isFinite(to) ? to : Math.max(...times) }, region, f, p));

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

/** The window whose figure a burn-rate panel headlines: the first page tier's long window, as the app's "1h". */
function primaryTier(tiers: AlertTier[]): AlertTier | undefined {
  return tiers.find((t) => t.severity === 'page') ?? tiers[0];
}

function byDuration(a: string, b: string): number {
  return (durationMinutes(a) || 0) - (durationMinutes(b) || 0);
}

function burnRateParts(data: SloPanelData, f: Frame): SloPanelParts {
  const { status, series } = data;
  const primary = primaryTier(series.tiers);
  const fallback = Object.keys(series.points[0]?.burnRates ?? status.burnRates).sort(byDuration);
  const headline = primary?.longWindow ?? fallback[0] ?? '1h';
  // The app draws every tier's long window; a small panel keeps only the headline window.
  const longWindows = [...new Set(series.tiers.map((t) => t.longWindow))].sort(byDuration);
  const windows = f.compact || longWindows.length === 0 ? [headline] : longWindows;
  const colour = (i: number): PaletteKey => `chart${seriesSlot(i)}`;
  const lines: ChartLine[] = windows.map((w, i) => ({
    name: w,
    values: series.points.map((pt) => pt.burnRates[w] ?? null),
    colour: colour(i),
    width: 1.75,
  }));
  const firingKeys = new Set(status.alerts.filter((a) => a.firing).map((a) => `${a.severity}/${a.longWindow}/${a.shortWindow}`));
  const refs: RefLine[] = series.tiers.map((tier) => {
    const firing = firingKeys.has(`${tier.severity}/${tier.longWindow}/${tier.shortWindow}`);
    const label = f.compact
      ? `${tier.severity} ${formatThreshold(tier.burnRate)}${firing ? ' firing' : ''}`
      : `${tier.severity} ${tier.longWindow}/${tier.shortWindow} > ${formatThreshold(tier.burnRate)}${firing ? ' \u00b7 firing' : ''}`;
    return { v: tier.burnRate, colour: severityTone(tier.severity), label };
  });
  const values = finiteValues(lines.flatMap((l) => l.values));
  const current = status.burnRates[headline] ?? null;
  const health = sloHealth(status);
  return {
    figure: {
      value: formatBurnRate(current),
      caption: `${headline} burn rate`,
      colour: current === null ? 'muted' : health === 'page' ? 'danger' : health === 'ticket' ? 'warning' : 'text',
    },
    legend: [
      ...windows.map((w, i) => ({ label: `${w} burn rate`, short: w, colour: colour(i) })),
      ...(series.tiers.some((t) => t.severity === 'page') ? [{ label: 'page threshold', short: 'page', colour: 'danger' as const, dashed: true }] : []),
      ...(series.tiers.some((t) => t.severity === 'ticket') ? [{ label: 'ticket threshold', short: 'ticket', colour: 'warning' as const, dashed: true }] : []),
    ],
    description: 'Burn rate over each alert tier\u2019s long window (log scale); dashed lines are the tiers\u2019 thresholds.',
    chart: { scale: burnScale(values, series.tiers), lines, refs },
    summary: [
      `Thresholds: ${series.tiers.map((t) => `${t.severity} ${t.longWindow}/${t.shortWindow} ${formatThreshold(t.burnRate)}`).join(', ') || 'none'}.`,
      ...(values.length === 0 ? ['No burn rate data in this range.'] : []),
    ],
  };
}

function budgetParts(data: SloPanelData): SloPanelParts {
  const { status, series } = data;
  const remaining = status.errorBudget.remaining;
  const values = series.points.map((pt) => pt.budgetRemaining);
  const allowed = formatMinutes(status.errorBudget.allowedMinutes);
  return {
    figure: { value: formatBudget(remaining), caption: 'error budget left', colour: TONE_COLOUR[budgetTone(remaining)] },
    legend: [
      { label: 'budget remaining', short: 'remaining', colour: 'chart1' },
      { label: 'budget spent (0%)', short: 'spent (0%)', colour: 'danger', dashed: true },
    ],
    description: `Budget remaining over the ${windowShort(status.window)} window ending at each point; the budget is ${allowed} of errors.`,
    chart: {
      scale: budgetScale(finiteValues(values)),
      lines: [{ name: 'budget', values, colour: 'chart1', width: 2 }],
      refs: [{ v: 0, colour: 'danger', label: 'budget spent' }],
      shadeBelow: { v: 0, colour: 'danger' },
    },
    summary: [
      `The budget is ${allowed} of errors.`,
      ...(remaining !== null && remaining < 0 ? [`It is overspent by ${formatBudget(-remaining)}.`] : []),
      ...(finiteValues(values).length === 0 ? ['No budget data in this range.'] : []),
    ],
  };
}

function sliColour(sli: number | null, objective: number): PaletteKey {
  if (sli === null || !Number.isFinite(sli)) return 'muted';
  return sli < objective ? 'danger' : 'text';
}

function sliParts(data: SloPanelData, f: Frame): SloPanelParts {
  const { status, series } = data;
  const objective = status.objective;
  const windowSli = series.points.map((pt) => pt.windowSli);
  const stepSli = series.points.map((pt) => pt.sli);
  const stepWords = `${Math.round(series.step / 60)}-minute`;
  const win = windowShort(status.window);
  // A small panel keeps the window SLI, the figure it headlines; larger ones add the per-step SLI, as the app.
  const lines: ChartLine[] = [
    ...(f.compact ? [] : [{ name: 'step', values: stepSli, colour: 'chart1' as const, width: 1.5 }]),
    { name: 'window', values: windowSli, colour: 'chart2', width: 2 },
  ];
  const sli = status.sli;
  return {
    figure: {
      value: formatSli(sli),
      caption: `${win} SLI \u00b7 objective ${formatObjective(objective)}`,
      colour: sliColour(sli, objective),
    },
    legend: [
      { label: `SLI per ${stepWords} step`, short: 'per step', colour: 'chart1' },
      { label: `${win} window SLI`, short: `${win} window`, colour: 'chart2' },
      { label: `objective ${formatObjective(objective)}`, short: formatObjective(objective), colour: 'danger', dashed: true },
    ],
    description: `Per-step SLI and the ${win} window SLI, against the objective.`,
    chart: {
      scale: sliScale(finiteValues(lines.flatMap((l) => l.values)), objective),
      lines,
      refs: [{ v: objective, colour: 'danger', label: `objective ${formatObjective(objective)}` }],
    },
    summary: [
      ...(sli !== null && Number.isFinite(sli) && sli < objective ? ['The SLI is below the objective.'] : []),
      ...(finiteValues(windowSli).length === 0 ? ['No SLI data in this range.'] : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The service panel: a compact table of its SLOs.

function servicePanel(data: ServicePanelData, f: Frame, p: Painter): { title: string; desc: string; markup: string } {
  const out: string[] = [];
  const innerWidth = f.width - 2 * f.pad;
  const statuses = data.slos.map((s) => s.status);
  const healths = statuses.map(sloHealth);
  const serviceHealth: Health = healths.includes('page')
    ? 'page'
    : healths.includes('ticket')
      ? 'ticket'
      : healths.length > 0 && healths.every((h) => h === 'no_data')
        ? 'no_data'
        : 'ok';
  const firingCount = statuses.reduce((sum, s) => sum + s.alerts.filter((a) => a.firing).length, 0);
  const windows = [...new Set(statuses.map((s) => windowWords(s.window)))];
  const sameWindow = windows.length === 1 ? windows[0]! : null;
  const asOf = `as of ${utcMinute(data.asOf)}`;
  const demo = statuses.some((s) => s.source === 'demo');

  // Header: service name (linked) and the overall state.
  const stateText = `${HEALTH_LABEL[serviceHealth]}${firingCount > 0 ? ` \u00b7 ${firingCount} firing` : ''}`;
  const stateWidth = textWidth(stateText, f.text, true) + 14;
  const titleBaseline = f.pad + f.title * 0.85;
  out.push(linked(data.link, textEl(p, f.pad, titleBaseline, fitText(data.serviceName, innerWidth - stateWidth - f.pad, f.title, true), { size: f.title, colour: 'text', bold: true })));
  out.push(`<circle cx="${n(f.width - f.pad - stateWidth + 4)}" cy="${n(titleBaseline - f.text * 0.35)}" r="4" ${p.paint({ fill: HEALTH_COLOUR[serviceHealth] })}/>`);
  out.push(textEl(p, f.width - f.pad, titleBaseline, stateText, { size: f.text, colour: HEALTH_COLOUR[serviceHealth], bold: true, anchor: 'end' }));
  const subtitleBaseline = titleBaseline + f.text * 1.5;
  const count = `${data.slos.length} SLO${data.slos.length === 1 ? '' : 's'}`;
  const fixed: Subtitle['fixed'] = [{ text: count, colour: 'text2' }];
  if (sameWindow) fixed.push({ text: sameWindow, colour: 'text2' });
  else if (data.slos.length > 0) fixed.push({ text: 'windows per SLO', colour: 'text2' });
  if (demo) fixed.push({ text: 'demo data', colour: 'demo' });
  out.push(drawSubtitle(p, f.pad, subtitleBaseline, innerWidth, f.text, { shrinkable: '', fixed }));

  const footerBaseline = f.height - f.pad;
  out.push(textEl(p, f.pad, footerBaseline, asOf, { size: f.small, colour: 'text2' }));

  // The table: SLO | SLI | objective | budget left | alert; a small panel drops the objective.
  const rowHeight = f.text * 1.9;
  const headerBaseline = subtitleBaseline + f.small * 2.2;
  const rows = data.slos.map((slo, i) => ({
    name: sameWindow || f.compact ? slo.name : `${slo.name} (${windowShort(slo.status.window)})`,
    link: slo.link,
    sli: { text: formatSli(slo.status.sli), colour: sliColour(slo.status.sli, slo.status.objective) },
    objective: { text: formatObjective(slo.status.objective), colour: 'text2' as PaletteKey },
    budget: { text: formatBudget(slo.status.errorBudget.remaining), colour: TONE_COLOUR[budgetTone(slo.status.errorBudget.remaining)] as PaletteKey },
    health: healths[i]!,
  }));
  if (rows.length === 0) {
    out.push(textEl(p, f.width / 2, (headerBaseline + footerBaseline) / 2, 'No SLOs defined yet', { size: f.text, colour: 'muted', anchor: 'middle' }));
  } else {
    const numeric: Array<{ head: string; cell: (r: (typeof rows)[number]) => { text: string; colour: PaletteKey } }> = [
      { head: 'SLI', cell: (r) => r.sli },
      ...(f.compact ? [] : [{ head: 'objective', cell: (r: (typeof rows)[number]) => r.objective }]),
      { head: f.compact ? 'budget' : 'budget left', cell: (r) => r.budget },
    ];
    const alertHead = 'alert';
    const alertWidth = Math.max(textWidth(alertHead, f.small), ...rows.map((r) => 12 + textWidth(HEALTH_LABEL[r.health], f.text, true)));
    const gap = f.compact ? 10 : 18;
    const colWidths = numeric.map((c) => Math.max(textWidth(c.head, f.small), ...rows.map((r) => textWidth(c.cell(r).text, f.text))));
    // Columns are laid out from the right edge: alert, then the numbers right-aligned, then the name fills the rest.
    const alertX = f.width - f.pad - alertWidth;
    const rights: number[] = [];
    let right = alertX - gap;
    for (let i = numeric.length - 1; i >= 0; i--) {
      rights[i] = right;
      right -= (colWidths[i] ?? 0) + gap;
    }
    const nameWidth = right + gap - f.pad - gap;

    out.push(textEl(p, f.pad, headerBaseline, 'SLO', { size: f.small, colour: 'muted' }));
    numeric.forEach((c, i) => out.push(textEl(p, rights[i]!, headerBaseline, c.head, { size: f.small, colour: 'muted', anchor: 'end' })));
    out.push(textEl(p, alertX, headerBaseline, alertHead, { size: f.small, colour: 'muted' }));

    const tableTop = headerBaseline + f.small * 0.6;
    const available = footerBaseline - f.small * 1.4 - tableTop;
    const fits = Math.max(1, Math.floor(available / rowHeight));
    const shown = rows.length > fits ? rows.slice(0, Math.max(0, fits - 1)) : rows;
    shown.forEach((row, i) => {
      const rowTop = tableTop + i * rowHeight;
      const baseline = rowTop + rowHeight * 0.5 + f.text * 0.35;
      out.push(`<line x1="${n(f.pad)}" y1="${n(rowTop)}" x2="${n(f.width - f.pad)}" y2="${n(rowTop)}" stroke-width="1" ${p.paint({ stroke: 'grid' })}/>`);
      out.push(linked(row.link, textEl(p, f.pad, baseline, fitText(row.name, nameWidth, f.text), { size: f.text, colour: 'text' })));
      numeric.forEach((c, j) => {
        const cell = c.cell(row);
        out.push(textEl(p, rights[j]!, baseline, cell.text, { size: f.text, colour: cell.colour, anchor: 'end' }));
      });
      out.push(`<circle cx="${n(alertX + 4)}" cy="${n(baseline - f.text * 0.35)}" r="3.5" ${p.paint({ fill: HEALTH_COLOUR[row.health] })}/>`);
      out.push(textEl(p, alertX + 12, baseline, HEALTH_LABEL[row.health], { size: f.text, colour: HEALTH_COLOUR[row.health], bold: true }));
    });
    if (shown.length < rows.length) {
      const rowTop = tableTop + shown.length * rowHeight;
      out.push(textEl(p, f.pad, rowTop + rowHeight * 0.5 + f.text * 0.35, `+${rows.length - shown.length} more SLOs`, { size: f.text, colour: 'muted' }));
    }
  }

  const desc = [
    `SLOs of the service ${data.serviceName}, ${asOf}: ${stateText}.`,
    ...(demo ? ['Some figures come from the synthetic demo source.'] : []),
    ...data.slos.map(
      (slo, i) =>
        `${slo.name} (${windowWords(slo.status.window)}): SLI ${formatSli(slo.status.sli)}, objective ${formatObjective(slo.status.objective)}, budget ${formatBudget(slo.status.errorBudget.remaining)} left, ${HEALTH_LABEL[healths[i]!]}.`,
    ),
  ].join(' ');
  return { title: `${data.serviceName}: SLOs`, desc, markup: out.join('') };
}

// ---------------------------------------------------------------------------------------------------------

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

import { finiteValues, seriesSlot, severityTone } from '@/lib/charts/scales';
import { budgetTone } from '@/lib/format/labels';
import { formatBudget, formatBurnRate, formatMinutes, formatObjective, formatSli, formatThreshold } from '@/lib/slo/format';
import type { AlertTier } from '../../schemas';
import { durationMinutes } from '../../schemas/common';
import type { SloPanelData } from '../panel-data';
import type { PaletteKey } from '../render-theme';
import { sloHealth } from './alert-state';
import type { ChartSpec } from './chart';
import type { Frame } from './frame';
import { type Figure, type LegendItem, TONE_COLOUR } from './header';
import type { RefLine } from './marks';
import { budgetScale, burnScale, sliScale } from './scales';
import type { ChartLine } from './series';
import { windowShort } from './words';

/* What each kind of SLO panel shows: its headline figure, legend, chart lines and thresholds, and summary. */

export interface SloPanelParts {
  figure: Figure;
  legend: LegendItem[];
  description: string;
  chart: Omit<ChartSpec, 'times' | 'from' | 'to'>;
  /** Sentences for <desc>, after the common ones. */
  summary: string[];
}

/** The window whose figure a burn-rate panel headlines: the first page tier's long window, as the app's "1h". */
function primaryTier(tiers: AlertTier[]): AlertTier | undefined {
  return tiers.find((t) => t.severity === 'page') ?? tiers[0];
}

function byDuration(a: string, b: string): number {
  return (durationMinutes(a) || 0) - (durationMinutes(b) || 0);
}

export function burnRateParts(data: SloPanelData, f: Frame): SloPanelParts {
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

export function budgetParts(data: SloPanelData): SloPanelParts {
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

export function sliColour(sli: number | null, objective: number): PaletteKey {
  if (sli === null || !Number.isFinite(sli)) return 'muted';
  return sli < objective ? 'danger' : 'text';
}

export function sliParts(data: SloPanelData, f: Frame): SloPanelParts {
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

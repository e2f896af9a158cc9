/**
 * Chart scales, shared by the app's charts (components/charts/, recharts) and the embeds' SVG renderer (lib/embed/):
 * the y range of each kind of chart, its ticks and their labels, time ticks and series colours. Pure functions of the
 * values drawn, so a page and an embed of the same SLO have the same y ranges, tick labels and colours (where the
 * ticks fall is each renderer's own: recharts picks the SLI chart's, the SVG panel spreads five evenly).
 */

import type { DateContext } from '@/lib/format/time';
import { formatSliShort, MINUS } from '@/lib/slo/format';

/** A y range and, when the chart fixes them, its ticks. */
export interface Scale {
  domain: [number, number];
  ticks: number[];
}

/** The finite numbers among chart values: nulls are gaps and draw nothing. */
export function finiteValues(values: ReadonlyArray<number | null | undefined>): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Where `v` sits in a linear domain, 0 (bottom) to 1 (top), clamped; an empty domain counts as 1 wide. */
export function linearUnit([lower, upper]: [number, number], v: number): number {
  return Math.min(1, Math.max(0, (v - lower) / (upper - lower || 1)));
}

// ---- error budget -------------------------------------------------------------------------------------------

/**
 * Always shows 0 (spent) and 100% (untouched), and goes below 0 when the budget is overspent; the bounds are whole
 * ticks so the axis reads 25%, 50%... rather than 34%, 69%.
 */
export function budgetScale(values: readonly number[]): Scale {
  const lowest = Math.min(0, ...values);
  const highest = Math.max(1, ...values);
  const span = highest - lowest;
  const step = span <= 1.5 ? 0.25 : span <= 3 ? 0.5 : span <= 6 ? 1 : Math.ceil(span / 6);
  const lower = Math.floor(lowest / step) * step;
  const upper = Math.ceil(highest / step) * step;
  const ticks: number[] = [];
  for (let i = 0; lower + i * step <= upper + 1e-9; i++) ticks.push(Number((lower + i * step).toFixed(6)));
  return { domain: [lower, upper], ticks };
}

/** A budget tick, a whole percent: 0.25 -> "25%", -0.5 -> "−50%". Ticks are round values, so nothing is rounded across. */
export function budgetTickLabel(v: number): string {
  return `${v < 0 ? MINUS : ''}${Math.abs(Math.round(v * 100))}%`;
}

// ---- burn rate ----------------------------------------------------------------------------------------------

export const NICE_BURN_TICKS = [0, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/**
 * From 0 to the nice tick above the highest value and one and a half times every threshold, drawn on a symmetric-log
 * scale: burn rates span 0 to hundreds during an outage while thresholds sit at 1 to 14.4, so a linear axis would
 * squash every tier into the bottom few pixels.
 */
export function burnScale(values: readonly number[], thresholds: readonly number[]): Scale {
  const highest = Math.max(2, ...values, ...thresholds.map((t) => t * 1.5));
  const upper = NICE_BURN_TICKS.find((t) => t >= highest) ?? highest;
  return { domain: [0, upper], ticks: NICE_BURN_TICKS.filter((t) => t <= upper) };
}

/** The symmetric log the burn-rate axis is drawn with (recharts' "symlog" with its constant 1). */
export function symlog(v: number): number {
  return Math.sign(v) * Math.log1p(Math.abs(v));
}

/** Where `v` sits on a burn-rate axis from 0 to `upper`, 0 (bottom) to 1 (top), clamped. */
export function symlogUnit(upper: number, v: number): number {
  return Math.min(1, Math.max(0, symlog(v) / symlog(upper)));
}

/** A burn-rate tick: 14.4 -> "14.4×". Ticks are the nice values above, so no rounding is needed. */
export function burnTickLabel(v: number): string {
  return `${v}\u00d7`;
}

// ---- SLI ----------------------------------------------------------------------------------------------------

/**
 * Down to the data's lowest point, but not so far that a short outage flattens the interesting band near the
 * objective (at most five budgets below it); lower points are drawn at the bottom edge.
 */
export function sliDomain(values: readonly number[], objective: number): [number, number] {
  const budget = 1 - objective;
  const lowest = Math.min(objective - budget, ...values);
  const floor = Math.max(0, objective - 5 * budget);
  const lower = Math.max(lowest - budget * 0.25, floor);
  const highest = Math.max(1, ...values);
  return [lower, highest];
}

/** Decimals of an SLI tick for a domain this wide: enough to tell the ticks apart. */
export function sliTickDigits(span: number): number {
  if (span < 0.002) return 3;
  if (span < 0.02) return 2;
  return 1;
}

/** An SLI tick, rounded down like every SLI (never "100%" for less). */
export function sliTickLabel(v: number, digits: number): string {
  return formatSliShort(v, digits);
}

/** `count` evenly spaced ticks across a domain (an empty domain counts as 1 wide). */
export function evenTicks([lower, upper]: [number, number], count: number): number[] {
  const span = upper - lower || 1;
  return Array.from({ length: count }, (_, i) => lower + (span * i) / (count - 1));
}

// ---- sparklines ---------------------------------------------------------------------------------------------

/** zero: the axis starts at 0 (burn rates); fit: it spans the values and the reference, padded, for SLIs near 1. */
export function sparklineDomain(values: readonly number[], reference: number | undefined, mode: 'zero' | 'fit'): [number, number] {
  const all = reference === undefined ? values : [...values, reference];
  const max = Math.max(...all);
  if (mode === 'zero') return [0, max * 1.1 || 1];
  const min = Math.min(...all);
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.001 || 0.001;
  return [min - pad, max + pad];
}

// ---- time ---------------------------------------------------------------------------------------------------

const TIME_STEPS_MINUTES = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080, 20_160, 43_200];

/** At most `most` ticks from `from` to `to` (epoch ms), on the first round step (1 min .. 30 days) that fits. */
export function timeTicks(from: number, to: number, most: number): number[] {
  const spanMinutes = (to - from) / 60_000;
  const step = (TIME_STEPS_MINUTES.find((s) => spanMinutes / s <= most) ?? Math.ceil(spanMinutes / most)) * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * Ticks where the day changes (in the reader's zone) for multi-day ranges, so labels fall on dates instead of
 * arbitrary points; undefined for ranges of a day or less, and when fewer than two days change.
 */
export function dayTicks(times: readonly number[], rangeSeconds: number, ctx: DateContext): number[] | undefined {
  if (rangeSeconds <= 86_400) return undefined;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const ticks: number[] = [];
  let previous = '';
  for (const t of times) {
    const current = day.format(new Date(t));
    if (previous !== '' && current !== previous) ticks.push(t);
    previous = current;
  }
  return ticks.length >= 2 ? ticks : undefined;
}

// ---- colours ------------------------------------------------------------------------------------------------

/** The palette slot (1 to 4) of the i-th series: chart-1 .. chart-4, then round again. */
export function seriesSlot(i: number): 1 | 2 | 3 | 4 {
  return ((i % 4) + 1) as 1 | 2 | 3 | 4;
}

/** A threshold's tone: a paging tier's line is danger, a ticket's a warning. */
export function severityTone(severity: 'page' | 'ticket'): 'danger' | 'warning' {
  return severity === 'page' ? 'danger' : 'warning';
}

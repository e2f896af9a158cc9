/**
 * How Umpire writes its figures, everywhere: pages, embeds, badges, API messages, the release gate and (through the
 * gate's texts) the CLI. A figure is rounded toward the worse side, so it is never shown on the wrong side of a
 * threshold it is compared with: a budget of 24.99% left reads "24%" next to "below 25%", a burn rate of 14.4001x
 * reads "14.41×" next to "above 14.4" (docs/slo-math.md, "One way to show a figure"). Negatives get a real minus.
 */

import { denoised } from './budget';

export const MINUS = '\u2212';

type Toward = 'down' | 'up';

/**
 * `value` rounded to `digits` decimals toward `toward`, read as every comparison reads it (denoised: 12 significant
 * digits, so summation noise neither costs the last digit nor crosses a threshold), and again after scaling.
 */
function roundToward(value: number, digits: number, toward: Toward): number {
  const f = 10 ** digits;
  const scaled = Number((denoised(value) * f).toPrecision(12));
  return (toward === 'down' ? Math.floor(scaled) : Math.ceil(scaled)) / f;
}

/** A number with a real minus sign, never "−0". */
function withSign(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `${MINUS}${text}` : text;
}

/**
 * Decimals for a percentage of this size: whole from 10 up (one between 99 and 100, so an almost untouched budget is
 * not "100%"), one from 1 to 10, and below 1 enough for two significant digits (at most four): 0.0012 -> "0.0012%";
 * exactly 0 is "0%".
 */
function percentDigits(pct: number): number {
  const abs = Math.abs(pct);
  if (abs >= 99 && abs < 100) return 1;
  if (abs >= 10 || abs === 0) return 0;
  if (abs >= 1) return 1;
  return Math.min(4, Math.max(1, 1 - Math.floor(Math.log10(abs))));
}

/**
 * A fraction as a percentage rounded toward the worse side: 0.2499 toward down -> "24%", -0.185 -> "−19%". With the
 * automatic precision, small values drop trailing zeros ("0.2%", not "0.20%").
 */
export function formatPercent(fraction: number, toward: Toward, digits?: number): string {
  const pct = fraction * 100;
  const d = digits ?? percentDigits(pct);
  let text = withSign(roundToward(pct, d, toward), d);
  if (digits === undefined && Math.abs(pct) < 1 && pct !== 0) text = text.replace(/(\.\d*?[1-9])0+$/, '$1').replace(/\.0+$/, '.0');
  return `${text}%`;
}

// Made once: toLocaleString with options builds a new Intl.NumberFormat on every call, which the gate over thousands
// of SLOs (its rule texts) felt as seconds.
const upTo6 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const upTo4 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const upTo3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A threshold or objective as configured, exactly: 0.25 -> "25%", 0.999 -> "99.9%", -0.1 -> "−10%". */
export function formatExactPercent(fraction: number): string {
  const pct = Number((fraction * 100).toPrecision(10));
  const text = upTo6.format(Math.abs(pct));
  return `${pct < 0 ? MINUS : ''}${text}%`;
}

/** An objective as typed by people: 0.999 -> "99.9%", 0.9995 -> "99.95%". */
export function formatObjective(objective: number): string {
  return formatExactPercent(objective);
}

/** An SLI to four decimals of a percent, rounded down: 0.99973108 -> "99.9731%". null -> "No data". */
export function formatSli(sli: number | null): string {
  if (sli === null || !Number.isFinite(sli)) return 'No data';
  return formatPercent(sli, 'down', 4);
}

/** A short SLI for tooltips, axes and badges, still never rounded up to 100%. */
export function formatSliShort(sli: number, digits = 2): string {
  return formatPercent(sli, 'down', digits);
}

/** Budget remaining, rounded down: "61%", "4.1%", "−109%" (overspent), "99.9%" (almost untouched). */
export function formatBudget(remaining: number | null): string {
  if (remaining === null || !Number.isFinite(remaining)) return 'No data';
  return formatPercent(remaining, 'down');
}

/** A share of the budget spent (a deploy's burn), rounded up: "3.2%", "0.15%". */
export function formatBudgetSpent(spent: number | null): string {
  if (spent === null || !Number.isFinite(spent)) return 'No data';
  return formatPercent(spent, 'up');
}

/** A burn rate to two decimals, rounded up, with a multiplication sign: 14.4 -> "14.40×", 14.4001 -> "14.41×". */
export function formatBurnRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'No data';
  return `${withSign(roundToward(rate, 2, 'up'), 2)}\u00d7`;
}

/** A threshold as configured: 14.4 -> "14.4×", 6 -> "6×". */
export function formatThreshold(rate: number): string {
  return `${upTo4.format(Number(rate.toPrecision(6)))}\u00d7`;
}

const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Minutes: 43.2 -> "43.2 min", 216 -> "3.6 h", 4320 -> "3 days". */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return '—';
  if (minutes < 120) return `${oneDecimal.format(minutes)} min`;
  if (minutes < 48 * 60) return `${oneDecimal.format(minutes / 60)} h`;
  return `${oneDecimal.format(minutes / 1440)} days`;
}

/** Seconds, for budgets too small for minutes: 0.26 -> "0.26 s", 42 -> "42 s"; a minute or more as formatMinutes. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${upTo3.format(Number(seconds.toPrecision(2)))} s`;
  return formatMinutes(seconds / 60);
}

/** A span of seconds in words for "runs out in ...": 181440 -> "2.1 days". */
export function formatSpan(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = seconds / 60;
  if (minutes < 90) return `${wholeNumber.format(minutes)} minutes`;
  const hours = minutes / 60;
  if (hours < 48) return `${oneDecimal.format(hours)} hours`;
  return `${oneDecimal.format(hours / 24)} days`;
}

/** Event counts in a compact form: 34517661 -> "34.5M". */
export function formatCount(n: number): string {
  return compact.format(n);
}

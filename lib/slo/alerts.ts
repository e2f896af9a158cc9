import type { AlertStatus, AlertTier, Severity } from '@/lib/schemas';
import { assertObjective, burnRate as burnRateFor, denoised } from './budget';
import { canonicalDuration, durationToMinutes, minutesToDuration } from './duration';

export interface TierSpec {
  severity: Severity;
  longWindow: string;
  shortWindow: string;
  /**
   * Fraction of the period's budget spent by the time the tier fires, as published for short periods (up to
   * `BUDGET_ANCHOR_MINUTES.short`) and for long ones (from `BUDGET_ANCHOR_MINUTES.long`).
   */
  budgetConsumed: { short: number; long: number };
}

/** The periods the two published tables are for: Sloth's 7-day windows, the SRE Workbook's 28 days and more. */
export const BUDGET_ANCHOR_MINUTES = { short: 7 * 1440, long: 28 * 1440 } as const;

/**
 * Multi-window, multi-burn-rate tiers (SRE Workbook, ch. 5, "Alerting on SLOs"; the 1d/2h tier from Sloth and
 * the kubernetes-mixin). Budget fractions: the Workbook's 2/5/10/10% from 28 days, Sloth's 7-day 8/12.5/20/42%
 * up to 7 days, so short periods keep sensitive pages. The rule and its table: docs/slo-math.md.
 */
export const DEFAULT_TIER_SPECS: readonly TierSpec[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetConsumed: { short: 0.08, long: 0.02 } },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetConsumed: { short: 0.125, long: 0.05 } },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetConsumed: { short: 0.2, long: 0.1 } },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetConsumed: { short: 0.42, long: 0.1 } },
];

/** The threshold a table gives for a period: its budget fraction x period / long window, at least 1. */
function scaledThreshold(fraction: number, periodMinutes: number, spec: TierSpec): number {
  return Math.max(1, (fraction * periodMinutes) / durationToMinutes(spec.longWindow));
}

/**
 * A tier's threshold for a period: Sloth's table up to 7 days and the Workbook's from 28, each scaled to the period
 * (fraction x period / long window) and never below 1 (a burn of 1 or less cannot exhaust the budget within the
 * period); between 7 and 28 days, linear in the period from the one threshold to the other, so no threshold bulges
 * past both anchors. Rule and table: docs/slo-math.md.
 */
export function tierThreshold(spec: TierSpec, periodMinutes: number): number {
  const { short, long } = BUDGET_ANCHOR_MINUTES;
  if (periodMinutes <= short) return scaledThreshold(spec.budgetConsumed.short, periodMinutes, spec);
  if (periodMinutes >= long) return scaledThreshold(spec.budgetConsumed.long, periodMinutes, spec);
  const t = (periodMinutes - short) / (long - short);
  return scaledThreshold(spec.budgetConsumed.short, short, spec) * (1 - t) + scaledThreshold(spec.budgetConsumed.long, long, spec) * t;
}

/**
 * Default tiers for a period (tierThreshold, to 4 significant digits, so stored policies and labels stay stable); a
 * tier whose long window exceeds the period could never be measured, so it is left out.
 */
export function defaultAlertTiers(periodMinutes: number): AlertTier[] {
  return DEFAULT_TIER_SPECS.filter((spec) => durationToMinutes(spec.longWindow) <= periodMinutes).map((spec) => ({
    severity: spec.severity,
    longWindow: spec.longWindow,
    shortWindow: spec.shortWindow,
    burnRate: roundTo4(tierThreshold(spec, periodMinutes)),
  }));
}

function roundTo4(x: number): number {
  return Number(x.toPrecision(4));
}

/** Every window the tiers need a burn rate for, canonical ("60m" -> "1h"), shortest first. */
export function tierWindows(tiers: AlertTier[]): string[] {
  const minutes = new Set(tiers.flatMap((tier) => [durationToMinutes(tier.longWindow), durationToMinutes(tier.shortWindow)]));
  return [...minutes].sort((a, b) => a - b).map(minutesToDuration);
}

/**
 * Each tier fires when BOTH its long and short window burn strictly faster than its threshold (SRE Workbook,
 * ch. 5, uses `>`) and its long window holds at least `minEvents` events (the guard against firing on a handful of
 * events; docs/slo-math.md, "Young and quiet SLOs"); a window without events never fires. Burn rates and event counts
 * are keyed by duration in any spelling.
 */
export function evaluateAlerts(
  tiers: AlertTier[],
  burnRates: Record<string, number | null>,
  guard: { events: Record<string, number>; minEvents: number } = { events: {}, minEvents: 0 },
): AlertStatus[] {
  const burn = byCanonical(burnRates);
  const events = byCanonical(guard.events);
  const lookup = (window: string): number | null => {
    const value = burn.get(canonicalDuration(window));
    return value === undefined || value === null || !Number.isFinite(value) ? null : value;
  };
  return tiers.map((tier) => {
    const longBurnRate = lookup(tier.longWindow);
    const shortBurnRate = lookup(tier.shortWindow);
    const longEvents = events.get(canonicalDuration(tier.longWindow)) ?? 0;
    const guarded = longEvents < guard.minEvents;
    return {
      severity: tier.severity,
      longWindow: tier.longWindow,
      shortWindow: tier.shortWindow,
      threshold: tier.burnRate,
      ...(tier.for !== undefined ? { for: tier.for } : {}),
      longBurnRate,
      shortBurnRate,
      longEvents,
      guarded,
      firing: !guarded && longBurnRate !== null && shortBurnRate !== null && denoised(longBurnRate) > tier.burnRate && denoised(shortBurnRate) > tier.burnRate,
    };
  });
}

function byCanonical<T>(values: Record<string, T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of Object.entries(values)) {
    const canonical = tryCanonical(key);
    if (canonical !== null && !out.has(canonical)) out.set(canonical, value);
  }
  return out;
}

function tryCanonical(key: string): string | null {
  try {
    return canonicalDuration(key);
  } catch {
    return null;
  }
}

// Float slack for e == b x (1 - objective): 14.4 x (1 - 0.999) is 0.014400000000000012, not 0.0144.
const RELATIVE_EPSILON = 1e-9;

/**
 * Seconds from the start of a constant error ratio e until the tier fires: a window W reaches the threshold
 * after W x b x (1 - objective) / e, and both windows must (SRE Workbook, ch. 5: 1h at 14.4 on 99.9% with 100%
 * errors = 0.864 min). null when e stays below the threshold and the tier never fires.
 */
export function detectionTimeSeconds(tier: AlertTier, errorRatio: number, objective: number): number | null {
  assertObjective(objective);
  const threshold = tier.burnRate * (1 - objective);
  if (!(errorRatio > 0) || burnRateFor(errorRatio, objective) < tier.burnRate * (1 - RELATIVE_EPSILON)) return null;
  // Capped at the window itself: after W minutes the window holds only e, so e >= threshold has crossed by then.
  const minutesFor = (window: string) => durationToMinutes(window) * Math.min(1, threshold / errorRatio);
  return Math.max(minutesFor(tier.longWindow), minutesFor(tier.shortWindow)) * 60;
}

/** Fraction of the period's budget spent by the time the tier fires: burn rate x long window / period. */
export function budgetConsumedAtFiring(tier: AlertTier, periodMinutes: number): number {
  return (tier.burnRate * durationToMinutes(tier.longWindow)) / periodMinutes;
}

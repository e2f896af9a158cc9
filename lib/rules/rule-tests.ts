import type { PrometheusSli } from '../schemas/prometheus';
import { escapeLabelValue } from '../sources/prometheus/promql';
import { durationToMinutes } from '../slo';
import { errorRatioRecord, type GeneratedTier, type SloRules } from './slo-rules';
import { testSeries, type TestSeries } from './test-series';

/**
 * `promtool test rules` cases for one SLO's rule group, one test per tier (docs/prometheus-rules.md): with a clean
 * history as long as the tier's long window, then
 * - a full outage: quiet the minute before the expected minute, firing at it, resolved after recovery;
 * - an error ratio a little above the tier's threshold: fires at the expected minute;
 * - a little below: never fires, and the long window records exactly that ratio.
 * The expected minutes come from replaying the same counters minute by minute, as Prometheus evaluates them.
 */

export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: Array<{ exp_labels: Record<string, string>; exp_annotations: Record<string, string> }>;
}

export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}

export interface RuleTestCase {
  name: string;
  interval: string;
  input_series: Array<{ series: string; values: string }>;
  alert_rule_test: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

/** One step's events: how many in all, how many failed. */
interface Minute {
  total: number;
  bad: number;
}

/** A stretch of steps with the same traffic per step. */
interface Stretch {
  steps: number;
  total: number;
  bad: number;
}

/** The expected evaluations of one scenario, from replaying it. */
export interface Replay {
  /** Step (from the start of the series) at which the alert first fires, or null. */
  firesAt: number | null;
  /** First step after firesAt at which it no longer fires, or null. */
  resolvesAt: number | null;
}

export type SloTestsResult = { ok: true; tests: RuleTestCase[]; untestedTiers: Array<{ alert: string; reason: string }> } | { ok: false; reason: string };

/**
 * Events per step in the tests: a power of ten large enough that a ratio 5% off the threshold is a whole number of
 * failed events apart from it, so every counter is a whole number and Prometheus's ratios are exact.
 */
export function eventsPerStep(threshold: number): number {
  return 10 ** Math.max(6, Math.ceil(Math.log10(1000 / threshold)));
}

function minutesOf(stretches: Stretch[]): Minute[] {
  return stretches.flatMap((s) => Array.from({ length: s.steps }, () => ({ total: s.total, bad: s.bad })));
}

/** Counters at steps 0..n: 0 at step 0, then each step's events added. */
function counters(minutes: Minute[], pick: (m: Minute) => number): number[] {
  const out = [0];
  for (const m of minutes) out.push(out[out.length - 1]! + pick(m));
  return out;
}

/**
 * Replays a tier over the counters as Prometheus 2 evaluates its rules at each step (one sample a step, evaluated
 * at the samples): a window [t - W, t] holds the samples at both ends, so increase() is exactly the difference (no
 * extrapolation); `for` counts from the first evaluation at which the condition holds.
 */
export function replay(
  stretches: Stretch[],
  tier: Pick<GeneratedTier, 'longWindow' | 'shortWindow' | 'for' | 'errorRatioThreshold'>,
  minEvents: number,
  stepMinutes = 1,
): Replay {
  const minutes = minutesOf(stretches);
  const total = counters(minutes, (m) => m.total);
  const bad = counters(minutes, (m) => m.bad);
  const [long, short, hold] = tierSteps(tier, stepMinutes);
  const ratio = (t: number, w: number) => {
    const from = Math.max(0, t - w);
    const events = total[t]! - total[from]!;
    return { ratio: (bad[t]! - bad[from]!) / events, events };
  };
  let since: number | null = null;
  let firesAt: number | null = null;
  for (let t = 1; t < total.length; t++) {
    const l = ratio(t, long);
    const s = ratio(t, short);
    const holds = l.ratio > tier.errorRatioThreshold && s.ratio > tier.errorRatioThreshold && l.events >= minEvents;
    if (!holds) {
      if (firesAt !== null) return { firesAt, resolvesAt: t };
      since = null;
      continue;
    }
    since ??= t;
    if (firesAt === null && t - since >= hold) firesAt = t;
  }
  return { firesAt, resolvesAt: null };
}

/** promtool's expanding notation for a counter: `0 1000+1000x59 ...`, one value a step. */
export function counterValues(stretches: Stretch[], pick: (s: Stretch) => number): string {
  const parts = ['0'];
  let value = 0;
  for (const s of stretches) {
    const step = pick(s);
    parts.push(`${value + step}+${step}x${s.steps - 1}`);
    value += step * s.steps;
  }
  return parts.join(' ');
}

function inputSeries(series: TestSeries[], stretches: Stretch[]): RuleTestCase['input_series'] {
  const pick = { all: (s: Stretch) => s.total, good: (s: Stretch) => s.total - s.bad, bad: (s: Stretch) => s.bad };
  return series.map((s) => ({ series: s.series, values: counterValues(stretches, pick[s.counts]) }));
}

/** A tier's long window, short window and `for` in steps; each must be a whole number of them. */
export function tierSteps(tier: Pick<GeneratedTier, 'longWindow' | 'shortWindow' | 'for'>, stepMinutes: number): [number, number, number] {
  const minutes = [durationToMinutes(tier.longWindow), durationToMinutes(tier.shortWindow), tier.for === null ? 0 : durationToMinutes(tier.for)];
  if (minutes.some((m) => m % stepMinutes !== 0)) throw new RangeError(`a ${stepMinutes}m step does not divide the windows of ${JSON.stringify(tier)}`);
  return minutes.map((m) => m / stepMinutes) as [number, number, number];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The test step: the largest that divides every window and `for` of the tiers, so each window holds whole steps and
 * its increase is exact; 5m for the default tiers, which makes a test over 3 days 5 times shorter and each window 5
 * times cheaper than minute by minute.
 */
export function testStepMinutes(tiers: Array<Pick<GeneratedTier, 'longWindow' | 'shortWindow' | 'for'>>): number {
  const minutes = tiers.flatMap((t) => [
    durationToMinutes(t.longWindow),
    durationToMinutes(t.shortWindow),
    ...(t.for === null ? [] : [durationToMinutes(t.for)]),
  ]);
  return minutes.reduce(gcd, 0) || 1;
}

/** The promtool tests of one SLO's rules, or why it has none. */
export function sloRuleTests(rules: SloRules, sli: PrometheusSli, minEvents: number, stepMinutes = testStepMinutes(rules.tiers)): SloTestsResult {
  const series = testSeries(sli);
  if (!series.ok) return { ok: false, reason: series.reason };
  const tests: RuleTestCase[] = [];
  const untestedTiers: Array<{ alert: string; reason: string }> = [];
  for (const tier of rules.tiers) {
    if (!tier.canFire) {
      untestedTiers.push({ alert: tier.alert, reason: `it can never fire: its threshold is an error ratio of ${tier.errorRatioThreshold}, not below 1` });
      continue;
    }
    tests.push(...tierTests(rules, tier, series.series, minEvents, stepMinutes));
  }
  return { ok: true, tests, untestedTiers };
}

function tierTests(rules: SloRules, tier: GeneratedTier, series: TestSeries[], minEvents: number, stepMinutes: number): RuleTestCase[] {
  const threshold = tier.errorRatioThreshold;
  const rate = eventsPerStep(threshold);
  const [long, short, hold] = tierSteps(tier, stepMinutes);
  const firing = [{ exp_labels: tier.labels, exp_annotations: tier.annotations }];
  const clean: Stretch = { steps: long, total: rate, bad: 0 };
  const at = (step: number, expectFiring: boolean): AlertRuleTest => ({
    eval_time: `${step * stepMinutes}m`,
    alertname: tier.alert,
    exp_alerts: expectFiring ? firing : [],
  });
  const interval = `${stepMinutes}m`;
  const cases: RuleTestCase[] = [];
  const name = `${rules.service}/${rules.slo} ${tier.alert}`;
  const play = (stretches: Stretch[]) => replay(stretches, tier, minEvents, stepMinutes);

  // Full outage long enough to fill the short window after firing, then recovery.
  const outage: Stretch[] = [clean, { steps: long + short + hold + 1, total: rate, bad: rate }, { steps: short + 2, total: rate, bad: 0 }];
  const full = play(outage);
  if (full.firesAt === null || full.resolvesAt === null) throw new Error(`${name}: a full outage should fire and resolve`);
  cases.push({
    name: `${name}: fires on a full outage and resolves after recovery`,
    interval,
    input_series: inputSeries(series, outage),
    alert_rule_test: [at(full.firesAt - 1, false), at(full.firesAt, true), at(full.resolvesAt - 1, true), at(full.resolvesAt, false)],
  });

  // A burn a little above the threshold, and a little below; counts are whole, so the ratios are exact.
  const badAbove = Math.min(rate, Math.max(Math.floor(threshold * rate) + 1, Math.round(threshold * 1.05 * rate)));
  const badBelow = Math.min(Math.ceil(threshold * rate) - 1, Math.round(threshold * 0.95 * rate));
  if (badAbove / rate > threshold && badAbove < rate) {
    const above: Stretch[] = [clean, { steps: long + short + hold + 1, total: rate, bad: badAbove }];
    const burn = play(above);
    if (burn.firesAt === null) throw new Error(`${name}: a burn above the threshold should fire`);
    cases.push({
      name: `${name}: fires on an error ratio of ${badAbove / rate}, just above ${threshold}`,
      interval,
      input_series: inputSeries(series, above),
      alert_rule_test: [at(burn.firesAt - 1, false), at(burn.firesAt, true)],
    });
  }
  if (badBelow > 0) {
    const below: Stretch[] = [clean, { steps: long + short, total: rate, bad: badBelow }];
    if (play(below).firesAt !== null) throw new Error(`${name}: a burn below the threshold should not fire`);
    const end = 2 * long + short;
    const recorded = `${errorRatioRecord(tier.longWindow)}{service="${escapeLabelValue(rules.service)}",slo="${escapeLabelValue(rules.slo)}"}`;
    cases.push({
      name: `${name}: stays quiet on an error ratio of ${badBelow / rate}, just below ${threshold}`,
      interval,
      input_series: inputSeries(series, below),
      alert_rule_test: [at(long + short, false), at(2 * long, false), at(end, false)],
      // The long window then holds only the burn: the recording rule must give exactly its ratio.
      promql_expr_test: [{ expr: recorded, eval_time: `${end * stepMinutes}m`, exp_samples: [{ labels: recorded, value: (badBelow * long) / (rate * long) }] }],
    });
  }
  return cases;
}

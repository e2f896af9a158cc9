import {
  parseCounterSelector,
  RANGE_PLACEHOLDER,
  type PrometheusAdvancedSli,
  type PrometheusLatencySli,
  type PrometheusRatioSli,
  type PrometheusSli,
} from '../../schemas/prometheus';

/** The two sides of an SLI as PromQL, to be evaluated at the same timestamps. */
export interface SliQueries {
  good: string;
  total: string;
}

/** How a counter's increase over `range` is written; the builders apply it to every raw counter before sum(). */
export type CounterIncrease = (selector: string, range: string) => string;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** A PromQL duration such as 1m, 59s, 1h30m or 59s999ms. */
const RANGE = /^(?:[0-9]+(?:ms|s|m|h|d|w|y))+$/;

/** Escapes a string for a PromQL double-quoted literal, so user input can never end the string early. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
}

/** `{a="x",b="y"}` from equality filters (sorted, so equal filters give equal queries), plus raw extra matchers. */
export function labelMatchers(filters: Record<string, string>, extra: string[] = []): string {
  const parts = Object.keys(filters)
    .sort()
    .map((label) => {
      if (!LABEL_NAME.test(label)) throw new RangeError(`invalid label name ${JSON.stringify(label)}`);
      return `${label}="${escapeLabelValue(filters[label]!)}"`;
    });
  return `{${[...parts, ...extra].join(',')}}`;
}

function assertRange(range: string): void {
  if (!RANGE.test(range)) throw new RangeError(`invalid PromQL range ${JSON.stringify(range)}`);
}

function assertSelector(selector: string): string {
  const text = selector.trim();
  const parsed = parseCounterSelector(text);
  if (!parsed.ok) throw new RangeError(`invalid selector ${JSON.stringify(selector)}: ${parsed.error}`);
  return text;
}

/** Prometheus's own `increase()`: reset-aware, extrapolated to the edges of the range. */
export const plainIncrease: CounterIncrease = (selector, range) => `increase(${selector}[${range}])`;

const RANGE_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds in a PromQL duration (1h30m -> 5400000). */
export function rangeMs(range: string): number {
  assertRange(range);
  let ms = 0;
  for (const [, n, unit] of range.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) ms += Number(n) * RANGE_UNIT_MS[unit!]!;
  return ms;
}

/** A duration in the largest units that divide it, e.g. 59999 -> 59s999ms. */
export function formatRange(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`range ${ms} ms must be a positive whole number of ms`);
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = RANGE_UNIT_MS[unit]!;
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/**
 * Increase without extrapolation: the reset-aware sum of the differences between the counter's last values
 * at consecutive `stepSeconds` grid points in (t - range, t]. Adjacent ranges share their edge values, so
 * one-minute results add up exactly to the increase over any longer window, with any scrape offset. Plain
 * `increase(x[1m])` sees only the samples inside each minute and extrapolates them (off by up to a scrape
 * interval's worth of events per minute when scrapes are not aligned to the minute).
 * - last_over_time(x[hold]) carries the last value over gaps up to `hold`, so events during a scrape gap
 *   are counted in the first minute after it instead of lost (longer gaps: docs/slo-math.md, "Gaps in the
 *   backend's samples").
 * - L < bool Lprev marks a reset; the increase across it is the new value, as in Prometheus's increase().
 * - `and count_over_time(x[range])` keeps only series with a sample in the range: no sample, no bucket.
 * Assumes samples are at least `stepSeconds` apart (samples closer than that are skipped, not lost, except
 * across a reset) and that range is a multiple of the step. The subquery range ends 1 s short so that
 * left-closed (Prometheus 2) and left-open (Prometheus 3) ranges pick the same points; tested on 2.42 only.
 */
export function steppedIncrease(options: { stepSeconds?: number; hold?: string } = {}): CounterIncrease {
  const step = options.stepSeconds ?? 15;
  const hold = options.hold ?? '1h';
  if (!Number.isInteger(step) || step < 2 || step > 3600) throw new RangeError('stepSeconds must be 2 to 3600 whole seconds');
  assertRange(hold);
  return (selector, range) => {
    const ms = rangeMs(range);
    if (ms % (step * 1000) !== 0) throw new RangeError(`range ${range} is not a multiple of the ${step}s step`);
    const last = `last_over_time(${selector}[${hold}])`;
    const prev = `last_over_time(${selector}[${hold}] offset ${step}s)`;
    const delta = `${last} - ${prev} + ${prev} * (${last} < bool ${prev})`;
    return `(sum_over_time((${delta})[${formatRange(ms - 1000)}:${step}s]) and count_over_time(${selector}[${formatRange(ms - 1)}]))`;
  };
}

/** good = selector, or total minus bad; `or vector(0)` because a bad counter with no series yet means 0 bad. */
export function ratioQueries(sli: PrometheusRatioSli, range: string, increase: CounterIncrease = plainIncrease): SliQueries {
  assertRange(range);
  const total = `sum(${increase(assertSelector(sli.totalSelector), range)})`;
  if (sli.goodSelector !== undefined) return { good: `sum(${increase(assertSelector(sli.goodSelector), range)})`, total };
  if (sli.badSelector === undefined) throw new RangeError('a ratio SLI needs goodSelector or badSelector');
  return { good: `(${total} - (sum(${increase(assertSelector(sli.badSelector), range)}) or vector(0)))`, total };
}

/**
 * Regex (anchored by PromQL) matching every rendering of a bucket boundary that clients and Prometheus
 * versions produce: 0.3 and 0.30, 1 and 1.0 (Prometheus 3 writes floats), 1e-05 and 1e+06 (Go's %g).
 */
export function leRegex(threshold: number): string {
  if (!Number.isFinite(threshold) || threshold <= 0) throw new RangeError(`threshold ${threshold} must be a positive number`);
  // toExponential() without digits gives the shortest digits that round-trip, as Go's FormatFloat(-1) does.
  const [mantissa, exponentText] = threshold.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  // Decimal form: digits placed around the point, then optional trailing zeros.
  const point = exponent + 1; // digits before the decimal point
  let intPart: string;
  let fracPart: string;
  if (point <= 0) {
    intPart = '0';
    fracPart = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    intPart = digits + '0'.repeat(point - digits.length);
    fracPart = '';
  } else {
    intPart = digits.slice(0, point);
    fracPart = digits.slice(point);
  }
  const decimal = fracPart ? `${intPart}\\.${fracPart}0*` : `${intPart}(\\.0+)?`;
  const expMantissa = digits.length > 1 ? `${digits[0]}\\.${digits.slice(1)}0*` : `${digits}(\\.0+)?`;
  const expSign = exponent < 0 ? '-' : '\\+?';
  const scientific = `${expMantissa}[eE]${expSign}0*${Math.abs(exponent)}`;
  return `${decimal}|${scientific}`;
}

/**
 * The _count series over `range` that lack some of the samples of their bucket at the threshold: the boundary
 * vanished (a re-bucketed or renamed histogram) or appeared within the range. Both come from the same scrape, so
 * a whole bucket has exactly its _count's samples. Per series, so one instance re-bucketed among several is found.
 */
export function missingBucketSeries(bucket: string, count: string, range: string): string {
  const within = formatRange(rangeMs(range) - 1); // the range's samples, as steppedIncrease's `and` counts them
  const counts = `count_over_time(${count}[${within}])`;
  return `(${counts} unless (${counts} <= max without (le) (count_over_time(${bucket}[${within}]))))`;
}

/**
 * A latency SLI's good side with no value wherever a _count series lacks its bucket (docs/slo-math.md,
 * "Vanished histogram buckets"): missing, not 0, so the minute is a fault rather than a burn. `by` is the label
 * the good side is summed by (grouped queries), or null for one sum.
 */
export function unlessBucketMissing(good: string, bucket: string, count: string, range: string, by: string | null = null): string {
  return `(${good} unless on(${by ?? ''}) ${missingBucketSeries(bucket, count, range)})`;
}

/** good = requests in the bucket at the threshold, total = all requests (_count), with the same filters. */
export function latencyQueries(sli: PrometheusLatencySli, range: string, increase: CounterIncrease = plainIncrease): SliQueries {
  assertRange(range);
  if (!METRIC_NAME.test(sli.metric)) throw new RangeError(`invalid metric name ${JSON.stringify(sli.metric)}`);
  if ('le' in sli.filters) throw new RangeError('le is set by Umpire, not a filter');
  const bucket = `${sli.metric}_bucket${labelMatchers(sli.filters, [`le=~"${escapeLabelValue(leRegex(sli.thresholdSeconds))}"`])}`;
  const count = `${sli.metric}_count${labelMatchers(sli.filters)}`;
  return { good: unlessBucketMissing(`sum(${increase(bucket, range)})`, bucket, count, range), total: `sum(${increase(count, range)})` };
}

/** The user's own PromQL with every $__range replaced; the counter formulation is theirs to choose. */
export function advancedQueries(sli: PrometheusAdvancedSli, range: string): SliQueries {
  assertRange(range);
  return { good: sli.goodQuery.replaceAll(RANGE_PLACEHOLDER, range), total: sli.totalQuery.replaceAll(RANGE_PLACEHOLDER, range) };
}

export function sliQueries(sli: PrometheusSli, range: string, increase: CounterIncrease = plainIncrease): SliQueries {
  switch (sli.kind) {
    case 'ratio':
      return ratioQueries(sli, range, increase);
    case 'latency':
      return latencyQueries(sli, range, increase);
    case 'advanced':
      return advancedQueries(sli, range);
  }
}

/** A boundary as Prometheus spells +Inf, for messages. */
export function formatBoundary(le: number): string {
  return le === Infinity ? '+Inf' : String(le);
}

/** Null when the threshold is one of the histogram's boundaries, else the message to show. */
export function thresholdError(threshold: number, boundaries: number[]): string | null {
  if (boundaries.length === 0) return 'no histogram buckets found for this metric and these filters';
  if (boundaries.some((b) => b === threshold)) return null;
  return `must be an existing bucket boundary: ${boundaries.map(formatBoundary).join(', ')}`;
}

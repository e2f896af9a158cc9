import { burnRateOf, errorBudget, sliOf, type Counts } from './budget';

/** Counts for one bucket of time starting at `start` (epoch ms), as stored per SLO. */
export interface Bucket {
  start: number;
  good: number;
  total: number;
}

/**
 * Exact window sums over evenly spaced buckets via prefix sums: any [from, to) costs O(1), so every series
 * point gets traffic-weighted SLIs (sum good / sum total) instead of averaged per-interval ratios.
 * Missing buckets count as zero events; buckets outside [from, to) are ignored.
 */
export class BucketIndex {
  readonly granularityMs: number;
  readonly from: number;
  readonly to: number;
  /** Start of slot 0: the first bucket boundary at or after `from`. */
  private readonly base: number;
  private readonly slots: number;
  // Prefix sums of total and of bad events; keeping bad (not good) makes an error-free window exactly 0 bad.
  private readonly totalPrefix: Float64Array;
  private readonly badPrefix: Float64Array;

  constructor(buckets: Bucket[], granularityMs: number, from: number, to: number) {
    if (!Number.isSafeInteger(granularityMs) || granularityMs <= 0) {
      throw new RangeError(`granularity ${granularityMs} ms must be a whole, positive number of milliseconds`);
    }
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('index range must be finite');
    this.granularityMs = granularityMs;
    this.from = from;
    this.to = to;
    this.base = Math.ceil(from / granularityMs) * granularityMs;
    this.slots = Math.max(0, Math.ceil((to - this.base) / granularityMs));

    const total = new Float64Array(this.slots);
    const bad = new Float64Array(this.slots);
    for (const bucket of buckets) {
      if (bucket.start % granularityMs !== 0) {
        throw new RangeError(`bucket start ${bucket.start} is not aligned to ${granularityMs} ms`);
      }
      if (!Number.isFinite(bucket.good) || !Number.isFinite(bucket.total)) {
        // One NaN would poison every later prefix sum, hence every window after it.
        throw new RangeError(`bucket at ${bucket.start} has non-finite counts`);
      }
      if (bucket.start < from || bucket.start >= to) continue;
      const slot = (bucket.start - this.base) / granularityMs;
      total[slot] = (total[slot] ?? 0) + bucket.total;
      bad[slot] = (bad[slot] ?? 0) + (bucket.total - bucket.good);
    }
    this.totalPrefix = new Float64Array(this.slots + 1);
    this.badPrefix = new Float64Array(this.slots + 1);
    for (let i = 0; i < this.slots; i++) {
      this.totalPrefix[i + 1] = (this.totalPrefix[i] ?? 0) + (total[i] ?? 0);
      this.badPrefix[i + 1] = (this.badPrefix[i] ?? 0) + (bad[i] ?? 0);
    }
  }

  /** Sum of the buckets whose start lies in [from, to), clamped to the index's range. */
  sum(from: number, to: number): Counts {
    const lo = this.slotAtOrAfter(from);
    const hi = this.slotAtOrAfter(to);
    if (hi <= lo) return { good: 0, total: 0 };
    const total = (this.totalPrefix[hi] ?? 0) - (this.totalPrefix[lo] ?? 0);
    const bad = (this.badPrefix[hi] ?? 0) - (this.badPrefix[lo] ?? 0);
    return { good: total - bad, total };
  }

  /** Index of the first slot starting at or after t, within 0..slots. */
  private slotAtOrAfter(t: number): number {
    if (Number.isNaN(t)) throw new RangeError('time must be a number');
    const slot = Math.ceil((t - this.base) / this.granularityMs);
    return Math.min(this.slots, Math.max(0, slot));
  }
}

/** Greatest common divisor of whole, positive minutes: the coarsest step that lands on every window edge. */
export function gcdMinutes(...values: number[]): number {
  if (values.length === 0) throw new RangeError('gcdMinutes needs at least one value');
  let result = 0;
  for (const value of values) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${value} is not a whole, positive number of minutes`);
    let a = result;
    let b = value;
    while (b !== 0) [a, b] = [b, a % b];
    result = a;
  }
  return result;
}

/** Sums buckets into coarser buckets aligned to `granularityMs` since the epoch (e.g. minutes into timeslices). */
export function rebucket(buckets: Bucket[], granularityMs: number): Bucket[] {
  if (!Number.isSafeInteger(granularityMs) || granularityMs <= 0) {
    throw new RangeError(`granularity ${granularityMs} ms must be a whole, positive number of milliseconds`);
  }
  const byStart = new Map<number, Bucket>();
  for (const bucket of buckets) {
    const start = Math.floor(bucket.start / granularityMs) * granularityMs;
    const into = byStart.get(start);
    if (into) {
      into.good += bucket.good;
      into.total += bucket.total;
    } else byStart.set(start, { start, good: bucket.good, total: bucket.total });
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** Point times for a chart: multiples of `stepMs` since the epoch, the first after `from`, the last at or before `to`. */
export function seriesPoints(from: number, to: number, stepMs: number): number[] {
  if (!Number.isSafeInteger(stepMs) || stepMs <= 0) throw new RangeError(`step ${stepMs} ms must be a whole, positive number`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('series range must be finite');
  const points: number[] = [];
  // Each point t describes [t - step, t), so a point at `from` itself would describe time before the range.
  for (let t = Math.floor(from / stepMs) * stepMs + stepMs; t <= to; t += stepMs) points.push(t);
  return points;
}

export interface SeriesPointValues {
  t: number;
  good: number;
  total: number;
  sli: number | null;
  windowSli: number | null;
  budgetRemaining: number | null;
  burnRates: Record<string, number | null>;
}

/**
 * Values at each point t: the step [t - step, t) alone, the SLO window [windowStart(t), t), and each burn-rate
 * window [t - w, t). `counts` sums a span in the SLO's budgeting unit (events, or slice-weighted slices from a
 * TimesliceIndex), so every ratio is traffic-weighted and exact, and the same as the status computes as of t.
 */
export function buildSeries(args: {
  counts: (from: number, to: number) => Counts;
  points: number[];
  stepMs: number;
  objective: number;
  windowStart: (t: number) => number;
  burnWindowsMs: Record<string, number>;
}): SeriesPointValues[] {
  const burnWindows = Object.entries(args.burnWindowsMs);
  return args.points.map((t) => {
    const step = args.counts(t - args.stepMs, t);
    const windowSli = sliOf(args.counts(args.windowStart(t), t));
    const burnRates: Record<string, number | null> = {};
    for (const [key, windowMs] of burnWindows) burnRates[key] = burnRateOf(args.counts(t - windowMs, t), args.objective);
    return {
      t,
      good: step.good,
      total: step.total,
      sli: sliOf(step),
      windowSli,
      budgetRemaining: errorBudget(windowSli, args.objective).remaining,
      burnRates,
    };
  });
}

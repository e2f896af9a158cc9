import { sliOf, type Counts } from './budget';

/**
 * OpenSLO `Timeslices`: each slice becomes one event, good when its own SLI meets `threshold`. A slice without
 * events counts neither way, so SLI = good slices / slices with data and all window maths apply unchanged.
 */
export function sliceEvents(slices: Counts[], threshold: number): Counts[] {
  return slices.map((slice) => {
    const sli = sliOf(slice);
    if (sli === null) return { good: 0, total: 0 };
    return { good: sli >= threshold ? 1 : 0, total: 1 };
  });
}

/**
 * OpenSLO `RatioTimeslices`: the mean of per-slice ratios over slices with data; null when none has data.
 * Not traffic-weighted: a quiet slice weighs as much as a busy one, so it differs from sum(good)/sum(total).
 */
export function ratioTimeslices(slices: Counts[]): number | null {
  let sum = 0;
  let count = 0;
  for (const slice of slices) {
    const sli = sliOf(slice);
    if (sli === null) continue;
    sum += sli;
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

/** Whether a slice's counts make it good, bad, or neither (no events). */
function verdict(c: Counts, threshold: number): 'good' | 'bad' | null {
  if (!(c.total > 0) || !Number.isFinite(c.good) || !Number.isFinite(c.total)) return null;
  return c.good / c.total >= threshold ? 'good' : 'bad';
}

/**
 * Timeslice budgeting over any span (docs/slo-math.md, "Timeslices"): every slice that overlaps [from, to) counts
 * with the share of it that lies inside, good or bad by its own SLI; the slice still running at `to` is judged on
 * its minutes so far. Counts are in slices (fractional at the edges), so SLI, budget and burn rate need no other
 * maths, a window shorter than a slice still measures the slice it falls in, and a total outage burns from its
 * first minute however long the slices are. Slices are aligned to the Unix epoch, as the database bins them.
 *
 * `sum(from, to)` gives the events of a span (any aligned span: prefix sums, as BucketIndex); slice verdicts are
 * prefix-summed too, so each query costs O(1).
 */
export class TimesliceIndex {
  private readonly sliceMs: number;
  private readonly threshold: number;
  private readonly sum: (from: number, to: number) => Counts;
  private readonly firstSlice: number;
  /** Prefix counts over whole slices from firstSlice: good verdicts and verdicts with data. */
  private readonly goodPrefix: Float64Array;
  private readonly dataPrefix: Float64Array;

  constructor(args: { sum: (from: number, to: number) => Counts; sliceMs: number; threshold: number; from: number; to: number }) {
    if (!Number.isSafeInteger(args.sliceMs) || args.sliceMs <= 0) throw new RangeError(`slice length ${args.sliceMs} ms must be a whole, positive number`);
    this.sliceMs = args.sliceMs;
    this.threshold = args.threshold;
    this.sum = args.sum;
    this.firstSlice = Math.floor(args.from / args.sliceMs);
    const slices = Math.max(0, Math.ceil(args.to / args.sliceMs) - this.firstSlice);
    this.goodPrefix = new Float64Array(slices + 1);
    this.dataPrefix = new Float64Array(slices + 1);
    for (let i = 0; i < slices; i++) {
      const start = (this.firstSlice + i) * args.sliceMs;
      const v = verdict(this.sum(start, start + args.sliceMs), args.threshold);
      this.goodPrefix[i + 1] = (this.goodPrefix[i] ?? 0) + (v === 'good' ? 1 : 0);
      this.dataPrefix[i + 1] = (this.dataPrefix[i] ?? 0) + (v === null ? 0 : 1);
    }
  }

  /** Slice-weighted good and total over [from, to), with the slice running at `to` judged on its minutes before `to`. */
  counts(from: number, to: number): Counts {
    if (!(to > from)) return { good: 0, total: 0 };
    const L = this.sliceMs;
    const first = Math.floor(from / L);
    const last = Math.ceil(to / L) - 1; // the slice holding the span's last instant
    let good = 0;
    let total = 0;
    const add = (slice: number, weight: number, until: number) => {
      const v = verdict(this.sum(slice * L, until), this.threshold);
      if (v === null) return;
      total += weight;
      if (v === 'good') good += weight;
    };
    if (first === last) {
      add(first, (to - from) / L, Math.min((first + 1) * L, to));
      return { good, total };
    }
    add(first, ((first + 1) * L - from) / L, (first + 1) * L);
    const lastStart = last * L;
    add(last, (to - lastStart) / L, to);
    // Whole slices between them, from the prefix sums.
    const lo = Math.max(0, first + 1 - this.firstSlice);
    const hi = Math.min(this.goodPrefix.length - 1, Math.max(lo, last - this.firstSlice));
    good += (this.goodPrefix[hi] ?? 0) - (this.goodPrefix[lo] ?? 0);
    total += (this.dataPrefix[hi] ?? 0) - (this.dataPrefix[lo] ?? 0);
    return { good, total };
  }
}

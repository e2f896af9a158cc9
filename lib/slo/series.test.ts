import { describe, expect, test } from 'vitest';
import { burnRateOf, errorBudget, sliOf, type Counts } from './budget';
import { MINUTE_MS } from './duration';
import { BucketIndex, buildSeries, gcdMinutes, rebucket, seriesPoints, type Bucket } from './series';
import { ratioTimeslices, sliceEvents } from './timeslices';

const m = (minutes: number) => minutes * MINUTE_MS;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (minute: number, good: number, total: number): Bucket => ({ start: T0 + m(minute), good, total });
/** A buildSeries `counts` over buckets, through a BucketIndex. */
const sums = (buckets: Bucket[], granularityMs: number, from: number, to: number) => {
  const index = new BucketIndex(buckets, granularityMs, from, to);
  return (a: number, b: number) => index.sum(a, b);
};

describe('BucketIndex.sum', () => {
  // Minutes 0..9 of the index; minutes 2, 5, 6 and 9 have no bucket (no traffic), listed out of order.
  const buckets = [at(3, 30, 30), at(0, 9, 10), at(1, 18, 20), at(4, 35, 40), at(7, 0, 5), at(8, 80, 80)];
  const index = new BucketIndex(buckets, MINUTE_MS, T0, T0 + m(10));

  test.each<[string, number, number, Counts]>([
    ['everything', 0, 10, { good: 172, total: 185 }],
    ['one bucket', 3, 4, { good: 30, total: 30 }],
    ['first two', 0, 2, { good: 27, total: 30 }],
    ['a gap is zero, not missing', 2, 3, { good: 0, total: 0 }],
    ['a run of gaps', 5, 7, { good: 0, total: 0 }],
    ['across a gap', 1, 5, { good: 83, total: 90 }],
    ['to is exclusive', 7, 8, { good: 0, total: 5 }],
    ['empty range', 4, 4, { good: 0, total: 0 }],
    ['inverted range', 6, 2, { good: 0, total: 0 }],
    // Clamped to the index's range: outside it there is nothing.
    ['starts before the index', -100, 2, { good: 27, total: 30 }],
    ['ends after the index', 8, 1000, { good: 80, total: 80 }],
    ['covers more than the index', -100, 1000, { good: 172, total: 185 }],
    ['entirely before', -10, 0, { good: 0, total: 0 }],
    ['entirely after', 10, 20, { good: 0, total: 0 }],
    // Unaligned bounds: buckets whose start lies in [from, to).
    ['unaligned bounds', 0.5, 1.5, { good: 18, total: 20 }],
    ['unaligned end just past a start', 2.5, 3.001, { good: 30, total: 30 }],
  ])('%s: [%d, %d) min', (_name, from, to, want) => expect(index.sum(T0 + m(from), T0 + m(to))).toEqual(want));

  test('matches a brute-force sum for every [from, to)', () => {
    for (let from = -1; from <= 11; from++) {
      for (let to = from; to <= 11; to++) {
        const inRange = buckets.filter((b) => b.start >= T0 + m(from) && b.start < T0 + m(to));
        const want = inRange.reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), { good: 0, total: 0 });
        expect(index.sum(T0 + m(from), T0 + m(to))).toEqual(want);
      }
    }
  });

  test('buckets outside the index range are left out', () => {
    const clipped = new BucketIndex([at(-1, 1, 1), at(0, 2, 2), at(1, 3, 4), at(2, 5, 5)], MINUTE_MS, T0, T0 + m(2));
    expect(clipped.sum(T0 - m(60), T0 + m(60))).toEqual({ good: 5, total: 6 });
  });

  test('duplicate starts add up', () => {
    const index2 = new BucketIndex([at(0, 1, 2), at(0, 3, 3)], MINUTE_MS, T0, T0 + m(1));
    expect(index2.sum(T0, T0 + m(1))).toEqual({ good: 4, total: 5 });
  });

  test('an unaligned index start covers the first whole bucket after it', () => {
    const index2 = new BucketIndex([at(1, 5, 5), at(2, 6, 7)], MINUTE_MS, T0 + 30_000, T0 + m(3));
    expect(index2.sum(T0, T0 + m(3))).toEqual({ good: 11, total: 12 });
    expect(index2.sum(T0 + m(2), T0 + m(3))).toEqual({ good: 6, total: 7 });
  });

  test('an error-free window has exactly zero bad events, even with fractional counts', () => {
    const index2 = new BucketIndex([at(0, 0.1, 0.3), at(1, 0.7, 0.7), at(2, 0.2, 0.2)], MINUTE_MS, T0, T0 + m(3));
    const { good, total } = index2.sum(T0 + m(1), T0 + m(3));
    expect(total - good).toBe(0);
    expect(burnRateOf({ good, total }, 0.999)).toBe(0);
  });

  test('a day of minute buckets sums like the plain loop', () => {
    const day: Bucket[] = Array.from({ length: 1440 }, (_, i) => at(i, 1000 - (i % 7), 1000));
    const index2 = new BucketIndex(day, MINUTE_MS, T0, T0 + m(1440));
    expect(index2.sum(T0 + m(100), T0 + m(1300))).toEqual({ good: 1_200_000 - sevens(100, 1300), total: 1_200_000 });
  });

  test.each<[string, () => BucketIndex]>([
    ['a bucket not aligned to the granularity', () => new BucketIndex([{ start: T0 + 1, good: 1, total: 1 }], MINUTE_MS, T0, T0 + m(1))],
    ['a zero granularity', () => new BucketIndex([], 0, T0, T0 + m(1))],
    ['a fractional granularity', () => new BucketIndex([], 0.5, T0, T0 + m(1))],
    ['a NaN count, which would poison every later window', () => new BucketIndex([at(0, Number.NaN, 1)], MINUTE_MS, T0, T0 + m(1))],
    ['an infinite range', () => new BucketIndex([], MINUTE_MS, T0, Number.POSITIVE_INFINITY)],
  ])('rejects %s', (_name, build) => expect(build).toThrow(RangeError));
});

function sevens(from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += i % 7;
  return sum;
}

describe('traffic-weighted SLI vs averaged per-interval ratios', () => {
  // Spiky traffic: one busy minute with 10% errors, then three quiet perfect minutes (sloth issues 241, 618).
  const buckets = [at(0, 900, 1000), at(1, 10, 10), at(2, 10, 10), at(3, 10, 10)];
  const index = new BucketIndex(buckets, MINUTE_MS, T0, T0 + m(4));

  test('the two differ, and the window SLI is the weighted one', () => {
    const weighted = sliOf(index.sum(T0, T0 + m(4)));
    const averaged = ratioTimeslices(buckets);
    expect(weighted).toBeCloseTo(930 / 1030, 12);
    expect(averaged).toBeCloseTo(0.975, 12);
    expect(Math.abs((weighted ?? 0) - (averaged ?? 0))).toBeGreaterThan(0.07);
    // On a 99% objective the weighted SLI has overspent the budget ~9.7x; the average would hide that.
    expect(errorBudget(weighted, 0.99).remaining).toBeCloseTo(1 - 100 / 10.3, 9);
    expect(errorBudget(averaged, 0.99).remaining).toBeCloseTo(-1.5, 9);
  });

  test('buildSeries reports the weighted SLI', () => {
    const [point] = buildSeries({
      counts: sums(buckets, MINUTE_MS, T0, T0 + m(4)),
      points: [T0 + m(4)],
      stepMs: m(4),
      objective: 0.99,
      windowStart: () => T0,
      burnWindowsMs: { '4m': m(4) },
    });
    expect(point?.sli).toBeCloseTo(930 / 1030, 12);
    expect(point?.windowSli).toBeCloseTo(930 / 1030, 12);
    expect(point?.burnRates['4m']).toBeCloseTo(100 / 1030 / 0.01, 9);
  });
});

describe('timeslices through the index', () => {
  test('5-minute slices of minute buckets become one event each', () => {
    const minutes = [at(0, 10, 10), at(1, 10, 10), at(4, 5, 10), at(5, 10, 10), at(12, 99, 100)];
    const slices = rebucket(minutes, m(5));
    expect(slices).toEqual([at(0, 25, 30), at(5, 10, 10), at(10, 99, 100)]);
    const events = sliceEvents(slices, 0.9).map((e, i) => ({ start: slices[i]?.start ?? 0, ...e }));
    const index = new BucketIndex(events, m(5), T0, T0 + m(15));
    expect(index.sum(T0, T0 + m(15))).toEqual({ good: 2, total: 3 });
  });
});

describe('gcdMinutes', () => {
  test.each<[number[], number]>([
    [[5, 60, 30, 120], 5],
    [[60, 360, 1440, 4320], 60],
    [[1440, 4320], 1440],
    [[7], 7],
    [[12, 18], 6],
    [[7, 13], 1],
  ])('gcd(%j) = %d', (values, want) => expect(gcdMinutes(...values)).toBe(want));

  test.each<[number[]]>([[[]], [[0, 5]], [[-5]], [[1.5, 3]], [[Number.NaN]]])('gcd(%j) is rejected', (values) =>
    expect(() => gcdMinutes(...values)).toThrow(RangeError),
  );
});

describe('seriesPoints', () => {
  test.each<[string, number, number, number, number[]]>([
    ['aligned from: the first point describes [from, from + step)', 0, 60, 10, [10, 20, 30, 40, 50, 60]],
    ['unaligned from', 5, 60, 10, [10, 20, 30, 40, 50, 60]],
    ['unaligned to', 0, 65, 10, [10, 20, 30, 40, 50, 60]],
    ['to just before an aligned point', 0, 59.999, 10, [10, 20, 30, 40, 50]],
    ['shorter than one step', 1, 9, 10, []],
    ['empty', 10, 10, 10, []],
    ['inverted', 60, 0, 10, []],
  ])('%s', (_name, from, to, step, want) => expect(seriesPoints(T0 + m(from), T0 + m(to), m(step))).toEqual(want.map((x) => T0 + m(x))));

  test('aligned to the epoch, not to from', () => expect(seriesPoints(m(7), m(37), m(15))).toEqual([m(15), m(30)]));

  test.each([0, -1, 1.5, Number.NaN])('step %d is rejected', (step) => expect(() => seriesPoints(0, 100, step)).toThrow(RangeError));
});

describe('buildSeries', () => {
  // Two hours of minute buckets: 100 events/min, 1 bad per minute, a 10-minute incident at 50% errors from
  // minute 60, and no traffic at all during minutes 20..29.
  const buckets: Bucket[] = [];
  for (let i = 0; i < 120; i++) {
    if (i >= 20 && i < 30) continue;
    buckets.push(at(i, i >= 60 && i < 70 ? 50 : 99, 100));
  }
  const objective = 0.99;
  const windowStart = (t: number) => t - m(60); // a 60-minute rolling SLO window, for the test's sake
  const burnWindowsMs = { '5m': m(5), '1h': m(60) };
  const points = seriesPoints(T0, T0 + m(120), m(10));
  const series = buildSeries({
    counts: sums(buckets, MINUTE_MS, T0 - m(60), T0 + m(120)),
    points,
    stepMs: m(10),
    objective,
    windowStart,
    burnWindowsMs,
  });

  const naive = (from: number, to: number): Counts =>
    buckets.filter((b) => b.start >= from && b.start < to).reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), { good: 0, total: 0 });

  test('one point per step, at the step ends', () =>
    expect(series.map((p) => (p.t - T0) / MINUTE_MS)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]));

  test('every point matches brute-force sums', () => {
    for (const point of series) {
      const step = naive(point.t - m(10), point.t);
      const window = naive(windowStart(point.t), point.t);
      expect(point.good).toBe(step.good);
      expect(point.total).toBe(step.total);
      expect(point.sli).toBe(sliOf(step));
      expect(point.windowSli).toBe(sliOf(window));
      expect(point.budgetRemaining).toBe(errorBudget(sliOf(window), objective).remaining);
      expect(point.burnRates).toEqual({
        '5m': burnRateOf(naive(point.t - m(5), point.t), objective),
        '1h': burnRateOf(naive(point.t - m(60), point.t), objective),
      });
    }
  });

  test.each<[number, Partial<Record<'sli' | 'windowSli' | 'budgetRemaining' | 'burn5m' | 'burn1h', number | null>>]>([
    [10, { sli: 0.99, windowSli: 0.99, budgetRemaining: 0, burn5m: 1, burn1h: 1 }],
    // The quiet step has no SLI and no short-window burn rate: null, never 0 or 1.
    [30, { sli: null, windowSli: 0.99, burn5m: null, burn1h: 1 }],
    // Incident minutes 60..69: 50 bad of 100 = burn 50 in the 5m window. The hour [10, 70) has 50 minutes of
    // traffic (20..29 were quiet): 10 x 50 + 40 x 1 = 540 bad of 5,000.
    [70, { sli: 0.5, windowSli: 1 - 540 / 5000, burn5m: 50, burn1h: 540 / 5000 / 0.01 }],
    // [20, 80) has the same 540 bad of 5,000: the budget is overspent (negative remaining), shown as is.
    [80, { sli: 0.99, windowSli: 0.892, budgetRemaining: 1 - 10.8, burn5m: 1, burn1h: 10.8 }],
    // [40, 100): 10 x 50 + 50 x 1 = 550 bad of 6,000.
    [100, { sli: 0.99, windowSli: 1 - 550 / 6000, budgetRemaining: 1 - 550 / 60, burn1h: 550 / 60 }],
  ])('minute %d', (minute, want) => {
    const point = series.find((p) => p.t === T0 + m(minute));
    const got = {
      sli: point?.sli,
      windowSli: point?.windowSli,
      budgetRemaining: point?.budgetRemaining,
      burn5m: point?.burnRates['5m'],
      burn1h: point?.burnRates['1h'],
    };
    for (const [key, value] of Object.entries(want)) {
      const actual = got[key as keyof typeof got];
      if (value === null) expect(actual, key).toBeNull();
      else expect(actual, key).toBeCloseTo(value, 9);
    }
  });

  test('a window without any data gives nulls everywhere, never 0 or 1', () => {
    const [point] = buildSeries({
      counts: sums([], MINUTE_MS, T0, T0 + m(60)),
      points: [T0 + m(60)],
      stepMs: m(10),
      objective,
      windowStart,
      burnWindowsMs,
    });
    expect(point).toEqual({
      t: T0 + m(60),
      good: 0,
      total: 0,
      sli: null,
      windowSli: null,
      budgetRemaining: null,
      burnRates: { '5m': null, '1h': null },
    });
  });
});

import { describe, expect, test } from 'vitest';
import { defaultAlertTiers, evaluateAlerts } from './alerts';
import { burnRateOf, sliOf } from './budget';
import { BucketIndex, type Bucket } from './series';
import { ratioTimeslices, sliceEvents, TimesliceIndex } from './timeslices';

describe('sliceEvents', () => {
  test.each([
    ['meets the threshold', { good: 99, total: 100 }, 0.99, { good: 1, total: 1 }],
    ['just under the threshold', { good: 98, total: 100 }, 0.99, { good: 0, total: 1 }],
    ['perfect', { good: 1, total: 1 }, 0.999, { good: 1, total: 1 }],
    ['all failed', { good: 0, total: 5 }, 0.5, { good: 0, total: 1 }],
    ['threshold 1 needs every event good', { good: 999, total: 1000 }, 1, { good: 0, total: 1 }],
    // A slice without events is neither good nor bad.
    ['no events', { good: 0, total: 0 }, 0.99, { good: 0, total: 0 }],
    ['broken counts', { good: Number.NaN, total: 10 }, 0.99, { good: 0, total: 0 }],
  ])('%s: %o at %d -> %o', (_name, slice, threshold, want) => expect(sliceEvents([slice], threshold)).toEqual([want]));

  test('SLI over slices = good slices / slices with data', () => {
    const slices = [
      { good: 100, total: 100 },
      { good: 0, total: 0 },
      { good: 90, total: 100 },
      { good: 1000, total: 1000 },
      { good: 0, total: 0 },
    ];
    const events = sliceEvents(slices, 0.95);
    const sum = events.reduce((a, e) => ({ good: a.good + e.good, total: a.total + e.total }), { good: 0, total: 0 });
    expect(sum).toEqual({ good: 2, total: 3 });
    expect(sliOf(sum)).toBeCloseTo(2 / 3, 12);
  });
});

describe('ratioTimeslices', () => {
  test.each([
    [
      'mean of per-slice ratios',
      [
        { good: 1, total: 2 },
        { good: 3, total: 4 },
      ],
      0.625,
    ],
    [
      'slices without data are skipped',
      [
        { good: 1, total: 2 },
        { good: 0, total: 0 },
        { good: 3, total: 4 },
      ],
      0.625,
    ],
    // Not traffic-weighted: sum(good)/sum(total) would be 901/1010 = 0.892.
    [
      'a quiet slice weighs as much as a busy one',
      [
        { good: 900, total: 1000 },
        { good: 1, total: 10 },
      ],
      0.5,
    ],
  ])('%s', (_name, slices, want) => expect(ratioTimeslices(slices)).toBeCloseTo(want, 12));

  test.each([
    ['no slices', []],
    [
      'no slice with data',
      [
        { good: 0, total: 0 },
        { good: 0, total: 0 },
      ],
    ],
  ])('%s: null, not 0 or 1', (_name, slices) => expect(ratioTimeslices(slices)).toBeNull());
});

describe('TimesliceIndex', () => {
  const MIN = 60_000;
  const T0 = Date.parse('2026-03-02T00:00:00Z'); // a multiple of every slice length
  /** Minute buckets from a function of the minute index, in a BucketIndex. */
  function indexOf(minutes: number, counts: (i: number) => { good: number; total: number }) {
    const buckets: Bucket[] = [];
    for (let i = 0; i < minutes; i++) buckets.push({ start: T0 + i * MIN, ...counts(i) });
    const index = new BucketIndex(buckets, MIN, T0, T0 + minutes * MIN);
    return (from: number, to: number) => index.sum(from, to);
  }

  test('whole slices inside the span count one each, as good slices / slices with data', () => {
    // 10-minute slices: [0,10) good, [10,20) bad (5% errors at threshold 0.99), [20,30) no events, [30,40) good.
    const sum = indexOf(40, (i) => (i >= 20 && i < 30 ? { good: 0, total: 0 } : i >= 10 && i < 20 ? { good: 95, total: 100 } : { good: 100, total: 100 }));
    const slices = new TimesliceIndex({ sum, sliceMs: 10 * MIN, threshold: 0.99, from: T0, to: T0 + 40 * MIN });
    expect(slices.counts(T0, T0 + 40 * MIN)).toEqual({ good: 2, total: 3 });
    expect(slices.counts(T0 + 10 * MIN, T0 + 20 * MIN)).toEqual({ good: 0, total: 1 });
  });

  test('a slice partly inside the span counts with the share inside', () => {
    const sum = indexOf(20, (i) => (i < 10 ? { good: 100, total: 100 } : { good: 0, total: 100 }));
    const slices = new TimesliceIndex({ sum, sliceMs: 10 * MIN, threshold: 0.99, from: T0, to: T0 + 20 * MIN });
    // [5, 15): half of the good slice, half of the bad one.
    expect(slices.counts(T0 + 5 * MIN, T0 + 15 * MIN)).toEqual({ good: 0.5, total: 1 });
    // A span inside one slice measures that slice: [12, 17) is half a bad slice.
    expect(slices.counts(T0 + 12 * MIN, T0 + 17 * MIN)).toEqual({ good: 0, total: 0.5 });
  });

  test('the slice running at the end of the span is judged on its minutes so far', () => {
    // Slice [0, 10): minutes 0..5 good, 6..9 all failed. As of minute 3 it is good; as of minute 8, bad.
    const sum = indexOf(10, (i) => (i < 6 ? { good: 100, total: 100 } : { good: 0, total: 100 }));
    const slices = new TimesliceIndex({ sum, sliceMs: 10 * MIN, threshold: 0.9, from: T0, to: T0 + 10 * MIN });
    expect(slices.counts(T0, T0 + 3 * MIN)).toEqual({ good: 0.3, total: 0.3 });
    expect(slices.counts(T0, T0 + 8 * MIN)).toEqual({ good: 0, total: 0.8 });
  });

  test('one-minute slices are exactly the old rule: good minutes / minutes with data', () => {
    const sum = indexOf(60, (i) => (i % 7 === 0 ? { good: 90, total: 100 } : i % 11 === 0 ? { good: 0, total: 0 } : { good: 100, total: 100 }));
    const slices = new TimesliceIndex({ sum, sliceMs: MIN, threshold: 0.95, from: T0, to: T0 + 60 * MIN });
    const naive = { good: 0, total: 0 };
    for (let i = 13; i < 47; i++) {
      const e = sliceEvents([sum(T0 + i * MIN, T0 + (i + 1) * MIN)], 0.95)[0]!;
      naive.good += e.good;
      naive.total += e.total;
    }
    expect(slices.counts(T0 + 13 * MIN, T0 + 47 * MIN)).toEqual(naive);
  });

  // Issue 13, point 2: with burn windows counting only slices that start inside them, a 5m window holds no whole
  // 10- or 60-minute slice most of the time, and a total outage paged intermittently. Every minute of a 100%-bad
  // period, wherever in a slice it starts, must fire the page tier within one slice plus its short window and keep
  // it firing to the end.
  describe.each([1, 5, 10, 30, 60])('%i-minute slices: a total outage pages steadily', (sliceMinutes) => {
    const objective = 0.999;
    const [page] = defaultAlertTiers(30 * 1440); // 1h/5m at 14.4
    const windows = { '1h': 60, '5m': 5 };
    test.each([0.99, 0.9, 0.5])('slice threshold %d, every start offset in the slice', (threshold) => {
      for (let offset = 0; offset < sliceMinutes; offset += Math.max(1, Math.floor(sliceMinutes / 7))) {
        const start = 180 + offset; // minutes of good traffic first, then the outage
        const end = start + 120;
        const sum = indexOf(end + 10, (i) => (i >= start && i < end ? { good: 0, total: 50 } : { good: 50, total: 50 }));
        const slices = new TimesliceIndex({ sum, sliceMs: sliceMinutes * MIN, threshold, from: T0, to: T0 + (end + 10) * MIN });
        const firingAt = (minute: number) => {
          const t = T0 + minute * MIN;
          const burn = Object.fromEntries(Object.entries(windows).map(([w, m]) => [w, burnRateOf(slices.counts(t - m * MIN, t), objective)]));
          return evaluateAlerts([page!], burn)[0]!.firing;
        };
        const deadline = start + sliceMinutes + 5;
        const first = Array.from({ length: end - start }, (_, k) => start + 1 + k).find(firingAt);
        expect(first, `offset ${offset}: fires`).toBeDefined();
        expect(first!, `offset ${offset}: fires by one slice plus the short window`).toBeLessThanOrEqual(deadline);
        for (let minute = first!; minute <= end; minute++)
          expect(firingAt(minute), `offset ${offset}: still firing at minute ${minute - start} of the outage`).toBe(true);
        expect(firingAt(start - 1), 'silent before the outage').toBe(false);
      }
    });
  });
});

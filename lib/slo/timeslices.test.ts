import { describe, expect, test } from 'vitest';
import { sliOf } from './budget';
import { ratioTimeslices, sliceEvents } from './timeslices';

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
    ['mean of per-slice ratios', [{ good: 1, total: 2 }, { good: 3, total: 4 }], 0.625],
    ['slices without data are skipped', [{ good: 1, total: 2 }, { good: 0, total: 0 }, { good: 3, total: 4 }], 0.625],
    // Not traffic-weighted: sum(good)/sum(total) would be 901/1010 = 0.892.
    ['a quiet slice weighs as much as a busy one', [{ good: 900, total: 1000 }, { good: 1, total: 10 }], 0.5],
  ])('%s', (_name, slices, want) => expect(ratioTimeslices(slices)).toBeCloseTo(want, 12));

  test.each([
    ['no slices', []],
    ['no slice with data', [{ good: 0, total: 0 }, { good: 0, total: 0 }]],
  ])('%s: null, not 0 or 1', (_name, slices) => expect(ratioTimeslices(slices)).toBeNull());
});

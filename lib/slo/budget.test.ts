import { describe, expect, test } from 'vitest';
import { allowedErrorMinutes, budgetSpentBy, burnRate, burnRateOf, errorBudget, sliOf, timeToExhaustion } from './budget';

const DAY_S = 86_400;

describe('sliOf', () => {
  test.each([
    [{ good: 999, total: 1000 }, 0.999],
    [{ good: 0, total: 10 }, 0],
    [{ good: 10, total: 10 }, 1],
    [{ good: 2.5, total: 5 }, 0.5],
    // good > total is a data fault: shown, not clamped to 1.
    [{ good: 11, total: 10 }, 1.1],
  ])('sliOf(%o) = %d', (counts, want) => expect(sliOf(counts)).toBeCloseTo(want, 12));

  // No data is never 0% or 100%.
  test.each([
    { good: 0, total: 0 },
    { good: Number.NaN, total: 10 },
    { good: 5, total: Number.NaN },
    { good: 5, total: Number.POSITIVE_INFINITY },
    { good: Number.NEGATIVE_INFINITY, total: 5 },
  ])('sliOf(%o) is null', (counts) => expect(sliOf(counts)).toBeNull());
});

describe('errorBudget', () => {
  test.each([
    [1, 0.999, 0, 1],
    [0.999, 0.999, 1, 0],
    [0.9995, 0.999, 0.5, 0.5],
    [0.9999, 0.999, 0.1, 0.9],
    [0.99, 0.99, 1, 0],
    // Overspent: consumed 200%, remaining -100%, shown as is.
    [0.998, 0.999, 2, -1],
    [0.9, 0.99, 10, -9],
    [0, 0.5, 2, -1],
  ])('sli %d on objective %d: consumed %d, remaining %d', (sli, objective, consumed, remaining) => {
    const got = errorBudget(sli, objective);
    expect(got.consumed).toBeCloseTo(consumed, 9);
    expect(got.remaining).toBeCloseTo(remaining, 9);
  });

  test('no data has no budget figure, not 0% or 100%', () => expect(errorBudget(null, 0.999)).toEqual({ consumed: null, remaining: null }));

  test.each([0, 1, 1.5, -0.1, 99.9, Number.NaN])('objective %d is rejected', (objective) => expect(() => errorBudget(0.999, objective)).toThrow(RangeError));
});

describe('burnRate', () => {
  test.each([
    [0.001, 0.999, 1],
    [0.0144, 0.999, 14.4],
    [0.006, 0.999, 6],
    [0, 0.999, 0],
    [1, 0.999, 1000],
    [0.05, 0.99, 5],
  ])('burnRate(%d, %d) = %d', (ratio, objective, want) => expect(burnRate(ratio, objective)).toBeCloseTo(want));

  test('an objective of 100% leaves no budget to burn', () => expect(() => burnRate(0.1, 1)).toThrow(RangeError));
});

describe('burnRateOf', () => {
  test.each([
    [{ good: 9856, total: 10_000 }, 0.999, 14.4],
    [{ good: 999, total: 1000 }, 0.999, 1],
    [{ good: 0, total: 3 }, 0.999, 1000],
    [{ good: 50, total: 100 }, 0.5, 1],
  ])('burnRateOf(%o, %d) = %d', (counts, objective, want) => expect(burnRateOf(counts, objective)).toBeCloseTo(want, 9));

  test('no failures burn exactly nothing', () => expect(burnRateOf({ good: 1e9, total: 1e9 }, 0.999)).toBe(0));
  test('a window without events has no burn rate', () => expect(burnRateOf({ good: 0, total: 0 }, 0.999)).toBeNull());
});

describe('budgetSpentBy', () => {
  test.each([
    // 30 bad events of a window of 100,000 on 99.9% (100 allowed): 30% of the budget.
    [{ good: 970, total: 1000 }, { good: 99_900, total: 100_000 }, 0.999, 0.3],
    // The window's allowance, not the span's own traffic: the same 30 bad events in a busier window spend less.
    [{ good: 970, total: 1000 }, { good: 199_900, total: 200_000 }, 0.999, 0.15],
    // Timeslices: 3 bad slices of 1,000 slices with data on 99% (10 allowed).
    [{ good: 17, total: 20 }, { good: 990, total: 1000 }, 0.99, 0.3],
    // Nothing bad in the span spends nothing, whatever the window spent before.
    [{ good: 500, total: 500 }, { good: 99_000, total: 100_000 }, 0.999, 0],
    // More than the whole budget: shown as is, never clamped.
    [{ good: 700, total: 1000 }, { good: 99_700, total: 100_000 }, 0.999, 3],
  ])('bad of %o over the allowance of %o on %d: %d', (span, window, objective, want) => expect(budgetSpentBy(span, window, objective)).toBeCloseTo(want, 9));

  test("over the whole window it is errorBudget's consumed", () => {
    const window = { good: 99_937, total: 100_000 };
    expect(budgetSpentBy(window, window, 0.999)).toBeCloseTo(errorBudget(sliOf(window), 0.999).consumed!, 9);
  });

  test('a window without data has no figure', () => expect(budgetSpentBy({ good: 0, total: 0 }, { good: 0, total: 0 }, 0.999)).toBeNull());
});

describe('allowedErrorMinutes', () => {
  test.each([
    [0.999, 30 * 1440, 43.2],
    [0.9999, 30 * 1440, 4.32],
    [0.99, 28 * 1440, 403.2],
    [0.999, 44_580, 44.58], // Europe/Berlin, March 2026: 31 days less the DST hour
  ])('(1 - %d) x %d min = %d min', (objective, period, want) => expect(allowedErrorMinutes(objective, period)).toBeCloseTo(want, 9));
});

describe('timeToExhaustion', () => {
  test.each([
    // A full 30-day budget at 14.4 lasts 30 d / 14.4 = 2.083 d (SRE Workbook).
    [1, 14.4, 43_200, (30 / 14.4) * DAY_S],
    [1, 14.4, 43_200, 180_000],
    [1, 1, 43_200, 30 * DAY_S],
    [1, 6, 43_200, 5 * DAY_S],
    [0.5, 2, 43_200, 7.5 * DAY_S],
    [0.1, 1, 40_320, 2.8 * DAY_S],
  ])('remaining %d at burn %d over %d min = %d s', (remaining, burn, period, want) => expect(timeToExhaustion(remaining, burn, period)).toBeCloseTo(want, 6));

  test('14.4 on a full 30-day budget is about 2.083 days', () => expect((timeToExhaustion(1, 14.4, 43_200) ?? 0) / DAY_S).toBeCloseTo(2.0833, 4));

  test.each([
    [0, 14.4],
    [-0.5, 3],
    [-2, 0],
  ])('spent budget (remaining %d, burn %d) is exhausted now', (remaining, burn) => expect(timeToExhaustion(remaining, burn, 43_200)).toBe(0));

  test.each([
    [null, 14.4],
    [1, null],
    [null, null],
    [0.5, 0],
    [0.5, -1],
    [Number.NaN, 1],
  ])('remaining %s at burn %s never runs out or is unknown: null', (remaining, burn) => expect(timeToExhaustion(remaining, burn, 43_200)).toBeNull());
});

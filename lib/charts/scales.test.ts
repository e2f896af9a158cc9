import { describe, expect, test } from 'vitest';
import {
  budgetScale,
  budgetTickLabel,
  burnScale,
  burnTickLabel,
  dayTicks,
  evenTicks,
  finiteValues,
  linearUnit,
  seriesSlot,
  severityTone,
  sliDomain,
  sliTickDigits,
  sliTickLabel,
  sparklineDomain,
  symlogUnit,
  timeTicks,
} from './scales';

test('finiteValues drops gaps and non-finite values', () => {
  expect(finiteValues([1, null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -2])).toEqual([1, -2]);
});

describe('budgetScale', () => {
  test.each([
    ['untouched', [1, 0.9], [0, 1], [0, 0.25, 0.5, 0.75, 1]],
    ['no values still shows 0 and 100%', [], [0, 1], [0, 0.25, 0.5, 0.75, 1]],
    ['overspent, in quarters', [-0.3, 0.5], [-0.5, 1], [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]],
    ['overspent by 2, in halves', [-1.2], [-1.5, 1], [-1.5, -1, -0.5, 0, 0.5, 1]],
    ['overspent by 4, in wholes', [-4], [-4, 1], [-4, -3, -2, -1, 0, 1]],
    ['overspent by 10, in steps of 2', [-10], [-10, 2], [-10, -8, -6, -4, -2, 0, 2]],
  ])('%s', (_, values, domain, ticks) => {
    expect(budgetScale(values)).toEqual({ domain, ticks });
  });

  test.each([
    [0.25, '25%'],
    [0, '0%'],
    [-0.5, '\u221250%'],
    [-1.5, '\u2212150%'],
  ])('budgetTickLabel(%d) = %s', (v, want) => expect(budgetTickLabel(v)).toBe(want));
});

describe('burnScale', () => {
  test.each([
    ['calm, no tiers', [0.2, 1], [], 2],
    ['a 14.4 tier leaves room above it', [0.5], [14.4, 6], 50],
    ['an outage', [130], [14.4], 200],
    ['beyond the nice ticks', [20_000], [], 20_000],
  ])('%s', (_, values, thresholds, upper) => {
    const scale = burnScale(values, thresholds);
    expect(scale.domain).toEqual([0, upper]);
    expect(scale.ticks.every((t) => t <= upper)).toBe(true);
    expect(scale.ticks[0]).toBe(0);
  });

  test('symlog: 0 at the bottom, the upper bound at the top, 1× well above the bottom', () => {
    expect(symlogUnit(50, 0)).toBe(0);
    expect(symlogUnit(50, 50)).toBe(1);
    expect(symlogUnit(50, 500)).toBe(1);
    expect(symlogUnit(50, 1)).toBeGreaterThan(0.15);
  });

  test('ticks read as multiples', () => expect(burnTickLabel(14.4)).toBe('14.4\u00d7'));
});

describe('sliDomain', () => {
  test.each([
    ['all good: from a budget and a quarter below the objective to 100%', [1, 0.9995], 0.999, [0.99775, 1]],
    ['an outage is cut five budgets below the objective', [0.5, 0.999], 0.999, [0.994, 1]],
    ['a dip inside the band is shown with a quarter-budget margin', [0.997], 0.999, [0.99675, 1]],
    ['no values', [], 0.99, [0.9775, 1]],
  ])('%s', (_, values, objective, [lower, upper]) => {
    const [l, u] = sliDomain(values, objective);
    expect(l).toBeCloseTo(lower!, 12);
    expect(u).toBe(upper);
  });

  test.each([
    [0.001, 3],
    [0.01, 2],
    [0.5, 1],
  ])('sliTickDigits(%d) = %d', (span, digits) => expect(sliTickDigits(span)).toBe(digits));

  test('SLI ticks are rounded down, never to 100%', () => expect(sliTickLabel(0.99999, 2)).toBe('99.99%'));

  test('evenTicks spreads ticks over the domain, an empty one counting as 1 wide', () => {
    expect(evenTicks([0, 1], 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(evenTicks([1, 1], 3)).toEqual([1, 1.5, 2]);
  });
});

test('linearUnit clamps to the domain and treats an empty domain as 1 wide', () => {
  expect(linearUnit([-0.5, 1], 0.25)).toBe(0.5);
  expect(linearUnit([0, 1], 2)).toBe(1);
  expect(linearUnit([0, 1], -1)).toBe(0);
  expect(linearUnit([1, 1], 1.5)).toBe(0.5);
});

describe('sparklineDomain', () => {
  test.each([
    ['zero: from 0 with headroom', [1, 2], undefined, 'zero', [0, 2.2]],
    ['zero: the reference counts', [0.5], 1, 'zero', [0, 1.1]],
    ['zero: all zero still has a height', [0], undefined, 'zero', [0, 1]],
    ['fit: padded by a tenth', [0.99, 1], undefined, 'fit', [0.989, 1.001]],
  ] as const)('%s', (_, values, reference, mode, [lo, hi]) => {
    const [l, h] = sparklineDomain(values, reference, mode);
    expect(l).toBeCloseTo(lo, 12);
    expect(h).toBeCloseTo(hi, 12);
  });
});

describe('time ticks', () => {
  const H = 3_600_000;
  test.each([
    ['an hour in 15-minute steps', 0, H, 5, [0, 0.25 * H, 0.5 * H, 0.75 * H, H]],
    ['a day in 6-hour steps', 0, 24 * H, 5, [0, 6 * H, 12 * H, 18 * H, 24 * H]],
    ['starts on a whole step', 360_000, 3_960_000, 4, [0.25 * H, 0.5 * H, 0.75 * H, H]],
  ])('timeTicks: %s', (_, from, to, most, want) => expect(timeTicks(from, to, most)).toEqual(want));

  test('dayTicks fall where the day changes in the reader zone, only for ranges over a day', () => {
    const start = Date.parse('2026-10-27T00:00:00Z');
    const times = Array.from({ length: 3 * 24 + 1 }, (_, i) => start + i * H);
    expect(dayTicks(times, 3 * 86_400, { locale: 'en-GB', timeZone: 'UTC' })).toEqual([start + 24 * H, start + 48 * H, start + 72 * H]);
    expect(dayTicks(times, 3 * 86_400, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toEqual([start + 23 * H, start + 47 * H, start + 71 * H]);
    expect(dayTicks(times, 86_400, { locale: 'en-GB', timeZone: 'UTC' })).toBeUndefined();
  });
});

test('series colours cycle through four slots; thresholds take their severity tone', () => {
  expect([0, 1, 2, 3, 4].map(seriesSlot)).toEqual([1, 2, 3, 4, 1]);
  expect(severityTone('page')).toBe('danger');
  expect(severityTone('ticket')).toBe('warning');
});

import { describe, expect, test } from 'vitest';
import { bucketFault, dataQualityFaults, mergeFaults, storedCount } from './data-quality';

describe('bucketFault', () => {
  test.each([
    [90, 100, null],
    [0, 0, null],
    [100, 100, null],
    [101, 100, 'good_above_total'],
    [NaN, 100, 'not_a_number'],
    [5, NaN, 'not_a_number'],
    [Infinity, 100, 'infinite'],
    [5, -Infinity, 'infinite'],
    [-1, 100, 'negative'],
    [0, -3, 'negative'],
  ])('good %d, total %d -> %s', (good, total, want) => expect(bucketFault(good, total)).toBe(want));
});

describe('data quality faults', () => {
  const t = (m: number) => new Date(Date.UTC(2026, 10, 26, 12, m));

  test('lists the offending buckets with their values spelled for JSON', () => {
    expect(storedCount(NaN)).toBe('NaN');
    expect(storedCount(-Infinity)).toBe('-Inf');
    expect(
      dataQualityFaults([
        { start: t(0), good: 1, total: 2 },
        { start: t(1), good: 3, total: 2 },
        { start: t(2), good: NaN, total: Infinity },
      ]),
    ).toEqual([
      { start: t(1).toISOString(), good: 3, total: 2, reason: 'good_above_total' },
      { start: t(2).toISOString(), good: 'NaN', total: '+Inf', reason: 'not_a_number' },
    ]);
  });

  test('re-reading a range replaces its faults and keeps the others, newest first, up to the limit', () => {
    const known = dataQualityFaults([
      { start: t(1), good: 3, total: 2 },
      { start: t(10), good: 3, total: 2 },
    ]);
    const found = dataQualityFaults([{ start: t(11), good: NaN, total: 1 }]);
    const merged = mergeFaults(known, found, t(5), t(15));
    expect(merged.map((f) => f.start)).toEqual([t(11).toISOString(), t(1).toISOString()]);
    expect(mergeFaults(known, [], t(0), t(60))).toEqual([]);
    expect(mergeFaults(known, found, t(5), t(15), 1)).toHaveLength(1);
  });
});

import { describe, expect, test } from 'vitest';
import { bucketFault, dataQualityFaults, faultSpans, storedCount } from './data-quality';

/** Every kind of impossible count; test/integration/bucket-faults.int.test.ts runs the same table through SQL. */
export const FAULT_TABLE: Array<[number, number, ReturnType<typeof bucketFault>]> = [
  [90, 100, null],
  [0, 0, null],
  [100, 100, null],
  [0.5, 0.75, null],
  [101, 100, 'good_above_total'],
  [100.0000001, 100, 'good_above_total'],
  [NaN, 100, 'not_a_number'],
  [5, NaN, 'not_a_number'],
  [NaN, NaN, 'not_a_number'],
  [Infinity, 100, 'infinite'],
  [5, Infinity, 'infinite'],
  [5, -Infinity, 'infinite'],
  [-Infinity, 5, 'infinite'],
  [-1, 100, 'negative'],
  [0, -3, 'negative'],
  [-5, -3, 'negative'],
];

describe('bucketFault', () => {
  test.each(FAULT_TABLE)('good %d, total %d -> %s', (good, total, want) => expect(bucketFault(good, total)).toBe(want));

  test('a fault the source reported wins over the counts', () => {
    expect(bucketFault(0, 100, 'histogram_bucket_missing')).toBe('histogram_bucket_missing');
    expect(bucketFault(NaN, 100, 'histogram_bucket_missing')).toBe('histogram_bucket_missing');
  });
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
        { start: t(3), good: 0, total: 40, fault: 'histogram_bucket_missing' },
      ]),
    ).toEqual([
      { start: t(1).toISOString(), good: 3, total: 2, reason: 'good_above_total' },
      { start: t(2).toISOString(), good: 'NaN', total: '+Inf', reason: 'not_a_number' },
      { start: t(3).toISOString(), good: 0, total: 40, reason: 'histogram_bucket_missing' },
    ]);
  });

  test('runs of one reason become spans, newest first, in any input order', () => {
    const f = (m: number, reason: 'negative' | 'histogram_bucket_missing') => ({ start: t(m).toISOString(), reason });
    expect(faultSpans([f(12, 'histogram_bucket_missing'), f(10, 'histogram_bucket_missing'), f(11, 'histogram_bucket_missing'), f(2, 'negative'), f(13, 'negative'), f(4, 'negative')])).toEqual([
      { reason: 'negative', from: t(13).toISOString(), to: t(14).toISOString(), minutes: 1 },
      { reason: 'histogram_bucket_missing', from: t(10).toISOString(), to: t(13).toISOString(), minutes: 3 },
      { reason: 'negative', from: t(4).toISOString(), to: t(5).toISOString(), minutes: 1 },
      { reason: 'negative', from: t(2).toISOString(), to: t(3).toISOString(), minutes: 1 },
    ]);
    expect(faultSpans([])).toEqual([]);
  });
});

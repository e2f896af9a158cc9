import { describe, expect, test } from 'vitest';
import { FAULT_TABLE } from './fault-table.fixture';
import { bucketFault, dataQualityFaults, storedCount } from './data-quality';

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
});

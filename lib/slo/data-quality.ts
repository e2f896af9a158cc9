import type { DataQualityFault } from '@/lib/schemas';

type Reason = DataQualityFault['reason'];

/**
 * Why a bucket's counts are impossible, or null when they are fine. Such buckets are shown as faults with
 * their times, never clamped (SLO-MATH.md: "Clamp nothing silently").
 */
export function bucketFault(good: number, total: number): Reason | null {
  if (Number.isNaN(good) || Number.isNaN(total)) return 'not_a_number';
  if (!Number.isFinite(good) || !Number.isFinite(total)) return 'infinite';
  if (good < 0 || total < 0) return 'negative';
  if (good > total) return 'good_above_total';
  return null;
}

/** JSON has no NaN or Infinity: spell them as Prometheus does. */
export function storedCount(value: number): number | 'NaN' | '+Inf' | '-Inf' {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value;
}

export function dataQualityFaults(buckets: ReadonlyArray<{ start: Date; good: number; total: number }>): DataQualityFault[] {
  const faults: DataQualityFault[] = [];
  for (const b of buckets) {
    const reason = bucketFault(b.good, b.total);
    if (reason) faults.push({ start: b.start.toISOString(), good: storedCount(b.good), total: storedCount(b.total), reason });
  }
  return faults;
}

/**
 * Replaces the faults known inside [from, to) with those just found there, newest first, keeping at most
 * `limit`: re-reading a range that is now clean clears its old faults.
 */
export function mergeFaults(known: readonly DataQualityFault[], found: readonly DataQualityFault[], from: Date, to: Date, limit = 500): DataQualityFault[] {
  const outside = known.filter((f) => {
    const t = Date.parse(f.start);
    return t < from.getTime() || t >= to.getTime();
  });
  return [...outside, ...found].sort((a, b) => Date.parse(b.start) - Date.parse(a.start)).slice(0, limit);
}

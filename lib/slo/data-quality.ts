import type { DataQualityFault, FaultReason } from '@/lib/schemas';

/** Faults a source reports about its data rather than its counts. */
export type SourceFault = 'histogram_bucket_missing';

/**
 * Why a minute cannot be used, or null when it can. Such minutes are data-quality faults: listed with their times,
 * left out of every figure, never clamped (docs/slo-math.md, "Impossible counts"). The database applies the same
 * rule (sli_bucket_fault() in migration 20261207100000_bucket_faults); test/integration/figures-at-the-edges.int.test.ts
 * holds them together.
 */
export function bucketFault(good: number, total: number, sourceFault: SourceFault | null = null): FaultReason | null {
  if (sourceFault !== null) return sourceFault;
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

/** The faulty minutes among `buckets`, as listed on the SLO, in the order given. */
export function dataQualityFaults(buckets: ReadonlyArray<{ start: Date; good: number; total: number; fault?: SourceFault | null }>): DataQualityFault[] {
  const faults: DataQualityFault[] = [];
  for (const b of buckets) {
    const reason = bucketFault(b.good, b.total, b.fault ?? null);
    if (reason) faults.push({ start: b.start.toISOString(), good: storedCount(b.good), total: storedCount(b.total), reason });
  }
  return faults;
}

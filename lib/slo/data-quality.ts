import type { DataQualityFault, FaultReason, FaultSpan } from '@/lib/schemas';
import { MINUTE_MS } from './duration';

/** Faults a source reports about its data rather than its counts. */
export type SourceFault = 'histogram_bucket_missing';

/**
 * Why a minute cannot be used, or null when it can. Such minutes are data-quality faults: listed with their times,
 * left out of every figure, never clamped (docs/slo-math.md, "Impossible counts"). The database applies the same
 * rule (sli_bucket_fault() in migration 20261207100000_bucket_faults); test/integration/bucket-faults holds them
 * together.
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
export function dataQualityFaults(
  buckets: ReadonlyArray<{ start: Date; good: number; total: number; fault?: SourceFault | null }>,
): DataQualityFault[] {
  const faults: DataQualityFault[] = [];
  for (const b of buckets) {
    const reason = bucketFault(b.good, b.total, b.fault ?? null);
    if (reason) faults.push({ start: b.start.toISOString(), good: storedCount(b.good), total: storedCount(b.total), reason });
  }
  return faults;
}

/**
 * Consecutive faulty minutes of the same reason as spans ("histogram bucket missing from 14:02 to 19:40, 338
 * minutes"), newest first. `faults` may come in any order; each names one minute.
 */
export function faultSpans(faults: ReadonlyArray<Pick<DataQualityFault, 'start' | 'reason'>>): FaultSpan[] {
  const sorted = [...faults].map((f) => ({ t: Date.parse(f.start), reason: f.reason })).sort((a, b) => a.t - b.t);
  const spans: Array<{ from: number; to: number; reason: FaultReason }> = [];
  for (const f of sorted) {
    const last = spans[spans.length - 1];
    if (last && last.reason === f.reason && last.to === f.t) last.to = f.t + MINUTE_MS;
    else spans.push({ from: f.t, to: f.t + MINUTE_MS, reason: f.reason });
  }
  return spans
    .reverse()
    .map((s) => ({ reason: s.reason, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString(), minutes: (s.to - s.from) / MINUTE_MS }));
}

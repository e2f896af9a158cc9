import { db } from './client';

/**
 * Marks the OpenTelemetry SLOs that had points once but none since `quiet` stale since their last point, with the
 * reason; ingest clears it when points arrive again.
 */
export async function markQuietOtelSlosStale(quiet: string, now: Date): Promise<void> {
  await db().$executeRaw`
    UPDATE slo_evaluations e
    SET stale_since = coalesce(e.fresh_until, e.last_success_at),
        last_error = 'No OpenTelemetry points for this SLO since ' || to_char(coalesce(e.fresh_until, e.last_success_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') || ': is the service still exporting to /v1/metrics, with these attributes?',
        last_error_kind = 'no_data', updated_at = ${now.toISOString()}::timestamptz
    FROM slos s
    WHERE s.id = e.slo_id AND s.sli->>'source' = 'otel' AND e.stale_since IS NULL
      AND e.last_success_at IS NOT NULL AND e.last_success_at < ${quiet}::timestamptz`;
}

/** Forgets series state, catalogue entries and feeders not seen since `forget`. */
export async function forgetOtelRowsBefore(forget: string): Promise<void> {
  await db().$executeRaw`DELETE FROM otel_series WHERE updated_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_attribute_values WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_metrics WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_metric_tokens WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_feeders WHERE last_fed_at < ${forget}::timestamptz`;
}

import { db } from '../../db/client';

const MINUTE_MS = 60_000;
const DAY_MS = 1440 * MINUTE_MS;
/** An OpenTelemetry SLO with no points for this long is stale: its service stopped pushing, or lost its way. */
export const QUIET_AFTER_MS = 5 * MINUTE_MS;
/** Series state, catalog entries and the tokens that fed SLOs, not seen for this long, are forgotten. */
const FORGET_AFTER_MS = 7 * DAY_MS;

/**
 * Pushed SLOs have no pull to fail: when points stop arriving they are marked stale since their last point,
 * with the reason; ingest clears it when points arrive again. Also forgets long-silent series and catalog entries.
 */
export async function markQuietPushedSlos(now: Date): Promise<void> {
  const quiet = new Date(now.getTime() - QUIET_AFTER_MS).toISOString();
  await db().$executeRaw`
    UPDATE slo_evaluations e
    SET stale_since = coalesce(e.fresh_until, e.last_success_at),
        last_error = 'No OpenTelemetry points for this SLO since ' || to_char(coalesce(e.fresh_until, e.last_success_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') || ': is the service still exporting to /v1/metrics, with these attributes?',
        last_error_kind = 'no_data', updated_at = ${now.toISOString()}::timestamptz
    FROM slos s
    WHERE s.id = e.slo_id AND s.sli->>'source' = 'otel' AND e.stale_since IS NULL
      AND e.last_success_at IS NOT NULL AND e.last_success_at < ${quiet}::timestamptz`;
  const forget = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  await db().$executeRaw`DELETE FROM otel_series WHERE updated_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_attribute_values WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_metrics WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_metric_tokens WHERE last_seen_at < ${forget}::timestamptz`;
  await db().$executeRaw`DELETE FROM otel_feeders WHERE last_fed_at < ${forget}::timestamptz`;
}

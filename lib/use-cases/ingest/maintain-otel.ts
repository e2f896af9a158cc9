import { forgetOtelRowsBefore, markQuietOtelSlosStale } from '../../db/otel-maintenance';

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
  await markQuietOtelSlosStale(quiet, now);
  const forget = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
  await forgetOtelRowsBefore(forget);
}

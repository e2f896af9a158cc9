import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from '@/lib/telemetry/prometheus';
import { telemetryState } from '@/lib/telemetry/state';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Umpire's own metrics for a Prometheus scrape (outside /api/v1: it is not part of the JSON API). */
export async function GET(): Promise<Response> {
  const telemetry = telemetryState();
  if (!telemetry) {
    return new Response('Telemetry is not running (UMPIRE_TELEMETRY=off or OTEL_SDK_DISABLED=true).\n', {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const { resourceMetrics, errors } = await telemetry.prometheus.collect();
  if (errors.length > 0) log.warn('telemetry.collect_errors', { errors: errors.map(String) });
  return new Response(toPrometheusText(resourceMetrics), {
    headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}

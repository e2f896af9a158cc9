import { can } from '@/lib/auth/permissions';
import { authenticate } from '@/lib/http/authenticate';
import { errorResponse } from '@/lib/http/route';
import { PROMETHEUS_CONTENT_TYPE, toPrometheusText } from '@/lib/telemetry/prometheus';
import { telemetryState } from '@/lib/telemetry/state';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Umpire's own metrics for a Prometheus scrape (outside /api/v1: it is not part of the JSON API). Readers only,
 * like the rest: scrape with a token that has the read scope (`authorization: { credentials: ... }`).
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticate(request, crypto.randomUUID());
  if (!auth.ok) return errorResponse(auth.status, auth.code, auth.message, undefined, auth.headers);
  const decision = can(auth.actor, 'read');
  if (!decision.allowed) {
    return errorResponse(
      decision.status,
      decision.status === 401 ? 'unauthenticated' : 'forbidden',
      decision.reason,
      undefined,
      decision.status === 401 ? { 'www-authenticate': 'Bearer realm="umpire"' } : undefined,
    );
  }
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

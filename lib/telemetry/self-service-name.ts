/**
 * The service.name Umpire's own telemetry carries, worked out from the environment as the OpenTelemetry SDK does
 * (lib/telemetry/sdk.ts: OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES, else "umpire"), so
 * the self-observation token can be pinned to exactly what it sends. Pure.
 */
export function selfServiceName(env: Readonly<Record<string, string | undefined>>): string {
  const named = env.OTEL_SERVICE_NAME?.trim();
  if (named) return named;
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== 'service.name') continue;
    const raw = pair.slice(eq + 1).trim();
    try {
      const value = decodeURIComponent(raw);
      if (value) return value;
    } catch {
      // The SDK drops attributes it cannot decode; so does this.
    }
  }
  return 'umpire';
}

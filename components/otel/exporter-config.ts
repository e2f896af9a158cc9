/** Copy-ready exporter settings for sending metrics to Umpire's OTLP/HTTP receiver (POST <origin>/v1/metrics). Pure. */

/** Shown where the origin or the token is not known (before hydration, or once the token is gone). */
export const ORIGIN_PLACEHOLDER = 'https://umpire.example.com';
export const TOKEN_PLACEHOLDER = '<token>';

/**
 * Environment variables for any OpenTelemetry SDK. The headers variable is W3C-baggage-like, so the space in
 * "Bearer <token>" is written %20. Umpire speaks OTLP over HTTP only (not gRPC), hence the protocol line.
 */
export function sdkEnv(origin: string, token: string): string {
  return [
    `OTEL_EXPORTER_OTLP_ENDPOINT=${origin}`,
    `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${token}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    'OTEL_METRICS_EXPORTER=otlp',
  ].join('\n');
}

/** When traces and logs go elsewhere: the metrics-only variables (the endpoint is then used as is, path included). */
export function sdkMetricsOnlyEnv(origin: string, token: string): string {
  return [
    `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=${origin}/v1/metrics`,
    `OTEL_EXPORTER_OTLP_METRICS_HEADERS=Authorization=Bearer%20${token}`,
    'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf',
  ].join('\n');
}

/** An OpenTelemetry Collector exporter and the metrics pipeline using it (otlphttp appends /v1/metrics). */
export function collectorConfig(origin: string, token: string): string {
  return [
    'exporters:',
    '  otlphttp/umpire:',
    `    endpoint: ${origin}`,
    '    headers:',
    `      Authorization: "Bearer ${token}"`,
    '',
    'service:',
    '  pipelines:',
    '    metrics:',
    '      exporters: [otlphttp/umpire]',
  ].join('\n');
}

import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** The Prometheus text exposition format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  Hz: 'hertz',
  '%': 'percent',
};
const PER_UNITS: Record<string, string> = { s: 'second', min: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/**
 * The suffix a Prometheus metric name carries for an OpenTelemetry unit (s -> seconds, By/s -> bytes_per_second,
 * {point} -> none, 1 -> ratio on gauges), per the OpenTelemetry-to-Prometheus compatibility specification.
 */
export function unitSuffix(unit: string, isGauge: boolean): string {
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  if (plain === '') return '';
  if (plain === '1') return isGauge ? 'ratio' : '';
  const [numerator = '', denominator] = plain.split('/');
  const main = numerator === '' ? '' : (UNITS[numerator] ?? numerator);
  const per = denominator === undefined ? '' : `per_${PER_UNITS[denominator] ?? UNITS[denominator] ?? denominator}`;
  return [main, per]
    .filter(Boolean)
    .join('_')
    .replace(/[^a-zA-Z0-9_]/g, '_');
}

function withUnitSuffix(metric: MetricData): MetricData {
  const isGauge = metric.dataPointType === DataPointType.GAUGE || (metric.dataPointType === DataPointType.SUM && !metric.isMonotonic);
  const suffix = unitSuffix(metric.descriptor.unit, isGauge);
  const name = metric.descriptor.name;
  const sanitized = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  const suffixed = suffix === '' || sanitized.endsWith(`_${suffix}`) ? name : `${name}_${suffix}`;
  // The unit is now in the name; a "# UNIT" line belongs to OpenMetrics, not to the 0.0.4 text format.
  return { ...metric, descriptor: { ...metric.descriptor, name: suffixed, unit: '' } } as MetricData;
}

/**
 * Umpire's metrics in the Prometheus text format. The exporter's serializer leaves units out of names, so they
 * are added first: http.server.request.duration (unit s) is scraped as http_server_request_duration_seconds.
 */
export function toPrometheusText(resourceMetrics: ResourceMetrics): string {
  const named: ResourceMetrics = {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({ ...scope, metrics: scope.metrics.map(withUnitSuffix) })),
  };
  return new PrometheusSerializer().serialize(named);
}

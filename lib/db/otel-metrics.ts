import { db } from './client';
import type { OtelMetric as MetricRow } from './generated/client';

/** The catalogue's entry for a metric received over OTLP; null when none was received (or it was forgotten). */
export function findOtelMetric(name: string): Promise<MetricRow | null> {
  return db().otelMetric.findUnique({ where: { name } });
}

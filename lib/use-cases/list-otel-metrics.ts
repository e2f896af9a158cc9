import { db } from '../db/client';
import type { OtelMetricSummary } from '../schemas';

/** Values listed per attribute key (most recent first); the catalog keeps a few more. */
const VALUES_SHOWN = 100;

/** The metrics Umpire has received over OTLP recently, with their attribute values, for the SLO form. */
export async function listOtelMetrics(): Promise<OtelMetricSummary[]> {
  const [metrics, values] = await Promise.all([
    db().otelMetric.findMany({ orderBy: { name: 'asc' }, take: 1000 }),
    db().$queryRaw<Array<{ metric: string; scope: string; key: string; value: string; n: number }>>`
      SELECT metric, scope, key, value, n::int AS n FROM (
        SELECT metric, scope, key, value,
               row_number() OVER (PARTITION BY metric, scope, key ORDER BY last_seen_at DESC, value) AS rank,
               count(*) OVER (PARTITION BY metric, scope, key) AS n
        FROM otel_attribute_values
      ) ranked
      WHERE rank <= ${VALUES_SHOWN + 1}
      ORDER BY metric, scope, key, rank`,
  ]);
  const attributes = new Map<string, OtelMetricSummary['attributes']>();
  for (const row of values) {
    const list = attributes.get(row.metric) ?? [];
    attributes.set(row.metric, list);
    let entry = list.find((a) => a.scope === row.scope && a.key === row.key);
    if (!entry) list.push((entry = { scope: row.scope as 'resource' | 'datapoint', key: row.key, values: [], truncated: row.n > VALUES_SHOWN }));
    if (entry.values.length < VALUES_SHOWN) entry.values.push(row.value);
  }
  return metrics.map((m) => {
    const type = m.type as OtelMetricSummary['type'];
    return {
      name: m.name,
      type,
      unit: m.unit,
      description: m.description,
      temporality: m.temporality as OtelMetricSummary['temporality'],
      monotonic: m.monotonic,
      bounds: m.bounds,
      lastSeenAt: m.lastSeenAt.toISOString(),
      usable: (type === 'sum' && m.monotonic) || type === 'histogram' || type === 'exponential_histogram',
      attributes: attributes.get(m.name) ?? [],
    };
  });
}

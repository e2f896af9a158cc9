import { listAttributeValues, listCatalogMetrics } from '../../db/otel-metrics';
import type { OtelMetricList, OtelMetricQuery, OtelMetricSummary } from '../../schemas/index';

/** Values listed per attribute key (most recent first); the catalog keeps a few more. */
const VALUES_SHOWN = 100;

/**
 * The metrics Umpire has received over OTLP recently, with their attribute values, for the SLO form. Metrics that
 * SLOs read come first; then the ingest tokens take turns (each token's most recently seen name, then each one's
 * next...), so a token sending 1,000 junk names pushes no other token's metric off the first page; names no token
 * is recorded for (catalogued before tokens were) come last.
 */
export async function listOtelMetrics(query: Partial<OtelMetricQuery> = {}): Promise<OtelMetricList> {
  const limit = query.limit ?? 200;
  const q = query.q ?? '';
  const name = query.name ?? null;
  const rows = await listCatalogMetrics({ q, name, limit });
  const truncated = rows.length > limit;
  const metrics = rows.slice(0, limit);
  const values = metrics.length === 0 ? [] : await listAttributeValues(metrics, VALUES_SHOWN);
  const attributes = new Map<string, OtelMetricSummary['attributes']>();
  for (const row of values) {
    const list = attributes.get(row.metric) ?? [];
    attributes.set(row.metric, list);
    let entry = list.find((a) => a.scope === row.scope && a.key === row.key);
    if (!entry) list.push((entry = { scope: row.scope as 'resource' | 'datapoint', key: row.key, values: [], truncated: row.n > VALUES_SHOWN }));
    if (entry.values.length < VALUES_SHOWN) entry.values.push(row.value);
  }
  return {
    truncated,
    metrics: metrics.map((m) => {
      const type = m.type as OtelMetricSummary['type'];
      return {
        name: m.name,
        type,
        unit: m.unit,
        description: m.description,
        temporality: m.temporality as OtelMetricSummary['temporality'],
        monotonic: m.monotonic,
        bounds: m.bounds ?? [],
        lastSeenAt: m.lastSeenAt.toISOString(),
        usable: (type === 'sum' && m.monotonic) || type === 'histogram' || type === 'exponential_histogram',
        slos: m.slos,
        attributes: attributes.get(m.name) ?? [],
      };
    }),
  };
}

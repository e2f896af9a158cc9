import { db } from '../../db/client';
import type { OtelMetricList, OtelMetricQuery, OtelMetricSummary } from '../../schemas/index';

/** Values listed per attribute key (most recent first); the catalog keeps a few more. */
const VALUES_SHOWN = 100;

interface MetricRow {
  name: string;
  type: string;
  unit: string;
  description: string;
  temporality: string;
  monotonic: boolean;
  bounds: number[] | null;
  lastSeenAt: Date;
  slos: number;
}

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
  const rows = await db().$queryRaw<MetricRow[]>`
    WITH used AS (
      SELECT sli->>'metric' AS metric, count(*)::int AS n FROM slos WHERE sli->>'source' = 'otel' GROUP BY 1
    ), turns AS (
      SELECT metric, min(turn) AS turn FROM (
        SELECT metric, row_number() OVER (PARTITION BY token_id ORDER BY last_seen_at DESC, metric) AS turn FROM otel_metric_tokens
      ) t GROUP BY metric
    )
    SELECT m.name, m.type, m.unit, m.description, m.temporality, m.monotonic, m.bounds, m.last_seen_at AS "lastSeenAt", coalesce(u.n, 0) AS slos
    FROM otel_metrics m LEFT JOIN used u ON u.metric = m.name LEFT JOIN turns t ON t.metric = m.name
    WHERE (${q} = '' OR strpos(lower(m.name), lower(${q})) > 0) AND (${name}::text IS NULL OR m.name = ${name}::text)
    ORDER BY u.n IS NULL, t.turn NULLS LAST, m.name
    LIMIT ${limit + 1}`;
  const truncated = rows.length > limit;
  const metrics = rows.slice(0, limit);
  const values =
    metrics.length === 0
      ? []
      : await db().$queryRaw<Array<{ metric: string; scope: string; key: string; value: string; n: number }>>`
      SELECT metric, scope, key, value, n::int AS n FROM (
        SELECT metric, scope, key, value,
               row_number() OVER (PARTITION BY metric, scope, key ORDER BY last_seen_at DESC, value) AS rank,
               count(*) OVER (PARTITION BY metric, scope, key) AS n
        FROM otel_attribute_values WHERE metric = ANY(${metrics.map((m) => m.name)}::text[])
      ) ranked
      WHERE rank <= ${VALUES_SHOWN + 1}
      ORDER BY metric, scope, key, rank`;
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

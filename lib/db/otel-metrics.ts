import type { CatalogMetric } from '../sources/otel/plan';
import { db } from './client';
import type { OtelMetric as MetricRow } from './generated/client';

// The catalogue of metrics received over OTLP: names, types, bounds, attribute values and the tokens that sent them.

/** The catalogue's entry for a metric received over OTLP; null when none was received (or it was forgotten). */
export function findOtelMetric(name: string): Promise<MetricRow | null> {
  return db().otelMetric.findUnique({ where: { name } });
}

/** The names the token has put in the catalogue and sent since `since`. */
export async function listTokenMetricNames(tokenId: string, since: Date): Promise<string[]> {
  const rows = await db().$queryRaw<Array<{ metric: string }>>`
    SELECT metric FROM otel_metric_tokens WHERE token_id = ${tokenId}::uuid AND last_seen_at >= ${since.toISOString()}::timestamptz`;
  return rows.map((r) => r.metric);
}

const arrayLiteral = (values: readonly number[]) => `{${values.map((v) => (Number.isFinite(v) ? String(v) : `"${v}"`)).join(',')}}`;

/** Adds the metrics to the catalogue, or updates their entries (bounds are kept when a point carries none). */
export async function upsertOtelMetrics(metrics: readonly CatalogMetric[], now: Date): Promise<void> {
  await db().$executeRaw`
      INSERT INTO otel_metrics (name, type, unit, description, temporality, monotonic, bounds, last_seen_at)
      SELECT u.n, u.ty, u.un, u.d, u.te, u.mo, u.b::float8[], ${now.toISOString()}::timestamptz
      FROM unnest(
        ${metrics.map((m) => m.name)}::text[], ${metrics.map((m) => m.type)}::text[], ${metrics.map((m) => m.unit)}::text[],
        ${metrics.map((m) => m.description.slice(0, 1000))}::text[], ${metrics.map((m) => m.temporality)}::text[],
        ${metrics.map((m) => m.monotonic)}::boolean[], ${metrics.map((m) => arrayLiteral(m.bounds))}::text[]
      ) AS u(n, ty, un, d, te, mo, b)
      ORDER BY u.n
      ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type, unit = EXCLUDED.unit, description = EXCLUDED.description,
        temporality = EXCLUDED.temporality, monotonic = EXCLUDED.monotonic,
        bounds = CASE WHEN cardinality(EXCLUDED.bounds) > 0 THEN EXCLUDED.bounds ELSE otel_metrics.bounds END,
        last_seen_at = EXCLUDED.last_seen_at`;
}

/** Records that the token sent these metric names (only while the token exists). */
export async function upsertMetricTokens(tokenId: string, links: readonly string[], now: Date): Promise<void> {
  await db().$executeRaw`
      INSERT INTO otel_metric_tokens (token_id, metric, last_seen_at)
      SELECT ${tokenId}::uuid, u.m, ${now.toISOString()}::timestamptz FROM unnest(${links}::text[]) AS u(m)
      WHERE EXISTS (SELECT 1 FROM api_tokens WHERE id = ${tokenId}::uuid)
      ORDER BY u.m
      ON CONFLICT (token_id, metric) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`;
}

/** Records attribute values seen, in the order given (callers sort them, so concurrent writers take rows in one order). */
export async function upsertAttributeValues(values: ReadonlyArray<{ metric: string; scope: string; key: string; value: string }>, now: Date): Promise<void> {
  await db().$executeRaw`
      INSERT INTO otel_attribute_values (metric, scope, key, value, last_seen_at)
      SELECT u.m, u.s, u.k, u.v, ${now.toISOString()}::timestamptz
      FROM unnest(${values.map((v) => v.metric)}::text[], ${values.map((v) => v.scope)}::text[], ${values.map((v) => v.key)}::text[], ${values.map((v) => v.value)}::text[]) AS u(m, s, k, v)
      ON CONFLICT (metric, scope, key, value) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`;
}

/** A catalogue entry with how many SLOs read it. */
export interface CatalogRow {
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
 * Catalogue entries matching `q` (a substring, any case) or exactly `name`, at most `limit` + 1 (so the caller can
 * tell there are more): metrics SLOs read first, then the ingest tokens' names taking turns, then names no token is
 * recorded for.
 */
export async function listCatalogMetrics({ q, name, limit }: { q: string; name: string | null; limit: number }): Promise<CatalogRow[]> {
  const rows = await db().$queryRaw<CatalogRow[]>`
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
  return rows;
}

/** Per metric, scope and key, the `perKey` most recently seen values, with how many the catalogue holds. */
export function listAttributeValues(metrics: ReadonlyArray<{ name: string }>, perKey: number) {
  return db().$queryRaw<Array<{ metric: string; scope: string; key: string; value: string; n: number }>>`
      SELECT metric, scope, key, value, n::int AS n FROM (
        SELECT metric, scope, key, value,
               row_number() OVER (PARTITION BY metric, scope, key ORDER BY last_seen_at DESC, value) AS rank,
               count(*) OVER (PARTITION BY metric, scope, key) AS n
        FROM otel_attribute_values WHERE metric = ANY(${metrics.map((m) => m.name)}::text[])
      ) ranked
      WHERE rank <= ${perKey + 1}
      ORDER BY metric, scope, key, rank`;
}

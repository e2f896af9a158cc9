import { listTokenMetricNames, upsertAttributeValues, upsertMetricTokens, upsertOtelMetrics } from '../../db/otel-metrics';
import { env } from '../../env';
import type { CatalogMetric } from '../../sources/otel/plan';
import { catalogWritten, tokenNames, valuesPerKey } from './catalog-memory';

// The metric catalogue the SLO form lists: what each token has sent, throttled per process (catalog-memory.ts).

const MINUTE_MS = 60_000;
/** A catalog entry is written again at most this often per process. */
export const CATALOG_EVERY_MS = 60_000;
/** Values remembered per metric attribute key; beyond it a key is high-cardinality and no new values are kept. */
const CATALOG_VALUES_PER_KEY = 200;
/** Catalogue rows not seen for this long are forgotten (lib/use-cases/ingest/maintain-otel.ts): they no longer count. */
const CATALOG_KEPT_MS = 7 * 1440 * MINUTE_MS;

async function namesOf(tokenId: string, t: number): Promise<Set<string>> {
  const known = tokenNames.get(tokenId);
  if (known && t - known.loadedAt < CATALOG_EVERY_MS) return known.names;
  // Names this process admitted since are in the database already: they were written when admitted.
  const names = new Set(await listTokenMetricNames(tokenId, new Date(t - CATALOG_KEPT_MS)));
  if (tokenNames.size > 10_000) tokenNames.clear();
  tokenNames.set(tokenId, { names, loadedAt: t });
  return names;
}

/**
 * Metric names, types, bounds and attribute values seen, for the SLO form; throttled per process. Each token may
 * add UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN names (about: processes count apart between reads) and that many values
 * per attribute key: its further new names are left out and returned, so one token's junk cannot bury the others'.
 */
export async function recordCatalog(catalog: ReadonlyMap<string, CatalogMetric>, tokenId: string, now: Date): Promise<{ notCatalogued: string[] }> {
  const t = now.getTime();
  if (catalog.size === 0) return { notCatalogued: [] };
  const fresh = (key: string) => {
    const last = catalogWritten.get(key);
    if (last !== undefined && t - last < CATALOG_EVERY_MS) return false;
    if (catalogWritten.size > 100_000) catalogWritten.clear();
    catalogWritten.set(key, t);
    return true;
  };
  const limit = env().UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
  const names = await namesOf(tokenId, t);
  const admitted: CatalogMetric[] = [];
  const notCatalogued: string[] = [];
  for (const m of catalog.values()) {
    if (names.has(m.name) || names.size < limit) {
      names.add(m.name);
      admitted.push(m);
    } else notCatalogued.push(m.name);
  }
  const links = admitted.filter((m) => fresh(`t\u0000${tokenId}\u0000${m.name}`)).map((m) => m.name);
  const metrics = admitted.filter((m) => fresh(`m\u0000${m.name}\u0000${m.type}\u0000${m.bounds.join(',')}`));
  const values: Array<{ metric: string; scope: string; key: string; value: string }> = [];
  for (const m of admitted) {
    for (const [scopedKey, set] of m.attributes) {
      const [scope, key] = scopedKey.split('\u0000') as [string, string];
      const perKey = `${tokenId}\u0000${m.name}\u0000${scopedKey}`;
      for (const value of set) {
        const id = `v\u0000${m.name}\u0000${scopedKey}\u0000${value}`;
        if (!catalogWritten.has(id)) {
          const n = valuesPerKey.get(perKey) ?? 0;
          if (n >= CATALOG_VALUES_PER_KEY) continue; // high cardinality: keep what is known, add nothing
          if (valuesPerKey.size > 100_000) valuesPerKey.clear();
          valuesPerKey.set(perKey, n + 1);
        }
        if (fresh(id)) values.push({ metric: m.name, scope, key, value });
      }
    }
  }
  if (metrics.length > 0) await upsertOtelMetrics(metrics, now);
  if (links.length > 0) await upsertMetricTokens(tokenId, links, now);
  if (values.length > 0) {
    values.sort((a, b) => (a.metric + a.scope + a.key + a.value < b.metric + b.scope + b.key + b.value ? -1 : 1));
    await upsertAttributeValues(values, now);
  }
  return { notCatalogued };
}

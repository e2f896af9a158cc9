import type { FedSlo, IngestBinding } from '../../auth/ingest-binding';
import { env } from '../../env';
import { log } from '../../log';
import type { MetricsRequest } from '../../otlp/model';
import { planIngest, type AppliedPlan } from '../../sources/otel/plan';
import { bindingOptions } from './binding-options';
import { catalogCollected } from './catalog-memory';
import { CATALOG_EVERY_MS, recordCatalog } from './metric-catalog';
import { sloIndex } from './otel-slo-index';
import { feedsOf, storeSeries, withRetry } from './series-store';

// OTLP ingest: which SLOs the points feed (otel-slo-index.ts), whether the token may feed them (binding-options.ts),
// the series states and buckets they change (series-store.ts), and the metric catalogue (metric-catalog.ts).

export interface IngestResult {
  /** Points counted, or recognised as already counted. */
  accepted: number;
  /** Points refused; `errorMessage` says why. */
  rejected: number;
  /** Points of metrics (or series) no SLO reads: not stored. */
  dropped: number;
  duplicates: number;
  /** Minute buckets added to. */
  buckets: number;
  /** Why points were refused, and warnings (metric names left out of the catalogue); '' when all is well. */
  errorMessage: string;
  /** SLOs the token may not feed that these points were for ("service/slo"), with the points refused. */
  refusedSlos: Array<{ slo: string; points: number }>;
  /** New metric names left out of the catalogue: the token has added as many as one may. */
  notCatalogued: number;
}

/**
 * Ingests one decoded OTLP metrics request sent with a token bound as `binding`: every increase it carries lands,
 * once, in the one-minute good/total buckets of the SLOs that read it and the token may feed; points for SLOs it
 * may not feed are refused with the reason. One transaction: a request is stored whole or not at all.
 * Throws IngestLimitError (from planIngest) when the request is over a limit.
 */
export async function ingestOtlp(request: MetricsRequest, binding: IngestBinding, now = new Date()): Promise<IngestResult> {
  const t = now.getTime();
  const decided = new Map<string, boolean>();
  // Every attribute value of a metric and resource is collected for the catalogue once a minute (and those of
  // series new to this process at once): collecting them on every request costs per point.
  const catalogDue = (metric: string, resourceKey: string) => {
    const key = `${metric}\u0000${resourceKey}`;
    let due = decided.get(key);
    if (due === undefined) {
      const last = catalogCollected.get(key);
      due = last === undefined || t - last >= CATALOG_EVERY_MS;
      if (due) {
        if (catalogCollected.size > 100_000) catalogCollected.clear();
        catalogCollected.set(key, t);
      }
      decided.set(key, due);
    }
    return due;
  };
  const index = await sloIndex(t);
  const plan = planIngest(request, index, now, { catalogDue, ...bindingOptions(binding) });
  let applied: Pick<AppliedPlan, 'increases' | 'duplicates' | 'rejected'> = { increases: [], duplicates: 0, rejected: new Map() };
  if (plan.series.length > 0) applied = await withRetry(() => storeSeries(plan, feedsOf(plan, binding.tokenId), now));
  const catalogued = await recordCatalog(plan.catalog, binding.tokenId, now).catch((error: unknown) => {
    log.warn('ingest.catalog_failed', { error });
    return { notCatalogued: [] as string[] };
  });
  const reasons = new Map(plan.rejected);
  for (const [reason, n] of applied.rejected) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  const lateRejected = [...applied.rejected.values()].reduce((a, b) => a + b, 0);
  const messages = [...reasons].map(([reason, n]) => `${n} point${n === 1 ? '' : 's'}: ${reason}`);
  const skipped = catalogued.notCatalogued;
  if (skipped.length > 0) {
    // A warning (OTLP: partial success with 0 rejected): the points themselves were taken.
    const limit = env().UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN;
    const some = skipped
      .slice(0, 3)
      .map((name) => JSON.stringify(name.slice(0, 100)))
      .join(', ');
    messages.push(
      `${skipped.length} metric name${skipped.length === 1 ? '' : 's'} (${some}${skipped.length > 3 ? ', …' : ''}) not added to the catalogue the SLO form lists: token ${JSON.stringify(binding.tokenName)} has added ${limit} names, as many as one token may (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN); points for SLOs still count`,
    );
  }
  const slos = plan.refused.size > 0 ? new Map([...index.values()].flat().map((slo) => [slo.sloId, slo.fed])) : new Map<string, FedSlo>();
  return {
    accepted: plan.accepted - lateRejected,
    rejected: plan.rejectedPoints + lateRejected,
    dropped: plan.dropped,
    duplicates: applied.duplicates,
    buckets: applied.increases.length,
    errorMessage: messages.join('; '),
    refusedSlos: [...plan.refused].map(([id, r]) => {
      const fed = slos.get(id);
      return { slo: fed ? `${fed.service}/${fed.slo}` : id, points: r.points };
    }),
    notCatalogued: skipped.length,
  };
}

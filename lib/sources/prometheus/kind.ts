import { NotFoundError, UnprocessableError } from '../../errors';
import type { PrometheusSli } from '../../schemas';
import type { BatchGroup, GroupGapCarrier, SourceDeps, SourceKind } from '../types';
import { PrometheusError } from './client';
import { fetchGroupedMinuteBuckets, planGroups, type SliGroup } from './grouped';
import { createPrometheusSource, listHistogramBoundaries, previewSli } from './prometheus-source';
import { formatBoundary } from './promql';

/** Counters or a histogram read from a Prometheus-compatible backend: one data source per SLI, read by the evaluator. */
export const prometheusKind: SourceKind<PrometheusSli> = {
  kind: 'prometheus',
  describe: { label: 'Prometheus', help: 'Counters or a histogram from Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics.' },
  pushed: false,
  /**
   * The data source exists, and a latency threshold is one of the histogram's bucket boundaries. When the
   * backend cannot be asked, the SLO is still saved: its evaluation shows the fault.
   */
  async validate(sli, context) {
    const datasource = await context.prometheusDataSource(sli.datasource).catch((error: unknown) => {
      if (error instanceof NotFoundError) {
        throw new UnprocessableError(`Data source "${sli.datasource}" does not exist`, { 'sli.datasource': 'no such data source' });
      }
      throw error;
    });
    if (sli.kind !== 'latency') return;
    let boundaries: number[];
    try {
      boundaries = await listHistogramBoundaries(datasource.client(), sli.metric, sli.filters);
    } catch (error) {
      if (error instanceof PrometheusError && (error.kind === 'unreachable' || error.kind === 'timeout')) return;
      throw error;
    }
    if (boundaries.length === 0) {
      throw new UnprocessableError(`No ${sli.metric}_bucket series match these filters in the last day`, {
        'sli.metric': `no ${sli.metric}_bucket series found with these filters`,
      });
    }
    // +Inf is a boundary but never a threshold (and |Inf - t| <= 1e-9 x Inf would match anything).
    if (!boundaries.some((b) => Number.isFinite(b) && Math.abs(b - sli.thresholdSeconds) <= 1e-9 * Math.max(1, b))) {
      const list = boundaries.map(formatBoundary).join(', ');
      throw new UnprocessableError(`${sli.thresholdSeconds} s is not a bucket boundary of ${sli.metric}`, {
        'sli.thresholdSeconds': `must be an existing bucket boundary: ${list}`,
      });
    }
  },
  evaluate: (deps) => createPrometheusSource(deps.prometheusClient),
  // SLIs differing only in one label's value: one query per side per group (grouped.ts). Advanced PromQL goes alone.
  evaluateBatch: {
    poolOf: (sli) => (sli.kind === 'advanced' ? null : sli.datasource),
    plan: (items) => planGroups(items),
    async read<K extends { id: string }>(
      group: BatchGroup<K>,
      range: { from: Date; to: Date },
      deps: SourceDeps,
      since: (key: K) => Date,
      carry: GroupGapCarrier,
    ) {
      const client = await deps.prometheusClient(group.datasource);
      const sliGroup = group as SliGroup<K>; // as plan() made it
      const read = await fetchGroupedMinuteBuckets(client, sliGroup, range);
      return carry(client, sliGroup, read, range, since);
    },
  },
  backfill() {},
  async preview(sli, at, deps) {
    try {
      const preview = await previewSli(await deps.prometheusClient(sli.datasource), sli, at);
      return {
        ok: true,
        preview: {
          at: preview.at.toISOString(),
          good: preview.good,
          total: preview.total,
          sliLastHour: preview.sliLastHour,
          sliLastDay: preview.sliLastDay,
          sparkline: preview.sparkline.map((p) => ({ t: p.time.toISOString(), sli: p.sli })),
        },
      };
    } catch (error) {
      if (error instanceof PrometheusError) return { ok: false, error: { kind: error.kind, message: error.message } };
      if (error instanceof NotFoundError) return { ok: false, error: { kind: 'datasource_missing', message: error.message } };
      throw error;
    }
  },
  datasourceOf: (sli) => sli.datasource,
};

import { NotFoundError, UnprocessableError } from '../../errors';
import type { OtelSli, SliSpec } from '../../schemas/index';
import { findOtelMetric } from '../../db/otel-metrics';
import { PrometheusError } from '../../sources/prometheus/client';
import { formatBoundary } from '../../sources/prometheus/promql';
import { listHistogramBoundaries } from '../../sources/prometheus/prometheus-source';
import { findDataSourceRow, prometheusClientFor } from '../datasources/data-source-records';

/**
 * Checks what the schema cannot: the data source exists, and a latency threshold is one of the histogram's
 * bucket boundaries. When the backend cannot be asked, the SLO is still saved: its evaluation shows the fault.
 */
export async function validateSli(sli: SliSpec): Promise<void> {
  if (sli.source === 'otel') return validateOtelSli(sli);
  if (sli.source !== 'prometheus') return;
  const row = await findDataSourceRow(sli.datasource).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      throw new UnprocessableError(`Data source "${sli.datasource}" does not exist`, { 'sli.datasource': 'no such data source' });
    }
    throw error;
  });
  if (sli.kind !== 'latency') return;
  let boundaries: number[];
  try {
    boundaries = await listHistogramBoundaries(prometheusClientFor(row), sli.metric, sli.filters);
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
}

/**
 * Against what Umpire has received: a metric it has never seen is allowed (the service may not have sent it
 * yet), but one it knows to be unusable (a gauge; a latency condition on a non-histogram) is not.
 */
async function validateOtelSli(sli: OtelSli): Promise<void> {
  const known = await findOtelMetric(sli.metric);
  if (!known) return;
  const usable = (known.type === 'sum' && known.monotonic) || known.type === 'histogram' || known.type === 'exponential_histogram';
  if (!usable) {
    const what = known.type === 'sum' ? 'a non-monotonic sum' : `a ${known.type}`;
    throw new UnprocessableError(`${sli.metric} is ${what}`, {
      'sli.metric': `is ${what}: SLIs count events from monotonic sums and histograms`,
    });
  }
  const latencyAt = sli.good.findIndex((c) => c.kind === 'latency');
  if (latencyAt < 0) return;
  if (known.type !== 'histogram') {
    throw new UnprocessableError(`${sli.metric} is not an explicit-bucket histogram`, {
      [`sli.good.${latencyAt}.threshold`]: 'a latency condition needs an explicit-bucket histogram',
    });
  }
  // Bounds are not checked here: services sending the same metric may bucket it differently. Points whose
  // bounds lack the threshold are refused at ingest, with the reason in the OTLP response.
}

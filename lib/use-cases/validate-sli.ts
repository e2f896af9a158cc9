import { NotFoundError, UnprocessableError } from '../errors';
import type { SliSpec } from '../schemas';
import { PrometheusError } from '../sources/prometheus/client';
import { formatBoundary } from '../sources/prometheus/promql';
import { listHistogramBoundaries } from '../sources/prometheus/prometheus-source';
import { findDataSourceRow, prometheusClientFor } from './data-source-records';

/**
 * Checks what the schema cannot: the data source exists, and a latency threshold is one of the histogram's
 * bucket boundaries. When the backend cannot be asked, the SLO is still saved: its evaluation shows the fault.
 */
export async function validateSli(sli: SliSpec): Promise<void> {
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

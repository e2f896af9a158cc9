import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { OtelMetricSummary } from '@/lib/schemas';
import { apiRequest } from './api';

export const otelKeys = {
  all: ['otel'] as const,
  metrics: () => [...otelKeys.all, 'metrics'] as const,
};

const OtelMetricList = z.object({ metrics: z.array(OtelMetricSummary) });

/** The metrics Umpire has received over OTLP recently, with attribute keys and recent values. */
export const listOtelMetrics = (signal?: AbortSignal) => apiRequest('/api/v1/otel/metrics', OtelMetricList, { signal }).then((body) => body.metrics);

/** While nothing has arrived, the catalog is asked again every 15 s: an exporter being set up shows up on its own. */
export const OTEL_EMPTY_REFETCH_MS = 15_000;

export function otelMetricsOptions() {
  return queryOptions({
    queryKey: otelKeys.metrics(),
    queryFn: ({ signal }) => listOtelMetrics(signal),
    staleTime: 15_000,
    refetchInterval: (query) => (query.state.data === undefined || query.state.data.length === 0 ? OTEL_EMPTY_REFETCH_MS : 60_000),
  });
}

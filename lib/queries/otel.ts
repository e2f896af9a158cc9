import { queryOptions } from '@tanstack/react-query';
import { OtelMetricList } from '@/lib/schemas';
import { apiRequest } from './api';

/** Which part of the catalogue: the first page (nothing), names containing `q`, or one metric by `name`. */
export interface OtelMetricSearch {
  q?: string;
  name?: string;
}

export const otelKeys = {
  all: ['otel'] as const,
  metrics: (search: OtelMetricSearch = {}) => [...otelKeys.all, 'metrics', search.q ?? '', search.name ?? ''] as const,
};

/** The metrics Umpire has received over OTLP recently (those SLOs read first), with attribute keys and recent values. */
export const listOtelMetrics = (search: OtelMetricSearch = {}, signal?: AbortSignal) => {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.name) params.set('name', search.name);
  const qs = params.toString();
  return apiRequest(`/api/v1/otel/metrics${qs ? `?${qs}` : ''}`, OtelMetricList, { signal });
};

/** While nothing has arrived, the catalog is asked again every 15 s: an exporter being set up shows up on its own. */
export const OTEL_EMPTY_REFETCH_MS = 15_000;

export function otelMetricsOptions(search: OtelMetricSearch = {}) {
  return queryOptions({
    queryKey: otelKeys.metrics(search),
    queryFn: ({ signal }) => listOtelMetrics(search, signal),
    staleTime: 15_000,
    refetchInterval: (query) => (query.state.data === undefined || query.state.data.metrics.length === 0 ? OTEL_EMPTY_REFETCH_MS : 60_000),
  });
}

'use client';

import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { OtelMetricList, OtelMetricSummary } from '@/lib/schemas';
import { otelMetricsOptions } from '@/lib/queries/otel';

export interface OtelCatalog {
  /** The first page, with the metric named in the draft added when it lies beyond it; undefined while loading. */
  catalog: OtelMetricSummary[] | undefined;
  /** More metrics were received than the first page holds. */
  truncated: boolean;
  /** The metrics to offer for `search`: the first page filtered here, or (truncated) the server's answer. */
  shown: OtelMetricSummary[];
  /** The first page's query: loading, failed, refetching. */
  page: UseQueryResult<OtelMetricList>;
}

/**
 * What the SLO form knows of the metrics received: the catalogue's first page (metrics SLOs read first, then each
 * ingest token's in turn), the draft's metric looked up by name when it is not on it, and, when the catalogue is
 * longer than a page, a search asked of the server. One cache entry per question, shared by every caller.
 */
export function useOtelCatalog({ metric, search = '', enabled = true }: { metric: string; search?: string; enabled?: boolean }): OtelCatalog {
  const page = useQuery({ ...otelMetricsOptions(), enabled });
  const listed = page.data?.metrics;
  const truncated = page.data?.truncated === true;
  const name = metric.trim();
  const missing = enabled && truncated && name !== '' && listed !== undefined && !listed.some((m) => m.name === name);
  const named = useQuery({ ...otelMetricsOptions({ name }), enabled: missing });
  const needle = search.trim();
  const searched = useQuery({ ...otelMetricsOptions({ q: needle }), enabled: enabled && truncated && needle !== '', placeholderData: keepPreviousData });
  const extra = missing ? (named.data?.metrics ?? []) : [];
  const catalog = listed ? [...listed, ...extra] : undefined;
  const lower = needle.toLowerCase();
  const local = (catalog ?? []).filter((m) => lower === '' || m.name.toLowerCase().includes(lower) || m.name === name);
  const shown =
    truncated && needle !== '' && searched.data
      ? [...searched.data.metrics, ...local.filter((m) => !searched.data.metrics.some((s) => s.name === m.name))]
      : local;
  return { catalog, truncated, shown, page };
}

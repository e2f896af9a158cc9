import { queryOptions } from '@tanstack/react-query';
import { SloFeeders, SloSeries, SloStatus } from '@/lib/schemas';
import { apiRequest } from './api';

/** The SLO page's time ranges; each step keeps a chart at or under ~500 points (the API allows 2,000). */
export const TIME_RANGES = {
  '1h': { label: '1 hour', seconds: 3600, step: 60 },
  '6h': { label: '6 hours', seconds: 6 * 3600, step: 60 },
  '24h': { label: '24 hours', seconds: 86_400, step: 300 },
  '7d': { label: '7 days', seconds: 7 * 86_400, step: 1800 },
  '30d': { label: '30 days', seconds: 30 * 86_400, step: 7200 },
  '90d': { label: '90 days', seconds: 90 * 86_400, step: 21_600 },
} as const;
export type TimeRange = keyof typeof TIME_RANGES;
export const DEFAULT_RANGE: TimeRange = '7d';
export const RANGE_KEYS = Object.keys(TIME_RANGES) as TimeRange[];

/** A ?range= value, or the default for anything else (an old link, a typo). */
export function parseRange(value: string | null | undefined): TimeRange {
  return value !== null && value !== undefined && value in TIME_RANGES ? (value as TimeRange) : DEFAULT_RANGE;
}

/** Polling interval of the SLO page: buckets are one minute, so faster polling shows nothing new. */
export const SLO_REFETCH_MS = 60_000;
/** While a new SLO waits for its first evaluation or fills its history, its status changes every few seconds. */
export const BACKFILL_REFETCH_MS = 5_000;

export const sloKeys = {
  all: ['slo'] as const,
  detail: (service: string, slo: string) => [...sloKeys.all, service, slo] as const,
  status: (service: string, slo: string) => [...sloKeys.detail(service, slo), 'status'] as const,
  // The range is part of the key: a 7-day series must never be served from the 1-hour entry.
  series: (service: string, slo: string, range: TimeRange) => [...sloKeys.detail(service, slo), 'series', range] as const,
  feeders: (service: string, slo: string) => [...sloKeys.detail(service, slo), 'feeders'] as const,
};

function sloPath(service: string, slo: string): string {
  return `/api/v1/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;
}

/**
 * The series window for a range, ending at the last whole minute before `now`: points fall on step edges, and the
 * series ends with a point for the minutes since the last one (a young SLO's only data), as the status has them.
 */
export function seriesWindow(range: TimeRange, now: number): { from: Date; to: Date; step: number } {
  const { seconds, step } = TIME_RANGES[range];
  const to = Math.floor(now / 60_000) * 60_000;
  return { from: new Date(to - seconds * 1000), to: new Date(to), step };
}

export function sloStatusOptions(service: string, slo: string) {
  return queryOptions({
    queryKey: sloKeys.status(service, slo),
    queryFn: ({ signal }) => apiRequest(`${sloPath(service, slo)}/status`, SloStatus, { signal }),
    // While history is being filled the progress moves every few seconds; otherwise buckets are per minute.
    refetchInterval: (query) => {
      const evaluation = query.state.data?.evaluation;
      const backfilling = (evaluation?.backfill != null && evaluation.backfill.progress < 1) || (evaluation?.reread != null && evaluation.reread.progress < 1);
      const awaitingFirstPass = evaluation?.lastSuccessAt === null && evaluation.lastError === null;
      return backfilling || awaitingFirstPass ? BACKFILL_REFETCH_MS : SLO_REFETCH_MS;
    },
    staleTime: 30_000,
  });
}

export function sloSeriesOptions(service: string, slo: string, range: TimeRange) {
  return queryOptions({
    queryKey: sloKeys.series(service, slo, range),
    queryFn: ({ signal }) => {
      const { from, to, step } = seriesWindow(range, Date.now());
      const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), step: String(step) });
      return apiRequest(`${sloPath(service, slo)}/series?${query}`, SloSeries, { signal });
    },
    refetchInterval: SLO_REFETCH_MS,
    staleTime: 30_000,
  });
}

/** The ingest tokens that fed an OpenTelemetry SLO lately: asked with the status, every minute. */
export function sloFeedersOptions(service: string, slo: string) {
  return queryOptions({
    queryKey: sloKeys.feeders(service, slo),
    queryFn: ({ signal }) => apiRequest(`${sloPath(service, slo)}/feeders`, SloFeeders, { signal }),
    refetchInterval: SLO_REFETCH_MS,
    staleTime: 30_000,
  });
}

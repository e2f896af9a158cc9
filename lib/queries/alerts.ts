import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AlertEvent, type AlertQuery } from '@/lib/schemas';
import { apiRequest } from './api';

/** Alerts change at most once per evaluator pass (each minute): twice a minute shows a change within half a pass. */
export const ALERTS_REFETCH_MS = 30_000;

/** What a list of alerts is filtered by; the filters are part of every key. */
export interface AlertFilter {
  state: AlertQuery['state'];
  service?: string;
  team?: string;
  limit?: number;
}

/** Whose alert timeline: one SLO's (its alert history) or a whole service's, across its SLOs. */
export type AlertTimelineScope = { service: string; slo: string } | { service: string };

/** The service page lists this many of the service's latest events. */
export const SERVICE_TIMELINE_LIMIT = 50;

type AlertKey = readonly (string | number)[];

export const alertKeys = {
  all: ['alerts'] as const,
  list: (filter: AlertFilter): AlertKey => [...alertKeys.all, 'list', filter.state, filter.service ?? '', filter.team ?? '', filter.limit ?? 100],
  slo: (service: string, slo: string): AlertKey => [...alertKeys.all, 'slo', service, slo],
};

export const AlertList = z.object({ alerts: z.array(AlertEvent) });

/** The URL GET /api/v1/alerts answers a filter at. */
export function alertsUrl(filter: AlertFilter): string {
  const query = new URLSearchParams({ state: filter.state });
  if (filter.service) query.set('service', filter.service);
  if (filter.team) query.set('team', filter.team);
  if (filter.limit) query.set('limit', String(filter.limit));
  return `/api/v1/alerts?${query}`;
}

function alertListOptions(queryKey: AlertKey, url: string) {
  return queryOptions({
    queryKey,
    queryFn: async ({ signal }) => (await apiRequest(url, AlertList, { signal })).alerts,
    refetchInterval: ALERTS_REFETCH_MS,
    staleTime: 15_000,
  });
}

/** Alerts across services (the Firing now page). */
export function alertsOptions(filter: AlertFilter) {
  return alertListOptions(alertKeys.list(filter), alertsUrl(filter));
}

/** One SLO's alert events, newest first: its alert history. */
export function sloAlertsOptions(service: string, slo: string) {
  return alertListOptions(alertKeys.slo(service, slo), `/api/v1/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}/alerts`);
}

/** A timeline's events, newest first: GET .../slos/{slo}/alerts, or GET /api/v1/alerts?service=…&state=all. */
export function alertTimelineOptions(scope: AlertTimelineScope) {
  if ('slo' in scope) return sloAlertsOptions(scope.service, scope.slo);
  return alertsOptions({ state: 'all', service: scope.service, limit: SERVICE_TIMELINE_LIMIT });
}

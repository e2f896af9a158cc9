import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { Deployment, GateEvaluation, GateOverrideView, GatePreview, Policy, type GateOverrideInput, type PolicyInput } from '@/lib/schemas';
import { apiRequest } from './api';
import { TIME_RANGES, type TimeRange } from './slo';

const servicePath = (service: string) => `/api/v1/services/${encodeURIComponent(service)}`;
const defaultPolicyPath = '/api/v1/policies/default';

/** Whose policy an editor edits: the organisation default, or one service's own. */
export type PolicyScope = { kind: 'default' } | { kind: 'service'; service: string };

/** The deploy ledger on the service page looks this far back. */
export const LEDGER_RANGE_SECONDS = 7 * 86_400;

/** The gate answers from minute buckets: polling faster than this shows nothing new. */
export const GATE_REFETCH_MS = 60_000;

export const gateKeys = {
  all: ['gate'] as const,
  service: (service: string) => [...gateKeys.all, service] as const,
  status: (service: string) => [...gateKeys.service(service), 'status'] as const,
  evaluations: (service: string) => [...gateKeys.service(service), 'evaluations'] as const,
  overrides: (service: string) => [...gateKeys.service(service), 'overrides'] as const,
  policy: (scope: PolicyScope) =>
    scope.kind === 'default' ? ([...gateKeys.all, 'policy', 'default'] as const) : ([...gateKeys.service(scope.service), 'policy'] as const),
  // The draft is part of the key: a preview of one draft must never be shown for another.
  preview: (service: string, draft: string) => [...gateKeys.service(service), 'preview', draft] as const,
  // The range is part of the key, as with the series: a 7-day list must never answer for the 1-hour charts.
  deployments: (service: string, range: TimeRange | 'ledger') => [...gateKeys.service(service), 'deployments', range] as const,
};

const EvaluationList = z.object({ evaluations: z.array(GateEvaluation) });
const OverrideList = z.object({ overrides: z.array(GateOverrideView) });
const DeploymentList = z.object({ deployments: z.array(Deployment) });

export function gateStatusOptions(service: string) {
  return queryOptions({
    queryKey: gateKeys.status(service),
    queryFn: ({ signal }) => apiRequest(`${servicePath(service)}/gate/status`, GatePreview, { signal }),
    refetchInterval: GATE_REFETCH_MS,
    staleTime: 30_000,
  });
}

export function gateEvaluationsOptions(service: string, limit = 20) {
  return queryOptions({
    queryKey: [...gateKeys.evaluations(service), limit] as const,
    queryFn: ({ signal }) => apiRequest(`${servicePath(service)}/gate/evaluations?limit=${limit}`, EvaluationList, { signal }).then((body) => body.evaluations),
    refetchInterval: GATE_REFETCH_MS,
    staleTime: 30_000,
  });
}

export function gateOverridesOptions(service: string) {
  return queryOptions({
    queryKey: gateKeys.overrides(service),
    queryFn: ({ signal }) => apiRequest(`${servicePath(service)}/gate/overrides`, OverrideList, { signal }).then((body) => body.overrides),
    staleTime: 30_000,
  });
}

/** Deployments from `seconds` before now until now, newest first. */
function listDeployments(service: string, seconds: number, signal?: AbortSignal) {
  const to = Date.now();
  const query = new URLSearchParams({ from: new Date(to - seconds * 1000).toISOString(), to: new Date(to).toISOString() });
  return apiRequest(`${servicePath(service)}/deployments?${query}`, DeploymentList, { signal }).then((body) => body.deployments);
}

/** The ledger: the last week's deploys with their budget impact ("pending" turns into a verdict an hour on). */
export function deployLedgerOptions(service: string) {
  return queryOptions({
    queryKey: gateKeys.deployments(service, 'ledger'),
    queryFn: ({ signal }) => listDeployments(service, LEDGER_RANGE_SECONDS, signal),
    refetchInterval: GATE_REFETCH_MS,
    staleTime: 30_000,
  });
}

/** The deploys within an SLO chart's range, for its markers. */
export function chartDeploymentsOptions(service: string, range: TimeRange) {
  return queryOptions({
    queryKey: gateKeys.deployments(service, range),
    queryFn: ({ signal }) => listDeployments(service, TIME_RANGES[range].seconds, signal),
    refetchInterval: GATE_REFETCH_MS,
    staleTime: 30_000,
  });
}

function policyPath(scope: PolicyScope): string {
  return scope.kind === 'default' ? defaultPolicyPath : `${servicePath(scope.service)}/policy`;
}

/** The default's own policy (or the built-in), or the policy in effect for a service (its own, the default, or the built-in). */
export function policyOptions(scope: PolicyScope) {
  return queryOptions({
    queryKey: gateKeys.policy(scope),
    queryFn: ({ signal }) => apiRequest(policyPath(scope), Policy, { signal }),
    staleTime: 30_000,
  });
}

export const savePolicy = (scope: PolicyScope, input: PolicyInput) => apiRequest(policyPath(scope), Policy, { method: 'PUT', body: input });

/** For a service: back to the organisation default; for the default: back to the built-in policy. */
export const resetPolicy = (scope: PolicyScope) => apiRequest(policyPath(scope), null, { method: 'DELETE' });

/** What the gate would answer now under this policy; nothing is stored. */
export function policyPreviewOptions(service: string, input: PolicyInput) {
  const body = JSON.stringify(input);
  return queryOptions({
    queryKey: gateKeys.preview(service, body),
    queryFn: ({ signal }) => apiRequest(`${servicePath(service)}/policy/preview`, GatePreview, { method: 'POST', body: input, signal }),
    staleTime: 30_000,
  });
}

export const createOverride = (service: string, input: GateOverrideInput) =>
  apiRequest(`${servicePath(service)}/gate/overrides`, GateOverrideView, { method: 'POST', body: input });

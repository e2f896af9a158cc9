import { createHash } from 'node:crypto';
import { DEFAULT_POLICY_KEY, listPolicies } from '../../db/policies';
import { findServiceStates, sloStamps, upsertServiceStates } from '../../db/service-states';
import { listServiceIds, listServicesWithSlos } from '../../db/services';
import { toSloRecord } from '../../db/slos';
import type { Service as ServiceRow, Slo as SloRow } from '../../db/generated/client';
import { log } from '../../log';
import { Labels, ServiceFigures, type HealthState, type ServiceSummary, type SloStatus } from '../../schemas/index';
import { gateVerdicts } from '../gates/release-gate';
import { currentStatuses } from '../slos/current-status';
import { overviewAnswers } from './overview-cache';
import { toService } from './service-view';

// Each service's overview figures, kept (service_states): after every state step the evaluator summarises each
// service from its SLOs' states, so the overview and GET /api/v1/services read a thousand small rows rather than
// ten thousand SLO statuses. A summary names the definitions it was computed from (inputs: the service, its SLOs
// and the gate policies, each with when it last changed); a reader whose definitions differ (an SLO added, edited
// or deleted since, a policy changed) computes that service from its SLOs' states as before, so an edit shows at
// once, not a pass later. The figures are the same either way: both go through summariseServices.

/** Bumped when what a summary holds or how it is computed changes: older summaries are then computed again. */
const SUMMARY_VERSION = 1;
/** Services summarised per round of queries by the writer. */
const CHUNK = 100;

export function healthOf(statuses: readonly SloStatus[]): HealthState {
  const firing = statuses.flatMap((s) => s.alerts.filter((a) => a.firing));
  if (firing.some((a) => a.severity === 'page')) return 'page';
  if (firing.length > 0) return 'ticket';
  if (statuses.length > 0 && statuses.every((s) => s.dataState === 'no_data')) return 'no_data';
  return 'ok';
}

/** A service's figures from its SLOs' statuses (the gate's verdict is added by summariseServices). */
export function serviceFigures(sloCount: number, statuses: readonly SloStatus[]): Omit<ServiceFigures, 'gate'> {
  // A provisional budget (a new SLO's few minutes) does not stand for the service while a measured one exists.
  const lowest = (candidates: readonly SloStatus[]) => {
    let worst: SloStatus | undefined;
    for (const status of candidates) {
      const remaining = status.errorBudget.remaining;
      if (remaining === null) continue;
      if (!worst || remaining < (worst.errorBudget.remaining ?? Infinity)) worst = status;
    }
    return worst;
  };
  const worst = lowest(statuses.filter((s) => !s.provisional)) ?? lowest(statuses);
  return {
    sloCount,
    worstBudgetRemaining: worst?.errorBudget.remaining ?? null,
    worstSlo: worst?.slo ?? null,
    worstProvisional: worst?.provisional ?? false,
    provisionalSlos: statuses.filter((s) => s.provisional).length,
    health: healthOf(statuses),
    firingAlerts: statuses.reduce((n, s) => n + s.alerts.filter((a) => a.firing).length, 0),
    staleSlos: statuses.filter((s) => s.evaluation.staleSince !== null).length,
    sources: [...new Set(statuses.map((s) => s.source))].sort(),
  };
}

type ServiceWithSlos = ServiceRow & { slos: SloRow[] };

/**
 * The summaries of the given services from their SLOs' current statuses (stored states, live where none serves;
 * everything live with `at`), gate verdicts included; in the order given.
 */
export async function summariseServices(rows: readonly ServiceWithSlos[], options: { now: Date; at?: Date }): Promise<ServiceSummary[]> {
  const figures = await figuresOf(rows, options);
  return rows.map((row, i) => ({ ...toService(row), ...figures[i]! }));
}

async function figuresOf(rows: readonly ServiceWithSlos[], options: { now: Date; at?: Date }): Promise<ServiceFigures[]> {
  const records = rows.flatMap((row) => row.slos.map((slo) => toSloRecord(slo, row.slug)));
  const all = await currentStatuses(records, { now: options.now, at: options.at });
  let next = 0;
  const statuses = rows.map((row) => all.slice(next, (next += row.slos.length)));
  // The gate from the same statuses: no second pass over the buckets.
  const gates = await gateVerdicts(
    rows.map((row, i) => ({
      row,
      statuses: statuses[i]!,
      names: new Map(row.slos.map((slo) => [slo.slug, { name: slo.name, labels: Labels.catch({}).parse(slo.labels) }])),
    })),
  );
  return rows.map((row, i) => ({ ...serviceFigures(row.slos.length, statuses[i]!), gate: gates.get(row.slug) ?? null }));
}

/**
 * The fingerprint of what a service's summary is computed from: the service, its SLOs (`slos`: sloStamps' string,
 * each SLO's id and last change), its own and the default policy.
 */
export function summaryInputs(service: Pick<ServiceRow, 'id' | 'updatedAt'>, slos: string, policies: ReadonlyMap<string, Date>): string {
  const stamp = (at: Date | undefined) => (at ? String(at.getTime()) : '-');
  const parts = [`v${SUMMARY_VERSION}`, service.id, stamp(service.updatedAt), slos, stamp(policies.get(service.id)), stamp(policies.get(DEFAULT_POLICY_KEY))];
  return createHash('sha1').update(parts.join('|')).digest('hex');
}

async function policyStamps(serviceIds: readonly string[]): Promise<Map<string, Date>> {
  const rows = await listPolicies([DEFAULT_POLICY_KEY, ...serviceIds]);
  return new Map(rows.map((p) => [p.key, p.updatedAt]));
}

/**
 * The kept summaries of these services that were computed from their definitions as they are now, and the ids of
 * the services without one (never summarised, or changed since).
 */
export async function storedSummaries(rows: readonly ServiceRow[]): Promise<{ summaries: ServiceSummary[]; missing: string[] }> {
  const ids = rows.map((r) => r.id);
  const [stamps, stored, policies] = await Promise.all([sloStamps(ids), findServiceStates(ids), policyStamps(ids)]);
  const summaries: ServiceSummary[] = [];
  const missing: string[] = [];
  for (const row of rows) {
    const state = stored.get(row.id);
    const parsed = state && state.inputs === summaryInputs(row, stamps.get(row.id) ?? '', policies) ? ServiceFigures.safeParse(state.summary) : null;
    if (parsed?.success) summaries.push({ ...toService(row), ...parsed.data });
    else missing.push(row.id);
  }
  return { summaries, missing };
}

export interface ServiceStatesRun {
  services: number;
  failed: number;
  ms: number;
}

/**
 * After each state step: every service's summary (or those holding the given SLOs) computed from its SLOs' states
 * and kept with the fingerprint of the definitions it was computed from. Never throws; a chunk that fails is logged
 * and its services are computed by the readers meanwhile.
 */
export async function recordServiceStates(options: { sloIds?: readonly string[]; now?: Date } = {}): Promise<ServiceStatesRun> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const services = await listServiceIds(options.sloIds);
  const run: ServiceStatesRun = { services: services.length, failed: 0, ms: 0 };
  for (let i = 0; i < services.length; i += CHUNK) {
    const ids = services.slice(i, i + CHUNK);
    try {
      // The fingerprint's stamps are read before the definitions the figures are computed from: an SLO or policy
      // changed in between leaves a fingerprint older than the definitions, which the readers find no longer
      // matching (and compute that service themselves), never figures of an old definition under a new stamp.
      const [stamps, policies] = await Promise.all([sloStamps(ids), policyStamps(ids)]);
      const rows = await listServicesWithSlos({ ids });
      const figures = await figuresOf(rows, { now });
      await upsertServiceStates(
        rows.map((row, j) => ({ serviceId: row.id, inputs: summaryInputs(row, stamps.get(row.id) ?? '', policies), summary: figures[j]! })),
      );
    } catch (error) {
      run.failed += ids.length;
      log.error('services.summarise_failed', { services: ids.length, error });
    }
  }
  // The overview answers from the summaries just written.
  if (run.failed < run.services) overviewAnswers().invalidate();
  run.ms = Math.round(performance.now() - started);
  return run;
}

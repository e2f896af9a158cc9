import { listOwnerTeams, listServicesWithSlos } from '../../db/services';
import type { Service as ServiceRow } from '../../db/generated/client';
import { Labels, type HealthState, type ServiceFilter, type ServiceSummary, type SloStatus } from '../../schemas/index';
import { currentStatuses } from '../slos/current-status';
import { gateVerdicts } from '../gates/release-gate';
import { overviewAnswers } from './overview-cache';
import { toService } from './service-view';
import { toSloRecord } from '../../db/slos';

const HEALTH_RANK: Record<HealthState, number> = { page: 0, ticket: 1, ok: 2, no_data: 3 };

export function healthOf(statuses: readonly SloStatus[]): HealthState {
  const firing = statuses.flatMap((s) => s.alerts.filter((a) => a.firing));
  if (firing.some((a) => a.severity === 'page')) return 'page';
  if (firing.length > 0) return 'ticket';
  if (statuses.length > 0 && statuses.every((s) => s.dataState === 'no_data')) return 'no_data';
  return 'ok';
}

/** Services in trouble first: paging, then ticketing, then by least budget left; quiet services last. */
export function compareByTrouble(a: ServiceSummary, b: ServiceSummary): number {
  const health = HEALTH_RANK[a.health] - HEALTH_RANK[b.health];
  if (health !== 0) return health;
  const ba = a.worstBudgetRemaining ?? Number.POSITIVE_INFINITY;
  const bb = b.worstBudgetRemaining ?? Number.POSITIVE_INFINITY;
  if (ba !== bb) return ba < bb ? -1 : 1;
  return a.name.localeCompare(b.name);
}

type Summarised = { summary: Omit<ServiceSummary, 'gate'>; statuses: SloStatus[] };

function summarise(row: ServiceRow & { slos: unknown[] }, statuses: SloStatus[]): Summarised {
  // A provisional budget (a new SLO's few minutes) does not stand for the service while a measured one exists.
  const lowest = (candidates: SloStatus[]) => {
    let worst: SloStatus | undefined;
    for (const status of candidates) {
      const remaining = status.errorBudget.remaining;
      if (remaining === null) continue;
      if (!worst || remaining < (worst.errorBudget.remaining ?? Infinity)) worst = status;
    }
    return worst;
  };
  const worst = lowest(statuses.filter((s) => !s.provisional)) ?? lowest(statuses);
  const summary = {
    ...toService(row),
    sloCount: row.slos.length,
    worstBudgetRemaining: worst?.errorBudget.remaining ?? null,
    worstSlo: worst?.slo ?? null,
    worstProvisional: worst?.provisional ?? false,
    provisionalSlos: statuses.filter((s) => s.provisional).length,
    health: healthOf(statuses),
    firingAlerts: statuses.reduce((n, s) => n + s.alerts.filter((a) => a.firing).length, 0),
    staleSlos: statuses.filter((s) => s.evaluation.staleSince !== null).length,
    sources: [...new Set(statuses.map((s) => s.source))].sort(),
  };
  return { summary, statuses };
}

/** The services with their SLOs' state as of now (or `filter.at`: the same figures as of that minute). */
export async function listServices({ filter = {}, now }: { filter?: ServiceFilter; now?: Date } = {}): Promise<ServiceSummary[]> {
  // Shared for a few seconds by everyone asking the same (overview-cache.ts); a given `now` (tests) is never shared.
  if (now) return computeServices(filter, now);
  const key = JSON.stringify([filter.team ?? null, filter.tier ?? null, filter.q ?? null, filter.at?.toISOString() ?? null]);
  return overviewAnswers().get(key, () => computeServices(filter, new Date()));
}

async function computeServices(filter: ServiceFilter, now: Date): Promise<ServiceSummary[]> {
  const rows = await listServicesWithSlos(filter);
  // Every SLO's stored state in one query; live only for those without one (or with `at`).
  const records = rows.flatMap((row) => row.slos.map((slo) => toSloRecord(slo, row.slug)));
  const all = await currentStatuses(records, { now, at: filter.at });
  let next = 0;
  const summarised = rows.map((row) => summarise(row, all.slice(next, (next += row.slos.length))));
  // The gate from the same statuses: no second pass over the buckets.
  const gates = await gateVerdicts(
    rows.map((row, i) => ({
      row,
      statuses: summarised[i]!.statuses,
      names: new Map(row.slos.map((slo) => [slo.slug, { name: slo.name, labels: Labels.catch({}).parse(slo.labels) }])),
    })),
  );
  return summarised.map(({ summary }) => ({ ...summary, gate: gates.get(summary.slug) ?? null })).sort(compareByTrouble);
}

/** Every owner team, for the overview's filter. */
export async function listTeams(): Promise<string[]> {
  return listOwnerTeams();
}

import { listOwnerTeams, listServiceRows, listServicesWithSlos } from '../../db/services';
import type { HealthState, ServiceFilter, ServiceSummary } from '../../schemas/index';
import { overviewAnswers } from './overview-cache';
import { summariseServices, storedSummaries } from './service-states';

const HEALTH_RANK: Record<HealthState, number> = { page: 0, ticket: 1, ok: 2, no_data: 3 };

/** Services in trouble first: paging, then ticketing, then by least budget left; quiet services last. */
export function compareByTrouble(a: ServiceSummary, b: ServiceSummary): number {
  const health = HEALTH_RANK[a.health] - HEALTH_RANK[b.health];
  if (health !== 0) return health;
  const ba = a.worstBudgetRemaining ?? Number.POSITIVE_INFINITY;
  const bb = b.worstBudgetRemaining ?? Number.POSITIVE_INFINITY;
  if (ba !== bb) return ba < bb ? -1 : 1;
  return a.name.localeCompare(b.name);
}

/** The services with their SLOs' state as of now (or `filter.at`: the same figures as of that minute). */
export async function listServices({ filter = {}, now }: { filter?: ServiceFilter; now?: Date } = {}): Promise<ServiceSummary[]> {
  // Shared for a few seconds by everyone asking the same (overview-cache.ts); a given `now` (tests) is never shared.
  if (now) return computeServices(filter, now);
  const key = JSON.stringify([filter.team ?? null, filter.tier ?? null, filter.q ?? null, filter.at?.toISOString() ?? null]);
  return overviewAnswers().get(key, () => computeServices(filter, new Date()));
}

async function computeServices(filter: ServiceFilter, now: Date): Promise<ServiceSummary[]> {
  if (filter.at) return (await summariseServices(await listServicesWithSlos(filter), { now, at: filter.at })).sort(compareByTrouble);
  // Each service's kept summary where it was computed from the definitions as they are now (service-states.ts);
  // the others (a service or SLO changed since the last state step, a new one) from their SLOs' states.
  const rows = await listServiceRows(filter);
  const { summaries, missing } = await storedSummaries(rows);
  const computed = missing.length > 0 ? await summariseServices(await listServicesWithSlos({ ids: missing }), { now }) : [];
  return [...summaries, ...computed].sort(compareByTrouble);
}

/** Every owner team, for the overview's filter. */
export async function listTeams(): Promise<string[]> {
  return listOwnerTeams();
}

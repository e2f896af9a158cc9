import { expect } from 'vitest';
import * as services from '../app/api/v1/services/route';
import { db } from '../lib/db/client';
import { upsertStates } from '../lib/db/slo-states';
import type { SloRecord } from '../lib/db/slos';
import { ServiceSummary } from '../lib/schemas';
import { callRoute, constantBuckets, makeSloWithBuckets } from './factories';
import { buildSloStatus, type StatusSpec } from './slo-status';

// SLO states written as an evaluator pass would leave them, and the services list that reads them: for the tests
// of the readers of kept states (slo_states, service_states).

const MIN = 60_000;
export const lastMinute = (): Date => new Date(Math.floor(Date.now() / MIN) * MIN);

/** Stores the SLO's state as of the last minute, built from `spec` (or `status` as given, valid or not). */
export async function storeState(
  record: Pick<SloRecord, 'id' | 'serviceSlug' | 'slug'>,
  spec: Omit<StatusSpec, 'service' | 'slo'> = {},
  status?: unknown,
): Promise<void> {
  const built = buildSloStatus({ service: record.serviceSlug, slo: record.slug, asOf: lastMinute(), ...spec });
  await upsertStates(db(), [
    {
      sloId: record.id,
      asOf: new Date(built.asOf),
      status: status ?? built,
      dataState: built.dataState,
      budgetRemaining: built.errorBudget.remaining,
      firing: built.alerts.find((a) => a.firing)?.severity ?? null,
    },
  ]);
}

/** The service as GET /api/v1/services lists it (searched by its slug, with `query` added). */
export async function listedService(service: string, query = ''): Promise<ServiceSummary> {
  const response = await callRoute(services.GET, { path: `/api/v1/services?q=${service}${query}` });
  expect(response.status).toBe(200);
  const { services: list } = (await response.json()) as { services: unknown[] };
  const found = list.map((s) => ServiceSummary.parse(s)).find((s) => s.slug === service);
  if (!found) throw new Error(`${service} not listed`);
  return found;
}

/** A service with one 2-day SLO whose buckets give 90% of its budget left (error ratio 0.0001 against 99.9%). */
export async function healthySlo(): Promise<SloRecord> {
  const to = lastMinute();
  return makeSloWithBuckets(constantBuckets(new Date(to.getTime() - 2 * 1440 * MIN), to, 100, 0.0001), {
    objective: 0.999,
    window: { kind: 'rolling', days: 2 },
  });
}

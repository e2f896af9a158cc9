// The overview's answer is shared for UMPIRE_OVERVIEW_CACHE_SECONDS; an audited change empties it at once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as services from '../../app/api/v1/services/route';
import * as service from '../../app/api/v1/services/[service]/route';
import { db } from '../../lib/db/client';
import { upsertStates } from '../../lib/db/slo-states';
import { findSloRecord } from '../../lib/db/slos';
import { reloadEnv } from '../../lib/env';
import { ServiceSummary } from '../../lib/schemas';
import { callRoute, makeService, makeSlo } from '../factories';
import { buildSloStatus } from '../slo-status';

beforeAll(() => {
  process.env.UMPIRE_OVERVIEW_CACHE_SECONDS = '30';
  reloadEnv();
});
afterAll(() => {
  process.env.UMPIRE_OVERVIEW_CACHE_SECONDS = '0';
  reloadEnv();
});

async function listed(slug: string): Promise<ServiceSummary> {
  const { services: list } = (await (await callRoute(services.GET, { path: `/api/v1/services?q=${slug}` })).json()) as { services: unknown[] };
  return list.map((s) => ServiceSummary.parse(s)).find((s) => s.slug === slug)!;
}

async function store(service: string, slo: string, budgetRemaining: number): Promise<void> {
  const record = await findSloRecord(service, slo);
  const status = buildSloStatus({ service, slo, budgetRemaining });
  await upsertStates(db(), [{ sloId: record.id, asOf: new Date(status.asOf), status, dataState: 'ok', budgetRemaining, firing: null }]);
}

test('a state written meanwhile shows after the TTL; an audited change (the service renamed) shows at once', async () => {
  const svc = await makeService();
  const slo = await makeSlo(svc.slug);
  await store(svc.slug, slo.slug, 0.7);
  expect((await listed(svc.slug)).worstBudgetRemaining).toBe(0.7);
  // The evaluator's next state is not written through a use-case: the shared answer stands for now.
  await store(svc.slug, slo.slug, 0.6);
  expect((await listed(svc.slug)).worstBudgetRemaining).toBe(0.7);
  // A change through the API empties the cache: the new name and the newer state both show.
  expect((await callRoute(service.PATCH, { method: 'PATCH', params: { service: svc.slug }, body: { name: 'Renamed' } })).status).toBe(200);
  expect(await listed(svc.slug)).toMatchObject({ name: 'Renamed', worstBudgetRemaining: 0.6 });
});

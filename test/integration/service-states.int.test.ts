// Each service's overview figures are kept after the state step (service_states) and served by the overview and
// GET /api/v1/services while they were computed from the definitions as they are now; a service whose SLOs or
// policies changed since is computed from its SLOs' states at once, with the same figures.
import { describe, expect, test } from 'vitest';
import * as policyRoute from '../../app/api/v1/services/[service]/policy/route';
import * as serviceRoute from '../../app/api/v1/services/[service]/route';
import { db } from '../../lib/db/client';
import { findServiceStates } from '../../lib/db/service-states';
import { listServicesWithSlos } from '../../lib/db/services';
import { recordServiceStates, summariseServices } from '../../lib/use-cases/services/service-states';
import { callRoute, makeSlo } from '../factories';
import { healthySlo, lastMinute, listedService, storeState } from '../stored-states';

describe('service summaries kept after the state step', () => {
  test('the kept summary has the figures computed from the SLO states, and is what the overview serves', async () => {
    const record = await healthySlo();
    const second = await makeSlo(record.serviceSlug, { objective: 0.99 });
    await storeState(record, { budgetRemaining: 0.4, firing: ['ticket'] });
    const secondId = (await db().slo.findFirstOrThrow({ where: { slug: second.slug, service: { slug: record.serviceSlug } } })).id;
    await storeState({ ...record, id: secondId, slug: second.slug }, { budgetRemaining: -0.25, firing: ['page'], provisional: true });

    const run = await recordServiceStates({ sloIds: [record.id] });
    expect(run).toMatchObject({ services: 1, failed: 0 });
    const { serviceId } = await db().slo.findUniqueOrThrow({ where: { id: record.id }, select: { serviceId: true } });
    const rows = await listServicesWithSlos({ ids: [serviceId] });
    const [live] = await summariseServices(rows, { now: new Date() });
    const kept = (await findServiceStates([rows[0]!.id])).get(rows[0]!.id);
    expect(kept?.inputs).toMatch(/^[0-9a-f]{40}$/);
    const { slug, name, ownerTeam, tier, description, links, managedBy, createdAt, updatedAt, ...figures } = live!;
    expect(kept?.summary).toEqual(figures);
    // The provisional SLO's overspent budget does not stand for the service while a measured one exists.
    expect(figures).toMatchObject({
      sloCount: 2,
      worstBudgetRemaining: 0.4,
      worstSlo: record.slug,
      health: 'page',
      firingAlerts: 2,
      provisionalSlos: 1,
      gate: 'fail',
    });
    expect(await listedService(record.serviceSlug)).toEqual({ slug, name, ownerTeam, tier, description, links, managedBy, createdAt, updatedAt, ...figures });

    // The SLO's state moves on; until the next summary, the overview serves the kept one (as of the last step) ...
    await storeState(record, { budgetRemaining: 0.7 });
    expect((await listedService(record.serviceSlug)).firingAlerts).toBe(2);
    // ... and the next step's summary shows it.
    await recordServiceStates({ sloIds: [record.id] });
    expect(await listedService(record.serviceSlug)).toMatchObject({ firingAlerts: 1, health: 'page', worstBudgetRemaining: 0.7 });
  });

  test('an SLO added, a policy changed or the service changed since the summary: that service is computed at once', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.3 });
    await recordServiceStates({ sloIds: [record.id] });
    await storeState(record, { budgetRemaining: 0.2 });
    expect((await listedService(record.serviceSlug)).worstBudgetRemaining).toBe(0.3);

    // A new SLO: the kept summary no longer describes the service; the states (0.2) are read.
    await makeSlo(record.serviceSlug, { objective: 0.99 });
    expect(await listedService(record.serviceSlug)).toMatchObject({ sloCount: 2, worstBudgetRemaining: 0.2, gate: 'fail' });
    await recordServiceStates({ sloIds: [record.id] });
    await storeState(record, { budgetRemaining: 0.1 });
    expect((await listedService(record.serviceSlug)).worstBudgetRemaining).toBe(0.2);

    // The service's own policy: its gate only warns (under half the budget left, on missing data), shown at once.
    const policy = await callRoute(policyRoute.PUT, {
      method: 'PUT',
      params: { service: record.serviceSlug },
      body: { rules: [{ kind: 'budget_remaining', below: 0.5, verdict: 'warn' }], onMissingData: 'warn' },
    });
    expect(policy.status).toBe(200);
    expect(await listedService(record.serviceSlug)).toMatchObject({ worstBudgetRemaining: 0.1, gate: 'warn' });
    await recordServiceStates({ sloIds: [record.id] });

    // The service renamed: the name is always the service's own, the figures kept or not.
    const renamed = await callRoute(serviceRoute.PATCH, { method: 'PATCH', params: { service: record.serviceSlug }, body: { name: 'Renamed service' } });
    expect(renamed.status).toBe(200);
    expect(await listedService(record.serviceSlug)).toMatchObject({ name: 'Renamed service', worstBudgetRemaining: 0.1, gate: 'warn' });
  });

  test('a kept summary that fails its schema, or figures asked as of a minute, are computed from the SLOs', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.6 });
    await recordServiceStates({ sloIds: [record.id] });
    await db().$executeRaw`UPDATE service_states SET summary = '{"sloCount":"many"}'::jsonb
      WHERE service_id = (SELECT service_id FROM slos WHERE id = ${record.id}::uuid)`;
    expect(await listedService(record.serviceSlug)).toMatchObject({ sloCount: 1, worstBudgetRemaining: 0.6 });
    const live = await listedService(record.serviceSlug, `&at=${encodeURIComponent(lastMinute().toISOString())}`);
    expect(live.worstBudgetRemaining).toBeCloseTo(0.9, 6);
  });

  test('a deleted service takes its summary with it', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.6 });
    await recordServiceStates({ sloIds: [record.id] });
    const { serviceId } = await db().slo.findUniqueOrThrow({ where: { id: record.id }, select: { serviceId: true } });
    expect((await findServiceStates([serviceId])).size).toBe(1);
    const deleted = await callRoute(serviceRoute.DELETE, { method: 'DELETE', params: { service: record.serviceSlug } });
    expect(deleted.status).toBe(204);
    expect((await findServiceStates([serviceId])).size).toBe(0);
  });
});

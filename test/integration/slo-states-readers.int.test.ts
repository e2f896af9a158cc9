// The overview, the services API, the service page's statuses and the gate answer from each SLO's stored state
// (slo_states) while the buckets say otherwise; `?at=`, SLOs without a state, states that fail their schema or lack a
// window the gate needs are computed live from the buckets.
import { describe, expect, test } from 'vitest';
import * as gateRoute from '../../app/api/v1/services/[service]/gate/route';
import * as policyRoute from '../../app/api/v1/services/[service]/policy/route';
import { db } from '../../lib/db/client';
import { GateEvaluation } from '../../lib/schemas';
import { listSloStatuses } from '../../lib/use-cases/slos/list-slo-statuses';
import { callRoute, makeSlo } from '../factories';
import { healthySlo, lastMinute, listedService, storeState } from '../stored-states';

const MIN = 60_000;

const gate = (service: string) => callRoute(gateRoute.POST, { method: 'POST', params: { service }, body: { version: 'v1' } });

describe('GET /api/v1/services from stored states', () => {
  test('the stored budget is what the overview shows; with ?at= the buckets are summed again', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.123 });
    const stored = await listedService(record.serviceSlug);
    expect(stored.worstBudgetRemaining).toBe(0.123);
    expect(stored.worstSlo).toBe(record.slug);
    expect(stored.health).toBe('ok');
    const live = await listedService(record.serviceSlug, `&at=${encodeURIComponent(lastMinute().toISOString())}`);
    expect(live.worstBudgetRemaining).toBeCloseTo(0.9, 6);
  });

  test('a stored page alert and a spent budget: the service pages and its gate fails, though the buckets are healthy', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: -0.5, firing: ['page'] });
    const summary = await listedService(record.serviceSlug);
    expect(summary).toMatchObject({ health: 'page', firingAlerts: 1, worstBudgetRemaining: -0.5, gate: 'fail' });
  });

  test('an SLO never evaluated (no state) is computed live beside one that has a state', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.95 });
    // A second SLO in the same service, no buckets, no state: live, no data.
    await makeSlo(record.serviceSlug, { objective: 0.99 });
    const summary = await listedService(record.serviceSlug);
    expect(summary.sloCount).toBe(2);
    expect(summary.worstBudgetRemaining).toBe(0.95);
    expect(summary.health).toBe('ok');
  });

  test('a state that fails its schema is not used: the figures are computed live', async () => {
    const record = await healthySlo();
    await storeState(record, {}, { service: record.serviceSlug, slo: record.slug, errorBudget: 'lots' });
    expect((await listedService(record.serviceSlug)).worstBudgetRemaining).toBeCloseTo(0.9, 6);
  });

  test('a state written before the SLO was changed is not used', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: 0.2 });
    await db().slo.update({ where: { id: record.id }, data: { description: 'changed after the pass' } });
    expect((await listedService(record.serviceSlug)).worstBudgetRemaining).toBeCloseTo(0.9, 6);
  });
});

describe("the service page's statuses", () => {
  test('from the stored state, as of its minute, with the minutes since then unread', async () => {
    const record = await healthySlo();
    const asOf = new Date(lastMinute().getTime() - 3 * MIN);
    await storeState(record, { budgetRemaining: 0.31, asOf });
    const status = (await listSloStatuses({ service: record.serviceSlug })).get(record.slug)!;
    expect(status.errorBudget.remaining).toBe(0.31);
    expect(status.asOf).toBe(asOf.toISOString());
    expect(status.unread?.from).toBe(asOf.toISOString());
  });
});

describe('the release gate from stored states', () => {
  test('fails on the stored state; a policy window the state lacks makes it compute that SLO live', async () => {
    const record = await healthySlo();
    await storeState(record, { budgetRemaining: -0.5, firing: ['page'] });
    const failed = GateEvaluation.parse(await (await gate(record.serviceSlug)).json());
    expect(failed.verdict).toBe('fail');
    expect(failed.slos[0]).toMatchObject({ budgetRemaining: -0.5, firing: ['page 1h/5m'] });

    // A burn_rate rule over 2h: the stored status has no 2h burn rate, so the buckets are read (healthy: pass).
    const policy = await callRoute(policyRoute.PUT, {
      method: 'PUT',
      params: { service: record.serviceSlug },
      body: { rules: [{ kind: 'burn_rate', window: '2h', above: 10, verdict: 'fail' }] },
    });
    expect(policy.status).toBe(200);
    const live = GateEvaluation.parse(await (await gate(record.serviceSlug)).json());
    expect(live.slos[0]!.budgetRemaining).toBeCloseTo(0.9, 6);
    expect(live.verdict).toBe('pass');
  });
});

import { describe, expect, test } from 'vitest';
import * as gateRoute from '../../app/api/v1/services/[service]/gate/route';
import * as gateStatus from '../../app/api/v1/services/[service]/gate/status/route';
import * as evaluations from '../../app/api/v1/services/[service]/gate/evaluations/route';
import * as overrides from '../../app/api/v1/services/[service]/gate/overrides/route';
import * as policyRoute from '../../app/api/v1/services/[service]/policy/route';
import * as previewRoute from '../../app/api/v1/services/[service]/policy/preview/route';
import * as defaultPolicy from '../../app/api/v1/policies/default/route';
import * as deployments from '../../app/api/v1/deployments/route';
import * as deployment from '../../app/api/v1/deployments/[deployment]/route';
import * as serviceDeployments from '../../app/api/v1/services/[service]/deployments/route';
import * as services from '../../app/api/v1/services/route';
import { db } from '../../lib/db/client';
import { Deployment, GateEvaluation, GatePreview, Policy, ServiceSummary } from '../../lib/schemas';
import { formatBudgetSpent } from '../../lib/slo/format';
import { makeUser, sessionFor } from '../auth';
import { withFreshDatabase } from '../database';
import { callRoute, constantBuckets, makeSloWithBuckets } from '../factories';

const MIN = 60_000;
const now = () => new Date(Math.floor(Date.now() / MIN) * MIN);
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** A service with one SLO (objective 99.9%) whose last two days had this error ratio. */
async function serviceWithErrors(errorRatio: number, labels: Record<string, string> = {}) {
  const to = now();
  const record = await makeSloWithBuckets(constantBuckets(new Date(to.getTime() - 2 * 1440 * MIN), to, 100, errorRatio), {
    objective: 0.999,
    labels,
    // The window is the two days measured: a whole window, not provisional figures.
    window: { kind: 'rolling', days: 2 },
  });
  return record;
}

const gate = (service: string, body: unknown = { version: 'v1.2.3' }) => callRoute(gateRoute.POST, { method: 'POST', params: { service }, body });
const putPolicy = (service: string, body: unknown) => callRoute(policyRoute.PUT, { method: 'PUT', params: { service }, body });

describe('POST /api/v1/services/{service}/gate', () => {
  test('a healthy service passes; the answer says why and is stored', async () => {
    const slo = await serviceWithErrors(0.0001);
    const response = await gate(slo.serviceSlug, { version: 'v1.2.3', environment: 'staging', commit: 'abc123', pipelineUrl: 'https://ci.example.com/run/7' });
    expect(response.status).toBe(200);
    const answer = GateEvaluation.parse(await response.json());
    expect(answer).toMatchObject({
      verdict: 'pass',
      policyVerdict: 'pass',
      reasons: [],
      dataState: 'ok',
      version: 'v1.2.3',
      environment: 'staging',
      commit: 'abc123',
    });
    expect(answer.policy.source).toBe('builtin');
    expect(answer.slos).toEqual([
      { slo: slo.slug, name: 'Test SLO', budgetRemaining: expect.closeTo(0.9, 6), firing: [], dataState: 'ok', provisional: null, asOf: answer.asOf },
    ]);
    expect(answer.asOf).toBe(now().toISOString());
    const listed = await callRoute(evaluations.GET, { params: { service: slo.serviceSlug }, path: '/?limit=5' });
    const { evaluations: list } = (await listed.json()) as { evaluations: unknown[] };
    expect(list.map((e) => GateEvaluation.parse(e).id)).toEqual([answer.id]);
  });

  test('a spent budget and a page alert fail it, with 200: the verdict is the answer', async () => {
    const slo = await serviceWithErrors(0.01); // 10x the budget for two days
    const response = await gate(slo.serviceSlug);
    expect(response.status).toBe(200);
    const answer = GateEvaluation.parse(await response.json());
    expect(answer.verdict).toBe('fail');
    const rules = answer.reasons.map((r) => `${r.verdict} ${r.rule}`);
    expect(rules).toContain('fail budget_remaining < 0%');
    expect(rules).toContain('fail alert_firing page');
    const budget = answer.reasons.find((r) => r.rule === 'budget_remaining < 0%')!;
    // SLI 99% against 99.9%: ten times the budget spent, 1 - 10 = -9 (it can go negative: shown as such).
    expect(budget.observed).toBeCloseTo(-9, 9);
    expect(budget.threshold).toBe(0);
    expect(budget.message).toBe('Test SLO: −900% of the error budget left, below 0%');
  });

  test('no data is fail-closed by default; the policy decides', async () => {
    const slo = await makeSloWithBuckets([]);
    const closed = GateEvaluation.parse(await (await gate(slo.serviceSlug)).json());
    expect(closed).toMatchObject({ verdict: 'fail', dataState: 'missing' });
    expect(closed.reasons[0]).toMatchObject({ rule: 'data missing', verdict: 'fail' });
    expect((await putPolicy(slo.serviceSlug, { rules: [], onMissingData: 'warn' })).status).toBe(200);
    expect(GateEvaluation.parse(await (await gate(slo.serviceSlug)).json()).verdict).toBe('warn');
  });

  test('bad input: 400 with the field; unknown service: 404', async () => {
    const slo = await serviceWithErrors(0);
    const bad = await gate(slo.serviceSlug, { environment: 'prod', pipelineUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as ErrorBody;
    expect(Object.keys(body.error.fields!).sort()).toEqual(['pipelineUrl', 'version']);
    expect((await gate('no-such-service')).status).toBe(404);
  });
});

describe('policies', () => {
  test('service policy over organisation default over built-in; preview shows the effect before saving', async () => {
    // The organisation default is every service's: set in a database of this test's own, not the run's.
    await withFreshDatabase('umpire_policy', async () => {
      const slo = await serviceWithErrors(0.0008); // 80% of the budget spent in the window so far: 20% left
      const getPolicy = async () => Policy.parse(await (await callRoute(policyRoute.GET, { params: { service: slo.serviceSlug } })).json());
      expect((await getPolicy()).source).toBe('builtin');
      expect(GateEvaluation.parse(await (await gate(slo.serviceSlug)).json()).verdict).toBe('warn'); // < 25% left

      const strict = { rules: [{ kind: 'budget_remaining', below: 0.5, verdict: 'fail' }] };
      const preview = await callRoute(previewRoute.POST, { method: 'POST', params: { service: slo.serviceSlug }, body: strict });
      expect(GatePreview.parse(await preview.json())).toMatchObject({ verdict: 'fail', reasons: [{ rule: 'budget_remaining < 50%', verdict: 'fail' }] });
      expect((await getPolicy()).source).toBe('builtin'); // a preview stores nothing

      const lenient = { rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }], onMissingData: 'fail' };
      try {
        expect((await callRoute(defaultPolicy.PUT, { method: 'PUT', body: lenient })).status).toBe(200);
        expect(await getPolicy()).toMatchObject({ source: 'default', rules: lenient.rules });
        expect(GatePreview.parse(await (await callRoute(gateStatus.GET, { params: { service: slo.serviceSlug } })).json()).verdict).toBe('pass');

        expect((await putPolicy(slo.serviceSlug, strict)).status).toBe(200);
        expect((await getPolicy()).source).toBe('service');
        expect(GateEvaluation.parse(await (await gate(slo.serviceSlug)).json()).verdict).toBe('fail');

        expect((await callRoute(policyRoute.DELETE, { method: 'DELETE', params: { service: slo.serviceSlug } })).status).toBe(204);
        expect((await getPolicy()).source).toBe('default');
      } finally {
        await callRoute(defaultPolicy.DELETE, { method: 'DELETE' });
      }
      expect((await getPolicy()).source).toBe('builtin');
    });
  });

  test('the organisation floor: a team editor cannot empty their policy to pass the gate (issue 14, point 4)', async () => {
    // The organisation default is every service's: set in a database of this test's own, not the run's.
    await withFreshDatabase('umpire_policy', async () => {
      const spent = await serviceWithErrors(0.01); // -900% of the budget
      const alice = await makeUser({ role: 'editor', teams: ['test-team'] });
      const asAlice = (await sessionFor(alice)).headers;
      const put = (body: unknown) => callRoute(policyRoute.PUT, { method: 'PUT', params: { service: spent.serviceSlug }, headers: asAlice, body });
      // Before: an editor's empty policy, missing data passing, lets a spent budget through.
      expect((await put({ rules: [], onMissingData: 'pass' })).status).toBe(200);
      expect(GateEvaluation.parse(await (await gate(spent.serviceSlug)).json()).verdict).toBe('pass');
      const floor = {
        rules: [
          { kind: 'budget_remaining', below: 0, verdict: 'fail', mandatory: true },
          { kind: 'budget_remaining', below: 0.25, verdict: 'warn' },
        ],
        onMissingData: 'fail',
        missingDataMandatory: true,
      };
      try {
        expect((await callRoute(defaultPolicy.PUT, { method: 'PUT', body: floor })).status).toBe(200);
        // The saved empty policy no longer gets through: the mandatory rule applies, marked as the organisation's.
        const answer = GateEvaluation.parse(await (await gate(spent.serviceSlug)).json());
        expect(answer.verdict).toBe('fail');
        expect(answer.reasons.find((r) => r.mandatory)).toMatchObject({ rule: 'budget_remaining < 0%', verdict: 'fail' });
        expect(answer.policy.floor?.rules).toEqual([{ kind: 'budget_remaining', below: 0, verdict: 'fail' }]);
        // Loosening is refused with the field, and changes nothing.
        const before = await db().errorBudgetPolicy.findMany({ orderBy: { key: 'asc' } });
        const looser = await put({ rules: [], onMissingData: 'pass' });
        expect(looser.status).toBe(422);
        expect(((await looser.json()) as ErrorBody).error.fields).toHaveProperty('onMissingData');
        const selfMandatory = await put({ rules: [{ kind: 'budget_remaining', below: -5, verdict: 'warn', mandatory: true }], onMissingData: 'fail' });
        expect(selfMandatory.status).toBe(422);
        expect(((await selfMandatory.json()) as ErrorBody).error.fields).toHaveProperty(['rules.0.mandatory']);
        expect(await db().errorBudgetPolicy.findMany({ orderBy: { key: 'asc' } })).toEqual(before);
        // Tightening is fine: a stricter own rule applies with the floor.
        expect((await put({ rules: [{ kind: 'budget_remaining', below: 0.5, verdict: 'fail' }], onMissingData: 'fail' })).status).toBe(200);
        const preview = GatePreview.parse(
          await (await callRoute(previewRoute.POST, { method: 'POST', params: { service: spent.serviceSlug }, headers: asAlice, body: { rules: [] } })).json(),
        );
        expect(preview.verdict).toBe('fail');
      } finally {
        await callRoute(defaultPolicy.DELETE, { method: 'DELETE' });
        await callRoute(policyRoute.DELETE, { method: 'DELETE', params: { service: spent.serviceSlug } });
      }
    });
  });

  test('a bad policy is refused with the failing field, and nothing changes', async () => {
    const slo = await serviceWithErrors(0);
    const response = await putPolicy(slo.serviceSlug, {
      rules: [
        { kind: 'budget_remaining', below: 2, verdict: 'fail' },
        { kind: 'burn_rate', window: '90s', above: 1, verdict: 'maybe' },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(Object.keys(body.error.fields!).sort()).toEqual(['rules.0.below', 'rules.1.verdict', 'rules.1.window']);
    expect(await db().errorBudgetPolicy.count({ where: { service: { slug: slo.serviceSlug } } })).toBe(0);
  });

  test('SLOs counted by label: an unlabelled failing SLO does not block the release', async () => {
    const slo = await serviceWithErrors(0.01);
    expect(
      (
        await putPolicy(slo.serviceSlug, {
          slos: { labels: { gate: 'release' } },
          rules: [{ kind: 'budget_remaining', below: 0, verdict: 'fail' }],
          onMissingData: 'pass',
        })
      ).status,
    ).toBe(200);
    expect(GateEvaluation.parse(await (await gate(slo.serviceSlug)).json())).toMatchObject({ verdict: 'pass', dataState: 'no_slos', slos: [] });
  });
});

describe('overrides', () => {
  test('an override lets one version through a failing gate, recorded and shown; others still fail', async () => {
    const slo = await serviceWithErrors(0.01);
    // Who lets a version through is whoever is signed in: a name typed into the body is refused, not believed.
    const alice = await makeUser({ role: 'editor', teams: ['test-team'] });
    const session = await sessionFor(alice);
    const bad = await callRoute(overrides.POST, {
      method: 'POST',
      params: { service: slo.serviceSlug },
      headers: session.headers,
      body: { version: 'v2', reason: 'short', createdBy: 'mallory' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).error.fields!).sort()).toEqual(['_', 'reason']);

    const created = await callRoute(overrides.POST, {
      method: 'POST',
      params: { service: slo.serviceSlug },
      headers: session.headers,
      body: { version: 'v2', environment: 'production', reason: 'Fixes the incident that is burning the budget', expiresInHours: 2 },
    });
    expect(created.status).toBe(201);
    const through = GateEvaluation.parse(await (await gate(slo.serviceSlug, { version: 'v2' })).json());
    expect(through).toMatchObject({
      verdict: 'pass',
      policyVerdict: 'fail',
      override: { createdBy: alice.username, reason: 'Fixes the incident that is burning the budget' },
    });
    expect(through.reasons.length).toBeGreaterThan(0); // the reasons stay on record
    expect(GateEvaluation.parse(await (await gate(slo.serviceSlug, { version: 'v2', environment: 'staging' })).json()).verdict).toBe('fail');
    expect(GateEvaluation.parse(await (await gate(slo.serviceSlug, { version: 'v3' })).json()).verdict).toBe('fail');

    await db().gateOverride.updateMany({ where: { version: 'v2', service: { slug: slo.serviceSlug } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(GateEvaluation.parse(await (await gate(slo.serviceSlug, { version: 'v2' })).json())).toMatchObject({ verdict: 'fail', override: null });
    const { overrides: list } = (await (await callRoute(overrides.GET, { params: { service: slo.serviceSlug } })).json()) as { overrides: unknown[] };
    expect(list).toHaveLength(1);
  });
});

describe('deployments', () => {
  test('a deploy records what it did to each budget: the hour after against the hour before', async () => {
    const to = now();
    const deployAt = new Date(to.getTime() - 120 * MIN);
    // Clean before the deploy, 1% errors in the hour after it (10x the 0.1% budget rate), clean again since.
    const buckets = [
      ...constantBuckets(new Date(deployAt.getTime() - 60 * MIN), deployAt, 100, 0.0001),
      ...constantBuckets(deployAt, new Date(deployAt.getTime() + 60 * MIN), 100, 0.01),
      ...constantBuckets(new Date(deployAt.getTime() + 60 * MIN), to, 100, 0),
    ];
    const slo = await makeSloWithBuckets(buckets, { objective: 0.999 });
    const response = await callRoute(deployments.POST, {
      method: 'POST',
      body: { service: slo.serviceSlug, version: 'v1.42', startedAt: deployAt.toISOString(), commit: 'deadbeef', url: 'https://ci.example.com/deploy/42' },
    });
    expect(response.status).toBe(201);
    const recorded = Deployment.parse(await response.json());
    const [impact] = recorded.impact;
    // Burned = burn rate x 1h / 30d: 10 / 720 after, 0.1 / 720 before.
    expect(impact!.burnedAfter).toBeCloseTo(10 / 720, 10);
    expect(impact!.burnedBefore).toBeCloseTo(0.1 / 720, 10);
    // Rounded up, as every share of budget spent is written (lib/slo/format.ts): 1.389% -> 1.4%, 0.01389% -> 0.014%.
    expect(impact).toMatchObject({ verdict: 'burned_more', message: 'v1.42 burned 1.4% of the budget in 1 h; the hour before burned 0.014%' });

    const fetched = Deployment.parse(await (await callRoute(deployment.GET, { params: { deployment: recorded.id } })).json());
    expect(fetched).toEqual(recorded);
    const listed = await callRoute(serviceDeployments.GET, {
      params: { service: slo.serviceSlug },
      path: `/?from=${new Date(to.getTime() - 1440 * MIN).toISOString()}`,
    });
    expect(((await listed.json()) as { deployments: Array<{ id: string }> }).deployments.map((d) => d.id)).toEqual([recorded.id]);

    const fresh = Deployment.parse(await (await callRoute(deployments.POST, { method: 'POST', body: { service: slo.serviceSlug, version: 'v1.43' } })).json());
    expect(fresh.impact[0]!.verdict).toBe('pending');
  });

  test('until its hour is over, a deploy shows what it has burned so far, not an hour extrapolated', async () => {
    const to = now();
    const deployAt = new Date(to.getTime() - 30 * MIN);
    // 1% errors (10x the budget rate) in the 30 minutes since the deploy.
    const slo = await makeSloWithBuckets(constantBuckets(deployAt, to, 100, 0.01), { objective: 0.999 });
    const recorded = Deployment.parse(
      await (
        await callRoute(deployments.POST, { method: 'POST', body: { service: slo.serviceSlug, version: 'v2.0', startedAt: deployAt.toISOString() } })
      ).json(),
    );
    const [impact] = recorded.impact;
    expect(impact!.verdict).toBe('pending');
    // Burn rate 10 for the elapsed whole minutes of a 30-day period: 10 x 30 / 43,200 (31 minutes if a minute
    // turned while the deploy was recorded), never the hour extrapolated.
    const elapsedNow = (now().getTime() - deployAt.getTime()) / MIN;
    const burned = impact!.burnedAfter!;
    const minutes = Math.round((burned * 43_200) / 10);
    expect(burned).toBeCloseTo((10 * minutes) / 43_200, 10);
    expect(minutes).toBeGreaterThanOrEqual(30);
    expect(minutes).toBeLessThanOrEqual(elapsedNow);
    expect(impact!.message.startsWith(`v2.0 burned ${formatBudgetSpent(burned)} of the budget in 1 h so far`)).toBe(true);
  });

  test('bad input: 400 with fields; unknown service or deployment: 404', async () => {
    const bad = await callRoute(deployments.POST, { method: 'POST', body: { service: 'x', version: '', startedAt: 'yesterday', url: 'ftp://x' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).error.fields!).sort()).toEqual(['startedAt', 'url', 'version']);
    expect((await callRoute(deployments.POST, { method: 'POST', body: { service: 'no-such-service', version: 'v1' } })).status).toBe(404);
    expect((await callRoute(deployment.GET, { params: { deployment: '00000000-0000-0000-0000-000000000000' } })).status).toBe(404);
    expect((await callRoute(deployment.GET, { params: { deployment: 'nope' } })).status).toBe(404);
  });
});

test('the overview carries each service gate verdict', async () => {
  const failing = await serviceWithErrors(0.01);
  const passing = await serviceWithErrors(0);
  const { services: list } = (await (await callRoute(services.GET, {})).json()) as { services: unknown[] };
  const bySlug = new Map(list.map((s) => ServiceSummary.parse(s)).map((s) => [s.slug, s.gate]));
  expect(bySlug.get(failing.serviceSlug)).toBe('fail');
  expect(bySlug.get(passing.serviceSlug)).toBe('pass');
});

import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { CreatedApiToken, Deployment, GateEvaluation, SloStatus } from '../lib/schemas';
import { e2eAuth } from './auth';
import { expect, test } from './fixtures';
import { METRIC, push } from './otlp';

// Release gates end to end, with a real incident: an OpenTelemetry SLO fed over OTLP/JSON, healthy traffic (the
// gate passes), a deploy, then a burst of 5xx that spends the budget and fires the page alert (the gate fails,
// the deploy is marked on the SLO's charts and listed in the ledger). Then the policy editor's preview and an
// override that lets one release through.

const MINUTE = 60_000;
const SLO = 'availability';

async function askGate(request: APIRequestContext, service: string, version: string): Promise<GateEvaluation> {
  const response = await request.post(`/api/v1/services/${service}/gate`, { data: { version, environment: 'production' } });
  expect(response.status(), await response.text()).toBe(200);
  return GateEvaluation.parse(await response.json());
}

function gateCard(page: Page): Locator {
  return page.getByTestId('gate-status');
}

/** The verdict the policy editor's preview shows for the draft as it is now (not an earlier one). */
function previewVerdict(page: Page): Locator {
  return page.getByTestId('policy-preview');
}

test('an incident turns the gate from pass to fail, the deploy is marked, and an override lets one release through', async ({ page, request, seed }) => {
  test.setTimeout(240_000);
  const svc = await seed.service({ name: `E2E Gate ${Date.now().toString(36)}`, tier: 1 });
  // Unique per run: the filter on service.name keeps other tests' pushes out of this SLO.
  const serviceName = seed.slug('gate-shop');
  const tokenResponse = await request.post('/api/v1/tokens', { data: { name: `e2e ${serviceName}` } });
  expect(tokenResponse.status(), await tokenResponse.text()).toBe(201);
  const token = CreatedApiToken.parse(await tokenResponse.json());

  const sloResponse = await request.post(`/api/v1/services/${svc.slug}/slos`, {
    data: {
      slug: SLO,
      name: 'Checkout availability',
      objective: 0.99,
      sli: {
        source: 'otel',
        metric: METRIC,
        filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: [serviceName] }],
        good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
      },
    },
  });
  expect(sloResponse.status(), await sloResponse.text()).toBe(201);
  const statusPath = `/api/v1/services/${svc.slug}/slos/${SLO}/status`;
  const readStatus = async () => SloStatus.parse(await (await request.get(statusPath)).json());

  // Healthy traffic, 2-5 minutes back (whole minutes, so the status counts them), started within 15 minutes of
  // its first point so it counts from zero.
  const t0 = Date.now();
  const okStart = t0 - 6 * MINUTE;
  await push(request, token.token, serviceName, [
    { status: 200, startMs: okStart, timeMs: t0 - 5 * MINUTE, count: 600 },
    { status: 200, startMs: okStart, timeMs: t0 - 3 * MINUTE, count: 1200 },
  ]);
  await expect.poll(async () => (await readStatus()).total, { timeout: 20_000 }).toBe(1200);

  await test.step('healthy: the gate passes, on the page and to a pipeline', async () => {
    await page.goto(`/services/${svc.slug}`);
    await expect(gateCard(page)).toHaveAttribute('data-verdict', 'pass');
    await expect(gateCard(page).getByText('Pass', { exact: true })).toBeVisible();
    await expect(gateCard(page)).toContainText('A release asking now would pass.');
    await expect(gateCard(page)).toContainText('Umpire’s built-in policy');
    // SLOs are named by slug in the card (the SLO cards below carry the names), linked to their pages.
    await expect(gateCard(page).getByRole('link', { name: SLO, exact: true })).toHaveAttribute('href', `/services/${svc.slug}/slos/${SLO}`);
    const evaluation = await askGate(request, svc.slug, 'v1.0.0');
    expect(evaluation).toMatchObject({ verdict: 'pass', policyVerdict: 'pass', reasons: [], override: null });
  });

  // The deploy, a couple of minutes ago, then the incident it brings: half the requests fail.
  const version = `v2.0.0-${serviceName.slice(-6)}`;
  const deployUrl = `https://ci.example.com/deploys/${version}`;
  const deployResponse = await request.post('/api/v1/deployments', {
    data: { service: svc.slug, version, environment: 'production', startedAt: new Date(Date.now() - 150_000).toISOString(), url: deployUrl },
  });
  expect(deployResponse.status(), await deployResponse.text()).toBe(201);
  const deployment = Deployment.parse(await deployResponse.json());
  expect(deployment.impact.map((i) => i.verdict)).toEqual(['pending']);

  const t1 = Date.now();
  await push(request, token.token, serviceName, [
    { status: 200, startMs: okStart, timeMs: t1 - 2 * MINUTE, count: 1700 },
    { status: 200, startMs: okStart, timeMs: t1 - MINUTE, count: 2200 },
    { status: 503, startMs: t1 - 3 * MINUTE, timeMs: t1 - 2 * MINUTE, count: 500 },
    { status: 503, startMs: t1 - 3 * MINUTE, timeMs: t1 - MINUTE, count: 1000 },
  ]);
  await expect.poll(async () => (await readStatus()).total, { timeout: 20_000 }).toBe(3200);
  const burning = await readStatus();
  expect(burning.errorBudget.remaining).toBeLessThan(0);
  expect(burning.alerts.some((a) => a.severity === 'page' && a.firing)).toBe(true);

  await test.step('the incident: the gate fails, with its reasons, on the page and to a pipeline', async () => {
    await page.reload();
    await expect(gateCard(page)).toHaveAttribute('data-verdict', 'fail');
    await expect(gateCard(page).getByText('Fail', { exact: true }).first()).toBeVisible();
    await expect(gateCard(page)).toContainText('A release asking now would be stopped');
    const reasons = gateCard(page).getByRole('table', { name: 'Why the gate answers as it does now' });
    await expect(reasons.locator('tbody tr').filter({ hasText: 'budget_remaining' }).first()).toContainText(SLO);
    await expect(reasons.locator('tbody tr').filter({ hasText: 'budget_remaining' }).first()).toContainText('of the error budget left, below 0%');
    await expect(reasons.locator('tbody tr').filter({ hasText: 'alert_firing' }).first()).toBeVisible();

    const evaluation = await askGate(request, svc.slug, version);
    expect(evaluation.verdict).toBe('fail');
    expect(evaluation.policyVerdict).toBe('fail');
    expect(evaluation.override).toBeNull();
    expect(evaluation.reasons.map((r) => r.rule).join(' ')).toMatch(/budget_remaining/);
    expect(evaluation.reasons.every((r) => r.slo === SLO)).toBe(true);
  });

  await test.step('the deploy ledger lists the deploy, pending until the hour after it has passed', async () => {
    await page.reload();
    const row = page.getByTestId('deploy-ledger').locator(`tr[data-deployment-version="${version}"]`);
    await expect(row).toContainText('production');
    await expect(row.locator('li[data-impact-verdict="pending"]')).toContainText('Checkout availability');
    await expect(row.getByText('Pending', { exact: true })).toBeVisible();
    await expect(row.getByRole('link', { name: new RegExp(version) })).toHaveAttribute('href', deployUrl);

    // The gate history holds the two answers, newest first, the failure's reasons a click away.
    const history = page.getByTestId('gate-history');
    const failed = history.locator(`tr[data-evaluation-version="${version}"]`);
    await expect(failed).toHaveAttribute('data-verdict', 'fail');
    await expect(history.locator('tbody > tr').first()).toHaveAttribute('data-evaluation-version', version);
    await expect(history.locator('tr[data-evaluation-version="v1.0.0"]')).toHaveAttribute('data-verdict', 'pass');
    await failed.getByText(/\d+ reasons?/).click();
    await expect(failed.getByRole('list', { name: `Why ${version} got fail` })).toContainText('budget_remaining');
  });

  await test.step('every chart of the SLO marks the deploy, with its version', async () => {
    await page.goto(`/services/${svc.slug}/slos/${SLO}?range=1h`);
    const charts = page.getByTestId('slo-charts');
    const markers = charts.locator(`.deploy-marker[data-deploy-version="${version}"]`);
    await expect(markers).toHaveCount(3);
    for (const chart of ['SLI vs objective', 'Error budget burndown', 'Burn rate']) {
      const marker = charts.getByRole('region', { name: chart }).locator(`.deploy-marker[data-deploy-version="${version}"]`);
      await expect(marker.locator('.deploy-marker-label')).toHaveText(version);
      await expect(marker.locator('title')).toHaveText(new RegExp(`^Deploy ${version.replace(/\./g, '\\.')} to production, \\d`));
    }
    await expect(charts.locator(`a[href="${deployUrl}"]`)).toHaveCount(3);
    await expect(page.getByTestId('deploy-note')).toContainText('deploy');

    // The default range (7 days) too: a deploy after its last whole step widens the time axis a little.
    await page.goto(`/services/${svc.slug}/slos/${SLO}`);
    await expect(page.getByTestId('slo-charts').locator(`.deploy-marker[data-deploy-version="${version}"]`)).toHaveCount(3);
  });

  await test.step('the overview shows the failing gate', async () => {
    await page.goto(`/?q=${encodeURIComponent(svc.name)}`);
    await expect(page.locator(`tr[data-service="${svc.slug}"] td[data-gate="fail"]`).getByText('Fail')).toBeVisible();
  });

  await test.step('the policy editor previews a changed rule before it is saved', async () => {
    await page.goto(`/services/${svc.slug}`);
    await page.getByRole('main').getByRole('link', { name: 'Gate policy', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/services/${svc.slug}/policy$`));
    await expect(page.getByTestId('policy-source')).toHaveAttribute('data-source', 'builtin');
    await expect(previewVerdict(page)).toHaveAttribute('data-verdict', 'fail');

    // The spent budget made a warning: still failing, for the page alert.
    await page.getByLabel('Rule 1 verdict').selectOption('warn');
    await expect(previewVerdict(page)).toHaveAttribute('data-verdict', 'fail');
    await page.getByLabel('Rule 2 verdict').selectOption('warn');
    await expect(previewVerdict(page)).toHaveAttribute('data-verdict', 'warn');
    await expect(previewVerdict(page).getByRole('status')).toContainText('Warn');
    // Nothing was stored by previewing.
    expect((await askGate(request, svc.slug, 'v2.0.1')).verdict).toBe('fail');

    // A rule the schema refuses is marked at its input, and not saved.
    await page.getByRole('button', { name: 'Add burn-rate rule' }).click();
    const threshold = page.getByLabel('Rule 5 burn-rate threshold');
    await threshold.fill('0');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(threshold).toHaveAttribute('aria-invalid', 'true');
    await expect(threshold).toBeFocused();
    await expect(page.getByRole('alert').filter({ hasText: 'Rule 5 burn-rate threshold must be above 0' })).toBeVisible();
    await expect(previewVerdict(page)).toContainText('Fix the fields marked');

    await page.getByRole('button', { name: 'Remove rule 5' }).click();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Policy saved' })).toBeFocused();
    await expect(page.getByTestId('policy-source')).toHaveAttribute('data-source', 'service');
    expect((await askGate(request, svc.slug, 'v2.0.2')).verdict).toBe('warn');

    // And back to the organisation default (here the built-in policy): failing again.
    await page.getByRole('button', { name: 'Use organisation default' }).click();
    await page.getByRole('button', { name: 'Delete it' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'now uses the organisation default' })).toBeVisible();
    await expect(page.getByTestId('policy-source')).toHaveAttribute('data-source', 'builtin');
    await expect(page.getByLabel('Rule 1 verdict')).toHaveValue('fail');
    expect((await askGate(request, svc.slug, 'v2.0.3')).verdict).toBe('fail');
  });

  await test.step('an override lets one release through, on record with who let it through', async () => {
    const admin = e2eAuth().admin.username;
    const hotfix = `v2.0.4-hotfix-${serviceName.slice(-4)}`;
    await page.goto(`/services/${svc.slug}`);
    const overrides = page.getByTestId('gate-overrides');
    // Too short a reason is refused at its field.
    await overrides.getByLabel('Version').fill(hotfix);
    await overrides.getByLabel('Reason').fill('hotfix');
    await overrides.getByRole('button', { name: 'Create override' }).click();
    await expect(overrides.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
    await overrides.getByLabel('Reason').fill('Hotfix for the checkout errors; reviewed by on-call.');
    await overrides.getByLabel('Expires after').selectOption('4');
    await overrides.getByRole('button', { name: 'Create override' }).click();
    await expect(overrides.getByRole('status')).toContainText(`Override for ${hotfix} created`);
    const listed = overrides.locator(`tr[data-override-version="${hotfix}"]`);
    await expect(listed).toContainText(admin);
    await expect(listed).toContainText('Active');
    await expect(listed).toContainText('any');

    const evaluation = await askGate(request, svc.slug, hotfix);
    expect(evaluation.verdict).toBe('pass');
    expect(evaluation.policyVerdict).toBe('fail');
    expect(evaluation.override).toMatchObject({ version: hotfix, createdBy: admin, environment: null });
    // Another version is still stopped.
    expect((await askGate(request, svc.slug, 'v2.0.5')).verdict).toBe('fail');

    await page.reload();
    const row = page.getByTestId('gate-history').locator(`tr[data-evaluation-version="${hotfix}"]`);
    await expect(row).toHaveAttribute('data-verdict', 'pass');
    await expect(row).toContainText('policy said fail, overridden');
    await expect(row.getByTestId('evaluation-override')).toContainText(admin);
    await expect(row.getByTestId('evaluation-override')).toContainText('Hotfix for the checkout errors');
  });

  const revoked = await request.delete(`/api/v1/tokens/${token.id}`);
  expect(revoked.status()).toBe(200);
});

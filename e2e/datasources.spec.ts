import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { generateCounters, startPrometheus, type RunningPrometheus } from '../test/prometheus/harness';
import { expect, test } from './fixtures';

// A real Prometheus (Debian's, /usr/bin/prometheus) over 26 hours of generated counters: job "aligned" has
// http_requests_total{code="200"|"500"} with about 0.3% errors outside one incident.
const HISTORY_HOURS = 26;
const BAD = 'http_requests_total{job="aligned",code="500"}';
const TOTAL = 'http_requests_total{job="aligned"}';
// Valid selector syntax Umpire accepts, but an invalid RE2 regexp: only Prometheus can refuse it.
const WRONG = 'http_requests_total{job="aligned",code=~"5(("}';

async function deleteQuietly(request: APIRequestContext, path: string): Promise<void> {
  const response = await request.delete(path);
  expect([204, 404], `${path}: ${await response.text()}`).toContain(response.status());
}

async function confirmDelete(page: Page, slug: string, label: string) {
  await page.getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByLabel(/Type .* to confirm/).fill(slug);
  await dialog.getByRole('button', { name: label }).click();
  return dialog;
}

test.describe('with a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let version: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    prometheus = await startPrometheus({ openMetrics: generateCounters({ hours: HISTORY_HOURS }).openMetrics });
    const info = (await (await fetch(`${prometheus.url}/api/v1/status/buildinfo`)).json()) as { data: { version: string } };
    version = info.data.version;
  });

  test.afterAll(async () => {
    await prometheus?.close();
  });

  test('a new user registers Prometheus, previews an SLI, creates a Prometheus SLO and sees its page', async ({ page, request, seed, consoleGuard }) => {
    test.setTimeout(240_000);
    // The browser logs the API's deliberate 409 (data source still in use) as a console error.
    consoleGuard.allow(/status of 409/);
    const suffix = seed.slug('p').slice(2);
    const dsName = `E2E Prometheus ${suffix}`;
    const dsSlug = `e2e-prometheus-${suffix}`;
    const serviceName = `E2E Payments ${suffix}`;
    const serviceSlug = `e2e-payments-${suffix}`;
    seed.track(serviceSlug);

    try {
      // Data source: created through the form, then tested from the list.
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data sources' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Data sources' })).toBeVisible();
      await page
        .getByRole('link', { name: /Add (a )?data source/ })
        .first()
        .click();
      await expect(page.getByRole('heading', { level: 1, name: 'New data source' })).toBeVisible();
      await page.getByRole('textbox', { name: 'Name' }).fill(dsName);
      await expect(page.getByRole('textbox', { name: 'Slug' })).toHaveValue(dsSlug);
      await page.getByRole('textbox', { name: 'URL' }).fill(prometheus.url);
      await page.getByRole('button', { name: 'Add data source' }).click();

      await expect(page).toHaveURL(/\/datasources$/);
      const row = page.locator(`tr[data-datasource="${dsSlug}"]`);
      await expect(row).toContainText(dsName);
      await expect(row).toContainText(prometheus.url);
      await expect(row).toContainText('None');
      await row.getByRole('button', { name: `Test connection to ${dsName}` }).click();
      await expect(row.getByRole('status')).toContainText(`Connected · version ${version}`);
      await expect(row.getByRole('status')).toContainText(/\d+ ms/);

      // Service, then a Prometheus ratio SLO, all through the forms.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New service' }).click();
      await page.getByRole('textbox', { name: 'Name' }).fill(serviceName);
      await expect(page.getByRole('textbox', { name: 'Slug' })).toHaveValue(serviceSlug);
      await page.getByLabel('Owner team').fill(`e2e-team-${suffix}`);
      await page.getByRole('button', { name: 'Create service' }).click();
      await expect(page).toHaveURL(new RegExp(`/services/${serviceSlug}$`));
      await page.getByRole('link', { name: 'New SLO' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /^New SLO for/ })).toBeVisible();

      await page.getByRole('textbox', { name: 'Name' }).fill('Payments availability');
      await page.getByRole('textbox', { name: 'Objective' }).fill('99.5');
      await page.getByRole('radio', { name: /^Prometheus/ }).check();
      await page.getByLabel('Data source', { exact: true }).selectOption(dsSlug);
      await expect(page.getByRole('radio', { name: /^Ratio/ })).toBeChecked();
      await page.getByRole('radio', { name: /^Bad events/ }).check();
      const eventSelector = page.getByRole('textbox', { name: 'Bad events' });
      await expect(eventSelector).toHaveAttribute('placeholder', 'http_requests_total{job="api",code=~"5.."}');
      await eventSelector.fill(BAD);
      await page.getByRole('textbox', { name: 'Total events' }).fill(TOTAL);

      // Preview before anything is saved: figures for the last hour and day, and a 24-hour sparkline.
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByTestId('sli-preview');
      await expect(preview).toBeVisible({ timeout: 30_000 });
      await expect(preview.locator('.stat').nth(0).locator('dd')).toHaveText(/^[\d,.]+ \/ [\d,.]+good \/ total events$/);
      await expect(preview.locator('.stat').nth(1).locator('dd')).toHaveText(/^9\d\.\d{4}%$/);
      await expect(preview.locator('.stat').nth(2).locator('dd')).toHaveText(/^9\d\.\d{4}%$/);
      const sparkline = preview.getByRole('img', { name: 'Hourly SLI over the last 24 hours' });
      await expect(sparkline.locator('path').last()).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);

      // A query Prometheus refuses: its own error text, verbatim, in a monospace block.
      await eventSelector.fill(WRONG);
      await expect(page.getByText('The SLI changed since this preview')).toBeVisible();
      await page.getByRole('button', { name: 'Preview' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'Prometheus rejected the query' });
      await expect(refusal).toBeVisible({ timeout: 30_000 });
      await expect(refusal.locator('pre')).toContainText('parse error: error parsing regexp: missing closing )');
      expect(await refusal.locator('pre').evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);

      await eventSelector.fill(BAD);
      await page.getByRole('button', { name: 'Create SLO' }).click();

      // The SLO page: source in full, and the evaluation state (a backfill in progress, or figures).
      await expect(page).toHaveURL(new RegExp(`/services/${serviceSlug}/slos/payments-availability$`), { timeout: 30_000 });
      await expect(page.getByRole('heading', { level: 1, name: 'Payments availability' })).toBeVisible();
      await expect(page.getByRole('main').getByText('Demo data')).toHaveCount(0);
      const source = page.getByRole('group', { name: 'SLI source' });
      await expect(source).toContainText(`Prometheus · ${dsName} ${dsSlug}`);
      await expect(source).toContainText('Kind Ratio');
      await expect(source.locator('code', { hasText: BAD })).toBeVisible();
      await expect(source.locator('code', { hasText: TOTAL })).toBeVisible();

      const panel = page.getByTestId('evaluation-panel');
      await expect(panel).toBeVisible();
      // The evaluator picks a new SLO up within its minute; the page polls every few seconds meanwhile.
      await expect(
        page
          .getByTestId('backfill-progress')
          .or(panel.getByText(/^Last evaluated/))
          .first(),
      ).toBeVisible({ timeout: 120_000 });
      await expect(panel.getByTestId('window-coverage')).toContainText(/Window coverage \d+%/);
      if (await page.getByTestId('backfill-progress').isVisible()) {
        await expect(page.getByTestId('backfill-progress')).toContainText(/Filling history: \d+%/);
        await expect(page.getByTestId('backfill-progress')).toContainText(/History from .+ to .+ so far/);
        await expect(page.getByRole('progressbar', { name: 'History backfill' })).toHaveAttribute('aria-valuenow', /\d+/);
      }
      await expect(page.getByLabel('Current status')).toContainText(/SLI \(30-day\)\s*(\d+\.\d{4}%|No data)/);

      // The history can be filled again on demand.
      const [backfill] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/payments-availability/backfill') && r.request().method() === 'POST'),
        panel.getByRole('button', { name: 'Re-run backfill' }).click(),
      ]);
      expect(backfill.status()).toBe(202);
      await expect(panel.getByRole('alert')).toHaveCount(0);

      // Its Prometheus rules, as downloads: the rule file names this SLO's group and its tiers' alerts.
      const rules = page.getByTestId('prometheus-rules');
      await expect(rules.getByRole('link', { name: 'promtool tests' })).toHaveAttribute('download', `${serviceSlug}-payments-availability.rules.test.yaml`);
      const [download] = await Promise.all([page.waitForEvent('download'), rules.getByRole('link', { name: 'Rule file' }).click()]);
      expect(download.suggestedFilename()).toBe(`${serviceSlug}-payments-availability.rules.yaml`);
      const ruleFile = readFileSync((await download.path())!, 'utf8');
      expect(ruleFile).toContain(`name: umpire-slo:${serviceSlug}/payments-availability`);
      expect(ruleFile).toContain('alert: ErrorBudgetBurnPage1h5m');

      // Editing keeps the Prometheus SLI as it was saved.
      await page.getByRole('link', { name: 'Edit SLO' }).click();
      await expect(page.getByRole('radio', { name: /^Prometheus/ })).toBeChecked();
      await expect(page.getByLabel('Data source', { exact: true })).toHaveValue(dsSlug);
      await expect(page.getByRole('radio', { name: /^Bad events/ })).toBeChecked();
      await expect(page.getByRole('textbox', { name: 'Bad events' })).toHaveValue(BAD);
      await expect(page.getByRole('textbox', { name: 'Total events' })).toHaveValue(TOTAL);
      await page.getByRole('textbox', { name: 'Objective' }).fill('99');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(page).toHaveURL(new RegExp(`/services/${serviceSlug}/slos/payments-availability$`));
      await expect(page.getByText('Objective 99%', { exact: false }).first()).toBeVisible();
      await expect(page.getByRole('group', { name: 'SLI source' }).locator('code', { hasText: BAD })).toBeVisible();

      // The service page's card names the source.
      await page.getByRole('link', { name: serviceName }).click();
      const card = page.locator('article.slo-card[data-slo="payments-availability"]');
      await expect(card).toContainText(`Prometheus · ${dsSlug} · Ratio`);
      await expect(card.locator('code.source-line-expr')).toHaveText(BAD);

      // The data source cannot go while the SLO reads from it; the API's reason is shown.
      await page.goto(`/datasources/${dsSlug}/edit`);
      await expect(page.getByRole('heading', { level: 1, name: `Edit ${dsName}` })).toBeVisible();
      const dialog = await confirmDelete(page, dsSlug, 'Delete data source');
      await expect(dialog.getByRole('alert')).toContainText(/Not deleted\..*still read from/);
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      // With the SLO gone it can.
      await deleteQuietly(request, `/api/v1/services/${serviceSlug}`);
      await page.reload();
      await confirmDelete(page, dsSlug, 'Delete data source');
      await expect(page).toHaveURL(/\/datasources$/);
      await expect(page.locator(`tr[data-datasource="${dsSlug}"]`)).toHaveCount(0);
    } finally {
      await deleteQuietly(request, `/api/v1/services/${serviceSlug}`);
      await deleteQuietly(request, `/api/v1/datasources/${dsSlug}`);
    }
  });
});

test('a data source at a link-local address gets the API’s field error, and the form keeps the input', async ({ page, request, consoleGuard }) => {
  consoleGuard.allow(/status of 422/);
  await page.goto('/datasources/new');
  await page.getByRole('textbox', { name: 'Name' }).fill('Instance metadata');
  await page.getByRole('textbox', { name: 'URL' }).fill('not a url');
  await page.getByRole('button', { name: 'Add data source' }).click();
  // Client-side first, with the shared schema.
  await expect(page.locator('#ds-url-error')).toHaveText('URL must be an http(s) URL');

  await page.getByRole('textbox', { name: 'URL' }).fill('http://169.254.169.254/latest/meta-data');
  await page.getByRole('button', { name: 'Add data source' }).click();
  const url = page.getByRole('textbox', { name: 'URL' });
  await expect(page.locator('#ds-url-error')).toHaveText('URL 169.254.169.254 is a link-local or cloud-metadata address');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(url).toBeFocused();
  await expect(url).toHaveValue('http://169.254.169.254/latest/meta-data');
  await expect(page).toHaveURL(/\/datasources\/new$/);
  // Nothing was stored.
  const list = (await (await request.get('/api/v1/datasources')).json()) as { datasources: Array<{ slug: string }> };
  expect(list.datasources.map((d) => d.slug)).not.toContain('instance-metadata');
});

test('moving a data source with credentials to another host asks for them again, on Authentication', async ({ page, request, seed, consoleGuard }) => {
  consoleGuard.allow(/status of 422/);
  const slug = seed.slug('e2e-moving');
  const created = await request.post('/api/v1/datasources', {
    data: { slug, name: `E2E moving ${slug}`, url: 'http://127.0.0.1:9', auth: { kind: 'bearer', token: 'e2e-stored-secret' } },
  });
  expect(created.status(), await created.text()).toBe(201);
  try {
    await page.goto(`/datasources/${slug}/edit`);
    await page.getByRole('textbox', { name: 'URL' }).fill('http://127.0.0.2:9');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('#ds-auth-error')).toHaveText('Authentication must be sent again: the new host needs the credentials again');
    await expect(page).toHaveURL(new RegExp(`/datasources/${slug}/edit$`));
    const stored = (await (await request.get(`/api/v1/datasources/${slug}`)).json()) as { url: string };
    expect(stored.url).toBe('http://127.0.0.1:9');

    // Given for the new host, the move is saved.
    await page.locator('#ds-token').fill('e2e-secret-for-the-new-host');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(/\/datasources$/);
    await expect(page.locator(`tr[data-datasource="${slug}"]`)).toContainText('http://127.0.0.2:9');
  } finally {
    await deleteQuietly(request, `/api/v1/datasources/${slug}`);
  }
});

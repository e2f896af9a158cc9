import type { APIRequestContext, Page } from '@playwright/test';
import { SloStatus } from '../lib/schemas';
import { expect, test } from './fixtures';

// OpenTelemetry end to end: an ingest token made on /ingest, OTLP/JSON pushed with it to /v1/metrics, and an
// SLO defined by picking from what Umpire received, computing its SLI from the counts pushed.

const METRIC = 'http.server.request.duration';
/** The semantic conventions' advised boundaries for http.server.request.duration, in seconds. */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const MINUTE = 60_000;

interface Point {
  route: string;
  status: number;
  startMs: number;
  timeMs: number;
  /** Cumulative since startMs. */
  count: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** A cumulative histogram with every request in the (0.025, 0.05] bucket: the counts are what matter here. */
function dataPoint(p: Point) {
  const bucketCounts = BOUNDS.map(() => '0').concat('0');
  bucketCounts[3] = String(p.count);
  return {
    attributes: [
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.route', value: { stringValue: p.route } },
      { key: 'http.response.status_code', value: { intValue: String(p.status) } },
    ],
    startTimeUnixNano: nanos(p.startMs),
    timeUnixNano: nanos(p.timeMs),
    count: String(p.count),
    sum: p.count * 0.04,
    bucketCounts,
    explicitBounds: BOUNDS,
  };
}

/** An OTLP/JSON ExportMetricsServiceRequest: one resource per service, one cumulative histogram each. */
function otlpRequest(services: Record<string, Point[]>) {
  return {
    resourceMetrics: Object.entries(services).map(([service, points]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeMetrics: [
        {
          scope: { name: 'e2e.otel.spec', version: '1' },
          metrics: [
            {
              name: METRIC,
              description: 'Duration of HTTP server requests.',
              unit: 's',
              histogram: { aggregationTemporality: 2, dataPoints: points.map(dataPoint) },
            },
          ],
        },
      ],
    })),
  };
}

async function push(request: APIRequestContext, baseURL: string, token: string, body: unknown) {
  return request.post(`${baseURL}/v1/metrics`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    data: body,
  });
}

/** Pushes and expects every point taken: 200 with no partial success. */
async function pushAll(request: APIRequestContext, baseURL: string, token: string, body: unknown) {
  const response = await push(request, baseURL, token, body);
  const text = await response.text();
  expect(response.status(), text).toBe(200);
  expect(JSON.parse(text) as { partialSuccess?: unknown }, text).not.toHaveProperty('partialSuccess');
}

/** Two points a minute apart for each series (route, status, requests by the first point, by the second). */
function series(startMs: number, firstMs: number, rows: Array<[route: string, status: number, first: number, second: number]>): Point[] {
  return rows.flatMap(([route, status, first, second]) => [
    { route, status, startMs, timeMs: firstMs, count: first },
    { route, status, startMs, timeMs: firstMs + MINUTE, count: second },
  ]);
}

/** Creates an ingest token through the Ingest page (with the teams and service.names it may feed) and reads it from the page, where it is shown once. */
async function createTokenInBrowser(page: Page, name: string, bindings: { teams?: string; services?: string } = {}): Promise<string> {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ingest' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ingest' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  if (bindings.teams) await page.getByRole('combobox', { name: 'Teams' }).fill(bindings.teams);
  if (bindings.services) await page.getByRole('textbox', { name: 'Services' }).fill(bindings.services);
  await page.getByRole('button', { name: 'Create token' }).click();
  const created = page.getByTestId('created-token');
  await expect(created).toBeFocused();
  await expect(created.getByRole('heading', { level: 3 })).toHaveText(`Token “${name}” created: copy it now`);
  const token = await created.getByRole('textbox', { name: 'New ingest token' }).inputValue();
  expect(token).toMatch(/^umpire_[A-Za-z0-9_-]{20,}$/);
  // The exporter settings already carry the token and this server's origin.
  const origin = new URL(page.url()).origin;
  await expect(created.getByLabel('SDK environment variables', { exact: true })).toContainText(`OTEL_EXPORTER_OTLP_ENDPOINT=${origin}`);
  await expect(created.getByLabel('SDK environment variables', { exact: true })).toContainText(`OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${token}`);
  // Listed by its prefix only.
  const row = page.locator(`tr[data-token-name="${name}"]`);
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).not.toContainText(token);
  await expect(row).toContainText('Active');
  return token;
}

/** SLI as the page shows it: a percent to four decimals, truncated (lib/slo/format.ts). */
function formatSli(good: number, total: number): string {
  const pct = Math.trunc((good / total) * 100 * 1e4 + 1e-9) / 1e4;
  return `${pct.toFixed(4)}%`;
}

test('an SLO on pushed OpenTelemetry metrics, defined by picking what Umpire received', async ({ page, request, seed, baseURL }) => {
  test.setTimeout(120_000);
  const svc = await seed.service({ name: `E2E Shop ${Date.now().toString(36)}` });
  // Unique per run: the catalog is shared by every test, the filter keeps other pushes out of the counts.
  const shop = seed.slug('shop');
  const other = seed.slug('other');
  const token = await createTokenInBrowser(page, `e2e shop ${shop}`);

  // First push, before any SLO reads the metric: nothing is counted, but the catalog learns the metric, its
  // bounds and attribute values (the SLO form's pickers).
  const t0 = Date.now();
  await pushAll(
    request,
    baseURL!,
    token,
    otlpRequest({
      [shop]: series(t0 - 7 * MINUTE, t0 - 6 * MINUTE, [
        ['/cart', 200, 10, 20],
        ['/cart', 503, 1, 2],
      ]),
      [other]: series(t0 - 7 * MINUTE, t0 - 6 * MINUTE, [['/', 500, 50, 90]]),
    }),
  );
  await page.reload();
  const received = page.locator(`tr[data-metric="${METRIC}"]`);
  await expect(received).toContainText('histogram');
  await expect(received).toContainText('service.name');
  await expect(received).toContainText('http.response.status_code');
  await expect(received).toContainText('Define an SLO');

  // The SLO form: OpenTelemetry source, HTTP availability template, metric and service picked from lists.
  await page.goto(`/services/${svc.slug}`);
  await page.getByRole('link', { name: 'New SLO' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^New SLO for/ })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill('Shop availability');
  await page.getByRole('textbox', { name: 'Objective' }).fill('99');
  await page.getByRole('radio', { name: /^OpenTelemetry \(OTLP push\)/ }).check();
  await page.getByRole('radio', { name: /^HTTP availability/ }).check();
  const metricChoice = page.getByTestId('otel-metric-list').getByRole('radio', { name: new RegExp(`^${escapeRegExp(METRIC)}\\s`) });
  await expect(metricChoice).toBeEnabled();
  await metricChoice.check();
  await expect(metricChoice).toHaveAccessibleName(/histogram · unit s · cumulative · last seen \d/);
  await expect(page.getByRole('textbox', { name: 'Metric name' })).toHaveValue(METRIC);

  // The template added a service.name resource filter; its values are those seen, to tick.
  const filter = page.getByRole('group', { name: 'Filter 1', exact: true });
  await expect(filter.getByLabel('Attribute', { exact: true })).toHaveValue('resource|service.name');
  await expect(filter.getByRole('checkbox', { name: other, exact: true })).toBeVisible();
  await filter.getByRole('checkbox', { name: shop, exact: true }).check();
  const condition = page.getByRole('group', { name: 'Condition 1', exact: true });
  await expect(condition.getByLabel('Kind')).toHaveValue('compare');
  await expect(condition.getByLabel('Attribute', { exact: true })).toHaveValue('datapoint|http.response.status_code');
  await expect(condition.getByLabel('Number')).toHaveValue('500');
  await expect(page.getByTestId('otel-explain')).toHaveText(
    `Total: every measurement recorded in ${METRIC} (the histogram’s count) where service.name is “${shop}”. Good: those where http.response.status_code < 500.`,
  );
  await page.getByRole('button', { name: 'Create SLO' }).click();

  await expect(page).toHaveURL(new RegExp(`/services/${svc.slug}/slos/shop-availability$`), { timeout: 30_000 });
  const source = page.getByRole('group', { name: 'SLI source' });
  await expect(source).toContainText('OpenTelemetry (OTLP push)');
  await expect(source).toContainText('Template HTTP availability');
  await expect(source.locator('code', { hasText: METRIC })).toBeVisible();
  await expect(source).toContainText(`service.name is “${shop}” (resource)`);
  await expect(source).toContainText('http.response.status_code < 500');
  const panel = page.getByTestId('evaluation-panel');
  await expect(panel).toContainText('No points received yet');
  await expect(panel.getByRole('button', { name: 'Re-run backfill' })).toHaveCount(0);

  // Second push, now that the SLO exists: new series (a restart: a start time after the first push's), each
  // started within 15 minutes of its first point, so both points count in full: the second point's counts.
  const t1 = Date.now();
  const rows: Array<[string, number, number, number]> = [
    ['/cart', 200, 100, 160],
    ['/cart', 503, 3, 5],
    ['/checkout', 200, 40, 75],
    ['/checkout', 404, 2, 5],
  ];
  await pushAll(
    request,
    baseURL!,
    token,
    otlpRequest({
      [shop]: series(t1 - 4 * MINUTE, t1 - 3 * MINUTE, rows),
      // Another service's errors: filtered out by service.name.
      [other]: series(t1 - 4 * MINUTE, t1 - 3 * MINUTE, [['/', 500, 500, 900]]),
    }),
  );
  const total = rows.reduce((sum, [, , , second]) => sum + second, 0);
  const good = rows.filter(([, status]) => status < 500).reduce((sum, [, , , second]) => sum + second, 0);
  expect([good, total]).toEqual([240, 245]);

  // The status API counts exactly what was pushed (the points' minutes are complete: at most now - 2 min).
  const statusPath = `/api/v1/services/${svc.slug}/slos/shop-availability/status`;
  const readStatus = async () => SloStatus.parse(await (await request.get(statusPath)).json());
  await expect.poll(async () => (await readStatus()).total, { timeout: 20_000 }).toBe(total);
  const status = await readStatus();
  expect(status.good).toBe(good);
  expect(status.total).toBe(total);
  expect(status.source).toBe('otel');
  expect(status.sli).toBeCloseTo(good / total, 12);
  expect(status.evaluation.lastSuccessAt).not.toBeNull();

  // And the page shows the SLI computed from them, with when points last arrived.
  await page.reload();
  await expect(page.getByLabel('Current status')).toContainText(new RegExp(`SLI \\(30-day\\)\\s*${escapeRegExp(formatSli(good, total))}`));
  await expect(panel).toContainText(/Last points received \d/);
  await expect(panel.getByRole('button', { name: 'Re-run backfill' })).toHaveCount(0);
  // A minutes-old SLO: its figures are marked provisional, with how much of the window they rest on (issue 13).
  expect(status.provisional).toBe(true);
  await expect(page.getByTestId('provisional-note')).toContainText(/^Provisional: \d+(\.\d)? min of 30 days measured\./);
  await expect(page.getByTestId('provisional-note')).toContainText('A tier fires only with at least 100 events in its long window');
  await page.goto(`/services/${svc.slug}`);
  const card = page.locator('article[data-slo="shop-availability"]');
  await expect(card.getByText('Provisional', { exact: true })).toBeVisible();
  await expect(card.getByTestId('provisional-note')).toContainText(/min of 30 days measured/);
  await page.goBack();

  // Editing keeps the OpenTelemetry fields as saved.
  await page.getByRole('link', { name: 'Edit SLO' }).click();
  await expect(page.getByRole('radio', { name: /^OpenTelemetry \(OTLP push\)/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /^HTTP availability/ })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Filter 1', exact: true }).getByRole('checkbox', { name: shop, exact: true })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Metric name' })).toHaveValue(METRIC);
});

test('a revoked ingest token is refused by /v1/metrics', async ({ page, request, baseURL, seed }) => {
  const name = `e2e revoke ${seed.slug('t')}`;
  const token = await createTokenInBrowser(page, name);
  const empty = { resourceMetrics: [] };
  await pushAll(request, baseURL!, token, empty);

  const row = page.locator(`tr[data-token-name="${name}"]`);
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke token “${name}”?` });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // Escape backs out, focus returning to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row.getByRole('button', { name: `Revoke ${name}` })).toBeFocused();
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await dialog.getByRole('button', { name: 'Revoke token' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `Token “${name}” revoked` })).toBeFocused();

  // Token checks are cached for up to 10 s per process.
  await expect.poll(async () => (await push(request, baseURL!, token, empty)).status(), { timeout: 20_000, intervals: [500, 1000] }).toBe(401);
  const refused = await push(request, baseURL!, token, empty);
  expect(refused.headers()['www-authenticate']).toContain('Bearer');
  expect(((await refused.json()) as { message: string }).message).toMatch(/not valid/);
});

test('an ingest token feeds only its teams’ SLOs: another team’s is refused with the reason, rebound in the page, and the SLO lists who fed it', async ({
  page,
  request,
  seed,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const svc = await seed.service();
  const app = seed.slug('api');
  const otherTeam = seed.slug('other-team');
  const sli = {
    source: 'otel',
    metric: METRIC,
    filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: [app] }],
    good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
  };
  const created = await request.post(`/api/v1/services/${svc.slug}/slos`, { data: { slug: 'pushed', name: 'Pushed availability', objective: 0.99, sli } });
  expect(created.status(), await created.text()).toBe(201);

  const own = `e2e own ${app}`;
  const stranger = `e2e stranger ${app}`;
  const ownToken = await createTokenInBrowser(page, own, { teams: svc.ownerTeam, services: app });
  const strangerToken = await createTokenInBrowser(page, stranger, { teams: otherTeam });
  // Listed with what each may feed.
  await expect(page.locator(`tr[data-token-name="${own}"]`).getByTestId('token-bindings')).toHaveText(`teams ${svc.ownerTeam}service.name ${app}`);
  await expect(page.locator(`tr[data-token-name="${stranger}"]`).getByTestId('token-bindings')).toHaveText(`teams ${otherTeam}any service.name`);

  // Another team's token: every point refused, the answer naming the SLO and the rule; nothing counted.
  const t0 = Date.now();
  const body = (startMs: number) => otlpRequest({ [app]: series(startMs, startMs + MINUTE, [['/', 500, 5, 10]]) });
  const refused = await push(request, baseURL!, strangerToken, body(t0 - 6 * MINUTE));
  expect(refused.status()).toBe(200);
  expect(await refused.json()).toEqual({
    partialSuccess: {
      rejectedDataPoints: '2',
      errorMessage: `2 points: token "${stranger}" may not feed SLO ${svc.slug}/pushed (team "${svc.ownerTeam}" not in ["${otherTeam}"])`,
    },
  });
  // Its own token: counted.
  await pushAll(request, baseURL!, ownToken, body(t0 - 5 * MINUTE));
  const statusPath = `/api/v1/services/${svc.slug}/slos/pushed/status`;
  await expect.poll(async () => SloStatus.parse(await (await request.get(statusPath)).json()).total, { timeout: 20_000 }).toBe(10);

  // The SLO page says which tokens fed it: its own, never the stranger.
  await page.goto(`/services/${svc.slug}/slos/pushed`);
  const feeders = page.getByTestId('evaluation-panel').getByTestId('feeders');
  await expect(feeders.getByRole('heading', { name: 'Fed by' })).toBeVisible();
  await expect(feeders.locator(`tr[data-token-name="${own}"] td.num`)).toHaveText('2');
  await expect(feeders.locator(`tr[data-token-name="${stranger}"]`)).toHaveCount(0);

  // An admin rebinds the stranger's token in the page: the same token now feeds the SLO.
  await page.goto('/ingest');
  const row = page.locator(`tr[data-token-name="${stranger}"]`);
  await row.getByRole('button', { name: `Edit ${stranger}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit token “${stranger}”` });
  await dialog.getByRole('textbox', { name: 'Services' }).fill(' ');
  await dialog.getByRole('textbox', { name: 'Teams' }).fill(`${otherTeam}, ${svc.ownerTeam}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('token-bindings')).toContainText(`teams ${[otherTeam, svc.ownerTeam].sort().join(', ')}`);
  await expect(page.getByRole('status').filter({ hasText: `Token “${stranger}” saved` })).toBeFocused();
  await pushAll(request, baseURL!, strangerToken, body(t0 - 4 * MINUTE));
  await expect.poll(async () => SloStatus.parse(await (await request.get(statusPath)).json()).total, { timeout: 20_000 }).toBe(20);

  // A change the schema refuses (no name) is shown in the dialog, naming the field; nothing is saved.
  await row.getByRole('button', { name: `Edit ${stranger}` }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Name is required');
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(row).toContainText(stranger);
});

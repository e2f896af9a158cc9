import { expect, test } from './fixtures';

interface Status {
  source: string;
  evaluation: { lastSuccessAt: string | null };
}
interface Catalog {
  metrics: Array<{ name: string; attributes: Array<{ scope: string; key: string; values: string[] }> }>;
}

// e2e/serve.ts runs the server as `npm start` does: self-observation on (every 2 s here), pushing Umpire's
// own metrics to its own /v1/metrics with its own ingest token; the demo seed gives Umpire its own SLOs.
test("Umpire's own SLOs are fed by its own telemetry through its own OTLP receiver", async ({ page, request }) => {
  await page.goto('/services/umpire');
  await expect(page.getByRole('heading', { level: 1, name: /^Umpire/ })).toBeVisible();
  await expect(page.getByText('Umpire availability')).toBeVisible();

  // Ingest marks an SLO fresh when points for it arrive: the page visits above are among them.
  for (const slo of ['availability', 'latency']) {
    await expect
      .poll(async () => ((await (await request.get(`/api/v1/services/umpire/slos/${slo}/status`)).json()) as Status).evaluation.lastSuccessAt, {
        timeout: 30_000,
      })
      .not.toBeNull();
  }
  const status = (await (await request.get('/api/v1/services/umpire/slos/availability/status')).json()) as Status;
  expect(status.source).toBe('otel');

  // The metric catalogue knows Umpire's own request metric, by route template, never by raw URL. The push that
  // carries the page visit above may come a few seconds after the one that first marked the SLOs fresh.
  const routes = async () => {
    const catalog = (await (await request.get('/api/v1/otel/metrics')).json()) as Catalog;
    const metric = catalog.metrics.find((m) => m.name === 'http.server.request.duration');
    const values = (scope: string, key: string) => metric?.attributes.find((a) => a.scope === scope && a.key === key)?.values ?? [];
    return { services: values('resource', 'service.name'), routes: values('datapoint', 'http.route') };
  };
  await expect.poll(async () => (await routes()).routes, { timeout: 30_000 }).toContain('/services/[service]');
  const seen = await routes();
  expect(seen.services).toContain('umpire');
  expect(seen.routes).not.toContain('/services/umpire');
});

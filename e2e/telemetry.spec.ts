import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as apiTest, type APIRequestContext } from '@playwright/test';
import { ADMIN_STATE } from './auth';
import { expect, test } from './fixtures';

/** The OTLP capture server e2e/serve.ts runs next to the Umpire server; null when serve.ts did not start it. */
function captureUrl(): string | null {
  const file = path.join(os.tmpdir(), `umpire-e2e-otlp-capture-${Number(process.env.E2E_PORT ?? 3107)}.json`);
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url;
  } catch {
    return null;
  }
}

/** Every trace export the capture server received, as text: protobuf keeps strings verbatim. */
async function capturedTraces(request: APIRequestContext, capture: string): Promise<string> {
  const { bodies } = (await (await request.get(`${capture}/captured/traces`)).json()) as { bodies: string[] };
  return bodies.map((body) => Buffer.from(body, 'base64').toString('latin1')).join('\n');
}

test('GET /metrics serves HTTP durations by route template and the evaluator metrics', async ({ page, request }) => {
  await page.goto('/services/checkout-api');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const metrics = async () => (await request.get('/metrics')).text();
  await expect
    .poll(metrics, { timeout: 30_000 })
    .toMatch(
      /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/services\/\[service\]",http_response_status_code="200",[^}]*\} [1-9]\d*$/m,
    );
  // The evaluator's first pass starts with the server; the demo catalogue takes it a few seconds.
  await expect.poll(metrics, { timeout: 45_000 }).toMatch(/^umpire_evaluation_duration_seconds_count\{scope="all",[^}]*\} [1-9]\d*$/m);

  const response = await request.get('/metrics');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  expect(text).toMatch(/^# TYPE http_server_request_duration_seconds histogram$/m);
  expect(text).toMatch(/^umpire_evaluation_lag_seconds\{[^}]*\} \d/m);
  expect(text).toMatch(/^target_info\{[^}]*service_name="umpire"/m);
  // Labels hold route templates, never the URL that was asked for.
  expect(text).not.toMatch(/http_route="\/services\/checkout-api/);
});

// No page here, so no browser (and no console to guard).
apiTest('traces reach the OTLP endpoint: incoming requests, evaluator passes and database queries', async ({ playwright, baseURL }) => {
  const capture = captureUrl();
  apiTest.skip(capture === null, 'the Umpire server was not started by e2e/serve.ts (E2E_BASE_URL)');
  // The page as the signed-in admin asks for it (pages read the session cookie, never a bearer token).
  const request = await playwright.request.newContext({ baseURL, storageState: ADMIN_STATE });
  const response = await request.get('/services/checkout-api', { maxRedirects: 0 });
  expect(response.status()).toBe(200);

  await expect
    .poll(
      async () => {
        const traces = await capturedTraces(request, capture!);
        return {
          // Next.js's request span, named by its route template.
          request: traces.includes('GET /services/[service]') && traces.includes('BaseServer.handleRequest'),
          evaluator: traces.includes('evaluator.pass'),
          database: traces.includes('@opentelemetry/instrumentation-pg') && traces.includes('postgresql'),
          service: traces.includes('umpire'),
        };
      },
      { timeout: 30_000 },
    )
    .toEqual({ request: true, evaluator: true, database: true, service: true });
  await request.dispose();
});

import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { e2eAuth } from './auth';

export { expect };

export interface ConsoleGuard {
  /** Lets one expected console error through, e.g. the browser's log line for a deliberate 409. */
  allow(pattern: RegExp): void;
}

export interface SeededService {
  slug: string;
  name: string;
  ownerTeam: string;
}

export interface Seeder {
  /** A unique slug for this test: never shared with another test or run. */
  slug(prefix: string): string;
  /** Creates a service through the API; it is deleted (with its SLOs) after the test. */
  service(overrides?: Partial<{ name: string; ownerTeam: string; tier: number; description: string }>): Promise<SeededService>;
  /**
   * Creates a demo-source SLO through the API and waits until the server's evaluator has filled its 90 days of
   * history (in the background, a few seconds), so the test sees the same figures every time.
   */
  slo(service: string, overrides?: Record<string, unknown>): Promise<{ slug: string; name: string }>;
  /** Registers a slug the test creates through the UI, so it is cleaned up even if the test fails midway. */
  track(serviceSlug: string): void;
}

async function deleteQuietly(request: APIRequestContext, slug: string): Promise<void> {
  const response = await request.delete(`/api/v1/services/${slug}`);
  // 404: the test deleted it itself, which is fine.
  expect([204, 404]).toContain(response.status());
}

export const test = base.extend<{ consoleGuard: ConsoleGuard; seed: Seeder }>({
  // The API, as a script would call it: with the suite's admin token (the page keeps its own session cookie).
  request: async ({ playwright, baseURL }, provide) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${e2eAuth().adminToken}` } });
    await provide(context);
    await context.dispose();
  },

  // Auto: every test fails on a console error or an uncaught page error, unless the test allowed it.
  consoleGuard: [
    async ({ page }, provide) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      await provide({ allow: (pattern) => allowed.push(pattern) });
      const unexpected = errors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
      expect(unexpected, 'console errors or page errors during the test').toEqual([]);
    },
    { auto: true },
  ],

  seed: async ({ request }, provide, testInfo) => {
    const created = new Set<string>();
    const unique = () => `${testInfo.workerIndex}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const seeder: Seeder = {
      slug: (prefix) => `${prefix}-${unique()}`,
      track: (slug) => created.add(slug),
      async service(overrides = {}) {
        const slug = `e2e-svc-${unique()}`;
        const body = {
          slug,
          name: overrides.name ?? `E2E service ${slug.slice(-8)}`,
          ownerTeam: overrides.ownerTeam ?? `e2e-team-${unique()}`,
          tier: overrides.tier ?? 2,
          description: overrides.description ?? 'Created by an e2e test.',
        };
        const response = await request.post('/api/v1/services', { data: body });
        expect(response.status(), await response.text()).toBe(201);
        created.add(slug);
        return { slug, name: body.name, ownerTeam: body.ownerTeam };
      },
      async slo(service, overrides = {}) {
        const slug = `slo-${unique()}`;
        const body = {
          slug,
          name: `E2E SLO ${slug.slice(-6)}`,
          objective: 0.999,
          sli: { source: 'demo', profile: 'availability', seed: slug },
          ...overrides,
        };
        const response = await request.post(`/api/v1/services/${service}/slos`, { data: body });
        expect(response.status(), await response.text()).toBe(201);
        if ((body.sli as { source?: unknown }).source === 'demo') {
          await expect
            .poll(
              async () => {
                const status = (await (await request.get(`/api/v1/services/${service}/slos/${String(body.slug)}/status`)).json()) as {
                  evaluation: { backfill: { progress: number } | null };
                };
                return status.evaluation.backfill?.progress ?? 0;
              },
              { timeout: 60_000, message: `the history of ${service}/${String(body.slug)} was not filled` },
            )
            .toBe(1);
        }
        return { slug: String(body.slug), name: String(body.name) };
      },
    };
    await provide(seeder);
    for (const slug of created) await deleteQuietly(request, slug);
  },
});

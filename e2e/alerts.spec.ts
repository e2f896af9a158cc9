import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { encryptSecret } from '../lib/crypto/secrets';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WebhookPayload } from '../lib/notify/webhook/contract';
import { CreatedApiToken } from '../lib/schemas';
import { e2eAuth } from './auth';
import { expect, test } from './fixtures';
import { METRIC, push } from './otlp';

// Alerts that reach people, end to end: an OpenTelemetry SLO fed over OTLP/JSON, a burst of 5xx that fires its
// page tier, a webhook channel routed to the service's team (a local receiver), the Firing now page and the SLO's
// alert history; then traffic that dilutes the errors below every threshold, and the resolve that follows.

const MINUTE = 60_000;
const SLO = 'availability';
/** The evaluator records alerts once a minute (2 s after it turns), the dispatcher sends within seconds. */
const PASS_TIMEOUT = 150_000;

interface Received {
  signature: string | undefined;
  body: string;
}

/** A webhook receiver on this machine (the server posts to it through its outbound guard): keeps every raw body. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
      received.push({ signature: Array.isArray(header) ? header[0] : header, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/umpire`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A webhook channel and a route for the team's page burn-rate alerts, written straight into the suite's database:
 * the channels API is not there yet. The secret is stored as the API would store it, encrypted with the server's key.
 */
async function createWebhookRoute(team: string, url: string, signingSecret: string): Promise<{ remove: () => Promise<void> }> {
  const { databaseUrl, secretKey } = e2eAuth();
  if (!databaseUrl || !secretKey) throw new Error('e2e/serve.ts left no database URL or secret key in the auth file');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const channelId = randomUUID();
  try {
    await client.query(
      `INSERT INTO notification_channels (id, slug, name, kind, config, secret, created_by, updated_at) VALUES ($1, $2, $3, 'webhook', $4, $5, 'e2e', now())`,
      [channelId, `e2e-hook-${channelId.slice(0, 8)}`, 'E2E webhook', JSON.stringify({ kind: 'webhook', url }), encryptSecret(signingSecret, secretKey)],
    );
    await client.query(
      `INSERT INTO notification_routes (id, team, channel_id, severities, kinds, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, 'e2e', now())`,
      [randomUUID(), team, channelId, ['page'], ['burn_rate']],
    );
  } finally {
    await client.end();
  }
  return {
    async remove() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query('DELETE FROM notification_channels WHERE id = $1', [channelId]);
      } finally {
        await c.end();
      }
    },
  };
}

test('a demo incident fires a page alert that arrives at a configured webhook, appears on the timeline and resolves', async ({ page, request, seed }) => {
  test.setTimeout(360_000);
  const svc = await seed.service({ name: `E2E Alerts ${Date.now().toString(36)}`, tier: 1 });
  const serviceName = seed.slug('alert-shop');
  const receiver = await startReceiver();
  const signingSecret = randomBytes(24).toString('hex');
  const route = await createWebhookRoute(svc.ownerTeam, receiver.url, signingSecret);
  const tokenResponse = await request.post('/api/v1/tokens', { data: { name: `e2e ${serviceName}` } });
  expect(tokenResponse.status(), await tokenResponse.text()).toBe(201);
  const token = CreatedApiToken.parse(await tokenResponse.json());

  try {
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
    const sloHref = `/services/${svc.slug}/slos/${SLO}`;

    // Healthy traffic, then half the requests failing for two minutes: every burn-rate tier fires.
    const t0 = Date.now();
    const okStart = t0 - 6 * MINUTE;
    const errStart = t0 - 3 * MINUTE;
    await push(request, token.token, serviceName, [
      { status: 200, startMs: okStart, timeMs: t0 - 5 * MINUTE, count: 600 },
      { status: 200, startMs: okStart, timeMs: t0 - 2 * MINUTE, count: 1200 },
      { status: 503, startMs: errStart, timeMs: t0 - 2 * MINUTE, count: 500 },
      { status: 503, startMs: errStart, timeMs: t0 - MINUTE, count: 1000 },
      { status: 200, startMs: okStart, timeMs: t0 - MINUTE, count: 1700 },
    ]);

    const payloads = () =>
      receiver.received.map((r) => ({ ...r, payload: WebhookPayload.parse(JSON.parse(r.body)) })).filter((r) => r.payload.service.slug === svc.slug);

    let eventId = '';
    await test.step('the page alert fires and a signed trigger reaches the webhook', async () => {
      // Both page tiers (1h/5m and 6h/30m) fire in the same pass; this follows the fast one.
      const isFastTrigger = (r: ReturnType<typeof payloads>[number]) => r.payload.action === 'trigger' && r.payload.event.longWindow === '1h';
      await expect
        .poll(() => payloads().filter(isFastTrigger).length, { timeout: PASS_TIMEOUT, intervals: [1000], message: 'no trigger arrived' })
        .toBeGreaterThan(0);
      const trigger = payloads().find(isFastTrigger)!;
      expect(verifyWebhookSignature(signingSecret, trigger.signature, trigger.body)).toBe(true);
      expect(verifyWebhookSignature('not-the-secret', trigger.signature, trigger.body)).toBe(false);
      expect(trigger.payload.event).toMatchObject({ kind: 'burn_rate', severity: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4, endedAt: null });
      expect(trigger.payload.slo).toMatchObject({ slug: SLO, name: 'Checkout availability' });
      expect(trigger.payload.service.team).toBe(svc.ownerTeam);
      // Routed to page burn-rate alerts only: no ticket tier reached this channel.
      expect(payloads().every((r) => r.payload.event.severity === 'page' && r.payload.event.kind === 'burn_rate')).toBe(true);
      eventId = trigger.payload.event.id;
    });

    await test.step('Firing now lists it, filtered by team in the URL, linked to its SLO', async () => {
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Firing now' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Firing now' })).toBeVisible();
      await page.getByLabel('Team').selectOption(svc.ownerTeam);
      await expect(page).toHaveURL(new RegExp(`/alerts\\?team=${svc.ownerTeam}$`));
      const item = page.locator(`li[data-alert-id="${eventId}"]`);
      await expect(item).toHaveAttribute('data-state', 'firing');
      await expect(item).toContainText('Firing');
      await expect(item).toContainText('Page');
      await expect(item).toContainText('Burn rate 1h/5m above 14.4×');
      await expect(item).toContainText('firing now');
      await expect(item).toContainText(/Started.*\d{2}:\d{2}.*\((just now|\d+ min ago)\)/);
      await expect(item.getByText(/^\d+\.\d{2}×$/)).toBeVisible();
      await expect(item.getByRole('link', { name: 'Checkout availability' })).toHaveAttribute('href', sloHref);
      await expect(page.getByTestId('firing-alerts')).toBeVisible();
      // Another team's view of the same page has nothing of this one.
      await page.goto(`/alerts?team=${svc.ownerTeam}-nobody`);
      await expect(page.getByTestId('nothing-fires')).toContainText('Nothing is firing for these filters');
    });

    await test.step('the SLO page and the service page show it in their alert timelines', async () => {
      await page.goto(sloHref);
      const history = page.getByRole('region', { name: 'Alert history', exact: true });
      const item = history.locator(`li[data-alert-id="${eventId}"]`);
      await expect(item).toHaveAttribute('data-state', 'firing');
      await expect(item).toContainText('Burn rate 1h/5m above 14.4×');
      await expect(item).toContainText('firing now');
      // Readable on a phone: at 390 px the event's card fits the screen, nothing cut off or scrolling sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(item).toContainText('Budget spent');
      const fits = await item.evaluate((el) => ({ right: el.getBoundingClientRect().right, overflow: el.scrollWidth - el.clientWidth }));
      expect(fits.right).toBeLessThanOrEqual(390);
      expect(fits.overflow).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`/services/${svc.slug}`);
      await expect(page.getByRole('region', { name: 'Alerts', exact: true }).locator(`li[data-alert-id="${eventId}"]`)).toContainText('Checkout availability');
    });

    // The incident ends: a flood of good requests in the latest minute brings every window's error ratio far below 1×.
    const t1 = Date.now();
    await push(request, token.token, serviceName, [{ status: 200, startMs: okStart, timeMs: t1 - 1000, count: 1_001_700 }]);

    await test.step('the alert resolves: a signed resolve reaches the webhook and the timeline shows it ended', async () => {
      await expect
        .poll(() => payloads().filter((r) => r.payload.action === 'resolve' && r.payload.event.id === eventId).length, {
          timeout: PASS_TIMEOUT,
          intervals: [1000],
          message: 'no resolve arrived',
        })
        .toBeGreaterThan(0);
      const resolve = payloads().find((r) => r.payload.action === 'resolve' && r.payload.event.id === eventId)!;
      expect(verifyWebhookSignature(signingSecret, resolve.signature, resolve.body)).toBe(true);
      expect(resolve.payload.event.endedAt).not.toBeNull();

      await page.goto(sloHref);
      const item = page.getByRole('region', { name: 'Alert history', exact: true }).locator(`li[data-alert-id="${eventId}"]`);
      await expect(item).toHaveAttribute('data-state', 'resolved');
      await expect(item).toContainText('Resolved');
      await expect(item).not.toContainText('firing now');
      await expect(item).toContainText(/Duration\s*\d+ (s|min)/);

      await page.goto(`/alerts?view=resolved&team=${svc.ownerTeam}`);
      await expect(page.getByRole('link', { name: 'Recently resolved' })).toHaveAttribute('aria-current', 'page');
      await expect(page.locator(`li[data-alert-id="${eventId}"]`)).toHaveAttribute('data-state', 'resolved');
    });
  } finally {
    await route.remove();
    await receiver.close();
    await request.delete(`/api/v1/tokens/${token.id}`);
  }
});

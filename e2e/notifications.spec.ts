import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

// A webhook channel and a route made through the Notifications page, then seen on the service page's "Who is paged".
test.describe('notifications', () => {
  let receiver: http.Server;
  let receiverUrl = '';

  test.beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok from the e2e receiver');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  test.afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('an admin adds a webhook channel and routes a team’s page alerts to it; the service page says who is paged', async ({ page, request, seed }) => {
    const service = await seed.service();
    const suffix = seed.slug('n').slice(2);
    const name = `E2E Hook ${suffix}`;
    const slug = `e2e-hook-${suffix}`;
    try {
      await page.goto(`/services/${service.slug}`);
      const paged = page.getByRole('region', { name: 'Who is paged' });
      await expect(paged).toContainText('No route sends this service’s page alerts anywhere');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
      await page.getByRole('link', { name: 'Add channel' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'New channel' })).toBeVisible();
      await page.getByRole('textbox', { name: 'Name' }).fill(name);
      await expect(page.getByRole('textbox', { name: 'Slug' })).toHaveValue(slug);
      await page.getByRole('radio', { name: /Webhook/ }).check();
      await page.getByRole('textbox', { name: 'URL' }).fill(receiverUrl);
      await page.getByLabel('Signing secret').fill('e2e-signing-secret-value');
      await page.getByRole('button', { name: 'Add channel' }).click();

      await expect(page).toHaveURL(/\/notifications$/);
      const row = page.locator(`tr[data-channel="${slug}"]`);
      await expect(row).toContainText(name);
      await expect(row).toContainText(receiverUrl);
      await expect(row).not.toContainText('e2e-signing-secret-value');
      await row.getByRole('button', { name: `Send a test to ${name}` }).click();
      // The outcome shows inline, whatever the receiver said.
      await expect(row.getByRole('status')).toContainText(/Delivered|Failed/);

      const form = page.getByRole('form', { name: 'Add route' });
      await form.getByLabel('Team').selectOption(service.ownerTeam);
      await form.getByLabel('Channel').selectOption(slug);
      await form.getByRole('checkbox', { name: 'page' }).check();
      await form.getByRole('button', { name: 'Add route' }).click();
      const routes = page.locator(`table[data-team="${service.ownerTeam}"]`);
      await expect(routes).toContainText(name);
      await expect(routes).toContainText('page');

      await page.goto(`/services/${service.slug}`);
      await expect(paged.locator('table[data-severity="page"]')).toContainText(name);
      await expect(paged).not.toContainText('No route sends this service’s page alerts anywhere');
      await expect(paged).toContainText('No route sends its ticket alerts anywhere');
    } finally {
      const listed = (await (await request.get(`/api/v1/routes?team=${encodeURIComponent(service.ownerTeam)}`)).json()) as { routes: Array<{ id: string }> };
      for (const route of listed.routes) await request.delete(`/api/v1/routes/${route.id}`);
      const deleted = await request.delete(`/api/v1/channels/${slug}`);
      expect([204, 404]).toContain(deleted.status());
    }
  });
});

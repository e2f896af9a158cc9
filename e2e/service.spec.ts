import { expect, test } from './fixtures';

test('a service page shows each SLO with its SLI, budget, burn-rate trend and alerts', async ({ page }) => {
  await page.goto('/services/checkout-api');
  await expect(page.getByRole('heading', { level: 1, name: /Checkout API/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 }).getByText('Demo data')).toBeVisible();
  await expect(page.getByText('payments', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /Runbook/ })).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(page.getByRole('link', { name: 'Edit service' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete service' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New SLO' })).toBeVisible();

  const cards = page.locator('article.slo-card');
  await expect(cards).toHaveCount(2);
  for (const card of await cards.all()) {
    await expect(card.getByText('Demo data')).toBeVisible();
    await expect(card.locator('.stat dd').first()).toHaveText(/^\d+\.\d{4}%objective \d+(\.\d+)?%$|^No data/);
    await expect(card.locator('.budget')).toHaveText(/^(\u2212?\d+(\.\d)?%|No data)$/);
    const sparkline = card.getByRole('img', { name: /1h burn rate of .+ over the last 24 hours/ });
    await expect(sparkline.locator('path').last()).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
    await expect(card.locator('.alert-badges .badge').first()).toHaveText(/firing|No alerts firing|No data/);
  }
  await cards.first().getByRole('heading').getByRole('link').click();
  await expect(page).toHaveURL(/\/services\/checkout-api\/slos\/[a-z-]+$/);
});

test('creates a service through the form', async ({ page, seed }) => {
  const team = seed.slug('e2e-team');
  const name = `E2E Orders ${team.slice(-6)}`;
  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'New service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New service' })).toBeVisible();

  await page.getByLabel('Name').fill(name);
  // The slug is suggested from the name.
  const slug = name.toLowerCase().replace(/\s+/g, '-');
  await expect(page.getByLabel('Slug')).toHaveValue(slug);
  // Once the slug is edited by hand, the name no longer changes it.
  await page.getByLabel('Slug').fill(`${slug}-draft`);
  await page.getByLabel('Name').fill(`${name} again`);
  await expect(page.getByLabel('Slug')).toHaveValue(`${slug}-draft`);
  await page.getByLabel('Slug').fill(slug);
  await page.getByLabel('Name').fill(name);
  seed.track(slug);
  await page.getByLabel('Owner team').fill(team);
  await page.getByRole('radio', { name: /Tier 1/ }).check();
  await page.getByLabel('Description').fill('Takes orders. Created by an e2e test.');
  await page.getByLabel('Runbook URL').fill('https://runbooks.example.com/orders');
  await page.getByRole('button', { name: 'Create service' }).click();

  await expect(page).toHaveURL(new RegExp(`/services/${slug}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText(team)).toBeVisible();
  await expect(page.getByText('Tier 1', { exact: true })).toBeVisible();
  const runbook = page.getByRole('link', { name: /Runbook/ });
  await expect(runbook).toHaveAttribute('href', 'https://runbooks.example.com/orders');
  await expect(runbook).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(page.getByRole('heading', { name: 'No SLOs yet' })).toBeVisible();

  // It is on the overview too, under its team.
  await page.goto(`/?team=${team}`);
  await expect(page.locator(`tr[data-service="${slug}"]`)).toContainText(name);
});

test('shows field errors for invalid input and keeps what was typed', async ({ page, seed, consoleGuard }) => {
  const existing = await seed.service();
  await page.goto('/services/new');

  await page.getByLabel('Slug').fill('Bad Slug!');
  await page.getByLabel('Owner team').fill('e2e-errors');
  await page.getByLabel('Runbook URL').fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Create service' }).click();

  // Client-side, from the shared schema: one message per field, wired to the field.
  const nameInput = page.getByLabel('Name');
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');
  await expect(nameInput).toBeFocused();
  await expect(page.locator('#service-name-error')).toHaveText('Name is required');
  await expect(nameInput).toHaveAttribute('aria-describedby', /service-name-error/);
  await expect(page.locator('#service-slug-error')).toContainText('must be lowercase letters, digits and single hyphens');
  await expect(page.locator('#service-link-runbook-error')).toHaveText('Runbook URL must be an http(s) URL');
  await expect(page.locator('#form-error')).toContainText('Please correct the 3 fields marked below.');
  await expect(page.locator('#form-error').getByRole('link')).toHaveCount(3);
  // Nothing typed is lost.
  await expect(page.getByLabel('Slug')).toHaveValue('Bad Slug!');
  await expect(page.getByLabel('Runbook URL')).toHaveValue('javascript:alert(1)');
  await expect(page.getByLabel('Owner team')).toHaveValue('e2e-errors');

  // Server-side: a taken slug comes back as a 409 with a field error, shown at the slug.
  consoleGuard.allow(/status of 409/);
  await nameInput.fill('Duplicate of an existing service');
  await page.getByLabel('Slug').fill(existing.slug);
  await page.getByLabel('Runbook URL').fill('');
  await page.getByRole('button', { name: 'Create service' }).click();
  await expect(page.locator('#service-slug-error')).toHaveText('Slug is already taken');
  await expect(page.getByLabel('Slug')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Slug')).toHaveValue(existing.slug);
  await expect(nameInput).toHaveValue('Duplicate of an existing service');
  await expect(page.locator('#service-name-error')).toHaveCount(0);
  await expect(page).toHaveURL(/\/services\/new$/);
});

test('edits a service, then deletes it through the confirmation dialog', async ({ page, seed, request }) => {
  const service = await seed.service({ tier: 3 });
  await page.goto(`/services/${service.slug}`);
  await page.getByRole('link', { name: 'Edit service' }).click();
  await expect(page.getByLabel('Name')).toHaveValue(service.name);
  await expect(page.getByRole('radio', { name: /Tier 3/ })).toBeChecked();

  const renamed = `${service.name} (renamed)`;
  await page.getByLabel('Name').fill(renamed);
  // Editing keeps the slug: it is not re-suggested from the new name.
  await expect(page.getByLabel('Slug')).toHaveValue(service.slug);
  await page.getByRole('radio', { name: /Tier 2/ }).check();
  await page.getByLabel('Dashboard URL').fill('https://grafana.example.com/d/e2e');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${service.slug}$`));
  await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByText('Tier 2', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /Dashboard/ })).toHaveAttribute('href', 'https://grafana.example.com/d/e2e');

  // The dialog: focus starts on Cancel, Escape closes it, Delete needs the slug typed.
  await page.getByRole('button', { name: 'Delete service' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Delete service' }).click();
  const confirm = dialog.getByRole('button', { name: 'Delete service' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(service.slug);
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
  await expect(page.locator(`tr[data-service="${service.slug}"]`)).toHaveCount(0);
  expect((await request.get(`/api/v1/services/${service.slug}`)).status()).toBe(404);
});

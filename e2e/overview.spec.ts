import { expect, test } from './fixtures';

const HEALTH_RANK: Record<string, number> = { Paging: 0, Ticket: 1, OK: 2, 'No data': 3 };
const DEMO = ['checkout-api', 'payments-gateway', 'search', 'notifications'];

test('the overview lists the demo services with their budget and alert state, most urgent first', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New service' }).first()).toBeVisible();

  const table = page.getByRole('table');
  for (const slug of DEMO) {
    const row = table.locator(`tr[data-service="${slug}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByText('Demo data')).toBeVisible();
    // A budget figure (possibly negative, with a real minus sign) and a textual alert state.
    await expect(row.locator('.budget')).toHaveText(/^(\u2212?\d+(\.\d+)?%|No data)$/);
    await expect(row.locator('.badge').last()).toHaveText(/^(Paging|Ticket|OK|No data)/);
  }
  await expect(table.locator('tr[data-service="checkout-api"]')).toContainText('payments');
  await expect(table.locator('tr[data-service="checkout-api"]')).toContainText('Tier 1');
  await expect(table.locator('tr[data-service="search"]')).toContainText('discovery');

  // Services in trouble come first: health ranks never decrease down the table.
  const states = await table.locator('tbody tr td:last-child .badge').allInnerTexts();
  const ranks = states.map((s) => HEALTH_RANK[s.split(' · ')[0]!.trim()] ?? 99);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
});

test('filters by team and tier, and searches, with the filters in the URL', async ({ page }) => {
  await page.goto('/');
  const rows = page.locator('tbody tr');

  await page.getByLabel('Team').selectOption('payments');
  await expect(page).toHaveURL(/[?&]team=payments/);
  await expect(page.locator('tr[data-service="checkout-api"]')).toBeVisible();
  await expect(page.locator('tr[data-service="payments-gateway"]')).toBeVisible();
  await expect(page.locator('tr[data-service="search"]')).toHaveCount(0);
  for (const team of await rows.locator('td:nth-child(2)').allInnerTexts()) expect(team).toBe('payments');

  // Tier 2 has no payments service: the no-match state, with a way out.
  await page.getByLabel('Tier').selectOption('2');
  await expect(page).toHaveURL(/tier=2/);
  await expect(page.getByRole('heading', { name: 'No services match these filters' })).toBeVisible();
  await expect(rows).toHaveCount(0);

  // The filtered view is a link: loading it directly gives the same result.
  await page.goto('/?team=payments&tier=1');
  await expect(page.getByLabel('Team')).toHaveValue('payments');
  await expect(page.getByLabel('Tier')).toHaveValue('1');
  await expect(page.locator('tr[data-service="checkout-api"]')).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('tr[data-service="search"]')).toBeVisible();

  // Search by keyboard: type and press Enter.
  await page.getByLabel('Search').fill('gateway');
  await page.getByLabel('Search').press('Enter');
  await expect(page).toHaveURL(/q=gateway/);
  await expect(page.locator('tr[data-service="payments-gateway"]')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole('status')).toContainText('1 service');
});

test('a long list comes in pages of 50, the most urgent first, with the filters kept from page to page', async ({ page, seed }) => {
  const team = seed.slug('pager-team');
  // 51 services without SLOs: all OK with no budget yet, so they follow in name order.
  const names: string[] = [];
  for (let i = 0; i < 51; i++) names.push((await seed.service({ ownerTeam: team, name: `Paged ${String(i).padStart(2, '0')}` })).name);

  await page.goto(`/?team=${team}`);
  const rows = page.locator('tbody tr');
  await expect(page.getByRole('status')).toContainText('51 services');
  await expect(page.getByRole('status')).toContainText('showing 1–50');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(names[0]!);
  const pager = page.getByRole('navigation', { name: 'Pages of services' });
  await expect(pager).toContainText('Page 1 of 2');
  await expect(pager.getByRole('link', { name: 'Previous' })).toHaveCount(0);

  await pager.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(new RegExp(`/\\?team=${team}&page=2$`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(names[50]!);
  await expect(page.getByRole('status')).toContainText('showing 51–51');
  await expect(page.getByLabel('Team')).toHaveValue(team);

  await pager.getByRole('link', { name: 'Previous' }).click();
  await expect(page).toHaveURL(new RegExp(`/\\?team=${team}$`));
  await expect(rows).toHaveCount(50);

  // A page past the last shows the last; nonsense shows the first.
  await page.goto(`/?team=${team}&page=9`);
  await expect(pager).toContainText('Page 2 of 2');
  await page.goto(`/?team=${team}&page=x`);
  await expect(pager).toContainText('Page 1 of 2');
});

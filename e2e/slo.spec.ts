import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Each chart's SVG has drawn at least one non-empty line path. */
async function expectChartsDrawn(page: Page) {
  const charts = page.getByTestId('slo-charts').locator('svg.recharts-surface');
  await expect(charts).toHaveCount(3);
  for (const chart of await charts.all()) {
    await expect(chart).toHaveAttribute('aria-label', /.+/);
    const curve = chart.locator('path.recharts-curve').first();
    await expect(curve).toHaveAttribute('d', /^M[\d.]+/);
  }
}

function tierRows(page: Page): Locator {
  return page
    .getByRole('table')
    .filter({ has: page.getByRole('columnheader', { name: 'Short window' }) })
    .locator('tbody tr');
}

test('creates an SLO through the form and lands on its page with charts, tiers and the window sentence', async ({ page, seed }) => {
  test.setTimeout(90_000);
  const service = await seed.service();
  await page.goto(`/services/${service.slug}`);
  await expect(page.getByRole('heading', { name: 'No SLOs yet' })).toBeVisible();
  await page.getByRole('link', { name: 'New SLO' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^New SLO for/ })).toBeVisible();

  await page.getByLabel('Name').fill('Orders availability');
  await expect(page.getByLabel('Slug')).toHaveValue('orders-availability');
  await page.getByLabel('Description').fill('Share of order requests answered without a 5xx.');
  // Percent in, fraction out; the implied budget follows what is typed.
  await page.getByRole('textbox', { name: 'Objective' }).fill('99.5');
  await expect(page.getByTestId('implied-budget')).toContainText('0.5% of events may fail');
  await expect(page.getByTestId('implied-budget')).toContainText('3.6 h per 30 days');
  await page.getByRole('radio', { name: /Latency/ }).check();
  await page.getByLabel('Events per minute').fill('300');
  await page.getByRole('button', { name: 'Add label' }).click();
  await page.getByLabel('Label 1 key').fill('team');
  await page.getByLabel('Label 1 value').fill('orders');
  await page.getByRole('button', { name: 'Create SLO' }).click();

  await expect(page).toHaveURL(new RegExp(`/services/${service.slug}/slos/orders-availability$`), { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Orders availability' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Demo data').first()).toBeVisible();
  await expect(page.getByText('team=orders')).toBeVisible();
  await expect(page.getByText('Objective 99.5%', { exact: false }).first()).toBeVisible();

  const sentence = page.getByTestId('window-sentence');
  await expect(sentence).toContainText(/30-day rolling window: .+ to .+; budget 3\.6 h of errors, (\u2212?[\d.]+% left|no data yet)/);

  const rows = tierRows(page);
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText(/Page\s*1h.*5m.*> 14\.4×/s);
  await expect(rows.nth(3)).toContainText(/Ticket\s*3d.*6h.*> 1×/s);
  for (const row of await rows.all()) await expect(row.locator('td').last()).toHaveText(/^(Firing|OK|No data)$/);

  await expectChartsDrawn(page);
  const burn = page.getByTestId('slo-charts').locator('svg.recharts-surface').nth(2);
  await expect(burn.locator('.recharts-reference-line')).toHaveCount(4);
  await expect(burn).toContainText('page 1h/5m > 14.4×');

  // The time range is kept in the URL and survives a reload.
  await expect(page.getByRole('button', { name: '7d' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: '24h' }).click();
  await expect(page).toHaveURL(/[?&]range=24h/);
  await expect(page.getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(/Last 24 hours, one point per 5 minutes; refreshes every minute\.$/)).toBeVisible();
  await expectChartsDrawn(page);
  await page.reload();
  await expect(page.getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
  await expectChartsDrawn(page);
});

test('the SLO form validates with the shared schema and keeps the input', async ({ page, seed }) => {
  const service = await seed.service();
  await page.goto(`/services/${service.slug}/slos/new`);
  await page.getByLabel('Name').fill('Too ambitious');
  await page.getByRole('textbox', { name: 'Objective' }).fill('100');
  await page.getByRole('radio', { name: /Custom/ }).check();
  await expect(page.getByLabel('Tier 1 long window')).toHaveValue('1h');
  await page.getByLabel('Tier 1 short window').fill('2h');
  await page.getByRole('button', { name: 'Create SLO' }).click();

  await expect(page.locator('#slo-objective-error')).toHaveText('Objective must be below 100%: an objective of 100% leaves no error budget');
  await expect(page.getByRole('textbox', { name: 'Objective' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'Objective' })).toBeFocused();
  await expect(page.getByLabel('Tier 1 short window')).toHaveAttribute('aria-invalid', 'true');
  const shortWindowError = await page.getByLabel('Tier 1 short window').getAttribute('aria-describedby');
  await expect(page.locator(`#${shortWindowError}`)).toHaveText('must be shorter than the long window');
  await expect(page.getByRole('textbox', { name: 'Objective' })).toHaveValue('100');
  await expect(page.getByLabel('Tier 1 short window')).toHaveValue('2h');

  await page.getByRole('textbox', { name: 'Objective' }).fill('ninety-nine');
  await page.getByRole('button', { name: 'Create SLO' }).click();
  await expect(page.locator('#slo-objective-error')).toHaveText('Objective must be a percentage such as 99.9');
  await expect(page).toHaveURL(/\/slos\/new$/);
});

test('Custom tiers start from the chosen window’s defaults and follow it until edited', async ({ page, seed }) => {
  const service = await seed.service();
  await page.goto(`/services/${service.slug}/slos/new`);
  const threshold = (tier: number) => page.getByLabel(`Tier ${tier} burn-rate threshold`);
  const days = page.getByRole('textbox', { name: 'Days' });

  await days.fill('7');
  await expect(page.getByText(/page 1h\/5m > 13\.44×/)).toBeVisible();
  await page.getByRole('radio', { name: /Custom/ }).check();
  // Sloth's 7-day tiers (docs/slo-math.md), not the 30-day 14.4/6/3/1; the 3d tier's 0.98 is floored to 1.
  await expect(threshold(1)).toHaveValue('13.44');
  await expect(threshold(2)).toHaveValue('3.5');
  await expect(threshold(3)).toHaveValue('1.4');
  await expect(threshold(4)).toHaveValue('1');

  // Not yet edited: the rows follow the window.
  await days.fill('30');
  await expect(threshold(1)).toHaveValue('14.4');
  // Edited: they are the user's own, until reset to the window's defaults.
  await threshold(1).fill('20');
  await days.fill('7');
  await expect(threshold(1)).toHaveValue('20');
  await expect(threshold(2)).toHaveValue('6');
  await page.getByRole('button', { name: 'Reset to this window’s defaults' }).click();
  await expect(threshold(1)).toHaveValue('13.44');
  await expect(threshold(2)).toHaveValue('3.5');
});

test('an SLO sets its own budget-low share and data-absent delay, or no budget-low alert at all; a tier’s for shows', async ({ page, seed }) => {
  test.setTimeout(90_000);
  const service = await seed.service();
  const slo = await seed.slo(service.slug);
  const sloUrl = `/services/${service.slug}/slos/${slo.slug}`;
  await page.goto(sloUrl);
  await expect(page.getByTestId('other-alerts')).toHaveText(
    'Also a ticket when less than 25% of the budget is left (Umpire’s default), and after 15 minutes without data (Umpire’s default).',
  );

  await page.getByRole('link', { name: 'Edit SLO' }).click();
  const budgetLow = page.getByRole('textbox', { name: 'Budget-low alert (%)' });
  await expect(budgetLow).toHaveValue('');
  await expect(budgetLow).toHaveAttribute('placeholder', '25');
  // Out of range: the error is at the field, the input kept.
  await budgetLow.fill('150');
  await page.getByRole('textbox', { name: 'Data-absent alert (minutes)' }).fill('30');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#slo-budget-low-error')).toContainText('must be a percentage above 0 and below 100');
  await expect(budgetLow).toHaveValue('150');
  await budgetLow.fill('10');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`${sloUrl}$`));
  await expect(page.getByTestId('other-alerts')).toHaveText('Also a ticket when less than 10% of the budget is left, and after 30 minutes without data.');

  await expect(page.locator('.tier-table th', { hasText: 'For' })).toHaveCount(0);

  // A tier with a for: the tier table says how long it must hold, the others fire at once.
  await page.getByRole('link', { name: 'Edit SLO' }).click();
  await page.getByRole('radio', { name: /Custom/ }).check();
  await page.getByLabel('Tier 1 for').fill('5m');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`${sloUrl}$`));
  const firstTier = page.locator('.tier-table tbody tr').first();
  await expect(firstTier.locator('td').nth(3)).toHaveText('5m');
  await expect(page.locator('.tier-table tbody tr').nth(1).locator('td').nth(3)).toHaveText('at once');

  await page.getByRole('link', { name: 'Edit SLO' }).click();
  await expect(budgetLow).toHaveValue('10');
  await page.getByRole('checkbox', { name: 'No budget-low alert for this SLO' }).check();
  await expect(budgetLow).toBeDisabled();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`${sloUrl}$`));
  await expect(page.getByTestId('other-alerts')).toHaveText('Also a ticket after 30 minutes without data; no budget-low alert for this SLO.');
});

test('edits an SLO to a calendar window, then deletes it', async ({ page, seed }) => {
  test.setTimeout(90_000);
  const service = await seed.service();
  const slo = await seed.slo(service.slug);
  const sloUrl = `/services/${service.slug}/slos/${slo.slug}`;
  await page.goto(sloUrl);
  await expect(page.getByRole('heading', { level: 1, name: slo.name })).toBeVisible();
  await expectChartsDrawn(page);

  await page.getByRole('link', { name: 'Edit SLO' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${slo.name}` })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Objective' })).toHaveValue('99.9');
  await page.getByLabel('Name').fill(`${slo.name} edited`);
  await page.getByRole('textbox', { name: 'Objective' }).fill('99');
  await page.getByRole('radio', { name: /Calendar/ }).check();
  await page.getByLabel('Calendar period').selectOption('month');
  // Defaults to the browser's zone (the suite runs in Europe/Berlin).
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page).toHaveURL(new RegExp(`${sloUrl}$`));
  await expect(page.getByRole('heading', { level: 1, name: `${slo.name} edited` })).toBeVisible();
  await expect(page.getByTestId('window-sentence')).toContainText(
    /Calendar month \(Europe\/Berlin\): 1 \w+ 00:00 to .+, resets 1 \w+ 00:00; budget 7\.\d h of errors/,
  );
  await expectChartsDrawn(page);

  await page.getByRole('button', { name: 'Delete SLO' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByLabel(/Type .* to confirm/).fill(slo.slug);
  await dialog.getByRole('button', { name: 'Delete SLO' }).click();

  await expect(page).toHaveURL(new RegExp(`/services/${service.slug}$`));
  await expect(page.getByRole('heading', { name: 'No SLOs yet' })).toBeVisible();
});

test('the charts draw from the series the page came with; a failing history request then shows the API error and recovers on retry', async ({
  page,
  consoleGuard,
}) => {
  consoleGuard.allow(/status of 503/);
  let failing = true;
  await page.route('**/api/v1/services/checkout-api/slos/availability/series?*', (route) =>
    failing
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is not answering' } }),
        })
      : route.continue(),
  );
  await page.goto('/services/checkout-api/slos/availability');
  // The page came with its status and the default range's series: the charts draw though every series request fails.
  await expect(page.getByTestId('window-sentence')).toContainText('30-day rolling window');
  await expectChartsDrawn(page);
  // Another range is asked for by the browser: its failure is shown, not hidden.
  await page.getByRole('button', { name: '1h' }).click();
  const alert = page.locator('.callout-danger').filter({ hasText: 'Could not load the history.' });
  await expect(alert).toContainText('The database is not answering');

  failing = false;
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(alert).toBeHidden();
  await expectChartsDrawn(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the SLO page arrives with its three charts drawn from its data', async ({ page }) => {
    await page.goto('/services/checkout-api/slos/availability');
    const charts = page.getByTestId('server-chart');
    await expect(charts).toHaveCount(3);
    for (const chart of await charts.all()) {
      const svg = chart.locator('svg');
      await expect(svg).toHaveAttribute('role', 'img');
      const lines = await svg.locator('path').evaluateAll((paths) => paths.map((p) => (p.getAttribute('d') ?? '').split('L').length));
      expect(Math.max(...lines)).toBeGreaterThan(10);
    }
  });
});

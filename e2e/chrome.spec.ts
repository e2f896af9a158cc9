import { expect, test } from './fixtures';

test('the skip link is the first tab stop and jumps to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // The next stop is inside the main content, past the header.
  await page.keyboard.press('Tab');
  const focusedInMain = await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement) ?? false);
  expect(focusedInMain).toBe(true);
});

test('the theme follows the system, toggles, and the choice survives a reload without a flash', async ({ page, consoleGuard }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).not.toHaveAttribute('data-theme', /.+/);
  const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBg).not.toBe(lightBg);
  expect(await page.evaluate(() => localStorage.getItem('umpire-theme'))).toBe('dark');

  // No flash: the inline script in <head> applies the stored theme by itself. With every JS chunk blocked
  // (so React never runs) the page still comes up dark.
  consoleGuard.allow(/Failed to load resource|ERR_FAILED|ChunkLoadError|Loading chunk/);
  const scripts = (url: URL) => url.pathname.startsWith('/_next/') && url.pathname.endsWith('.js');
  await page.route(scripts, (route) => route.abort());
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(darkBg);
  await page.unroute(scripts);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();

  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(lightBg);
});

test('a system dark preference is followed when nothing was chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(14, 16, 20)');
});

test('an unknown service shows the 404 page', async ({ page, consoleGuard }) => {
  // Chromium logs the document's own 404 as a console error; that one is the point of the test.
  consoleGuard.allow(/status of 404/);
  const response = await page.goto('/services/no-such-service-e2e');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to all services' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
});

test('every form’s fields span its card: none is squeezed beside the form’s title', async ({ page }) => {
  const forms: Array<[string, string]> = [
    ['/account', 'Current password'],
    ['/tokens', 'Name'],
    ['/users', 'Username'],
    ['/users/e2e-editor', 'Name'],
    ['/services/new', 'Name'],
    ['/datasources/new', 'Name'],
    ['/services/checkout-api/slos/new', 'Name'],
  ];
  for (const [path, label] of forms) {
    await page.goto(path);
    const card = page
      .locator('.form-section')
      .filter({ has: page.getByLabel(label, { exact: true }) })
      .first();
    const field = card.getByLabel(label, { exact: true }).first();
    const [fieldBox, cardBox] = [await field.boundingBox(), await card.boundingBox()];
    expect(fieldBox, `${path}: ${label}`).not.toBeNull();
    // A field takes at least a third of its card (half of a two-column row, less the gap), and starts at its left.
    expect(fieldBox!.width, `${path}: ${label} is ${fieldBox!.width}px wide in a ${cardBox!.width}px card`).toBeGreaterThan(cardBox!.width / 3);
    expect(fieldBox!.x - cardBox!.x, `${path}: ${label} starts at the card's left`).toBeLessThan(40);
  }
});

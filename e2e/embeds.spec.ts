import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { EmbedLink } from '../lib/schemas';
import { expect, test } from './fixtures';

// Embeddable panels end to end: links made in the Embed dialog, framed by a page on another origin (a wiki),
// the framing headers of embed and app pages, escaping of hostile names, and revocation.

const SLO_PATH = '/services/checkout-api/slos/availability';
const SERVICE_NAME = 'Checkout API';
const SLO_NAME = 'Checkout availability';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const uniqueLabel = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * A page on another origin (localhost and a port of its own, where Umpire is 127.0.0.1:3107): what a wiki or a
 * status page that embeds a panel looks like to the browser.
 */
async function startHost(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Team wiki</title></head>
<body><h1>Team wiki</h1>
${body}
</body></html>`;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function createEmbed(request: APIRequestContext, body: Record<string, unknown>): Promise<EmbedLink> {
  const response = await request.post('/api/v1/embeds', { data: body });
  expect(response.status(), await response.text()).toBe(201);
  return EmbedLink.parse(await response.json());
}

async function findEmbed(request: APIRequestContext, service: string, slo: string | null, label: string): Promise<EmbedLink> {
  const response = await request.get(`/api/v1/embeds?service=${service}${slo ? `&slo=${slo}` : ''}`);
  expect(response.status()).toBe(200);
  const { embeds } = (await response.json()) as { embeds: unknown[] };
  const found = embeds.map((e) => EmbedLink.parse(e)).find((e) => e.label === label);
  if (!found) throw new Error(`no embed link labelled ${label}`);
  return found;
}

/** Links made on the shared demo services are revoked after the test, so no other test sees them live. */
async function revokeQuietly(request: APIRequestContext, id: string): Promise<void> {
  const response = await request.delete(`/api/v1/embeds/${id}`);
  expect([200, 404]).toContain(response.status());
}

async function openEmbedDialog(page: Page, name: string): Promise<{ opener: Locator; dialog: Locator }> {
  const opener = page.locator('.page-actions').getByRole('button', { name: 'Embed', exact: true });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: `Embed “${name}”` });
  await expect(dialog).toBeVisible();
  return { opener, dialog };
}

async function createInDialog(dialog: Locator, label: string): Promise<Locator> {
  await dialog.getByRole('textbox', { name: /^Label\b/ }).fill(label);
  await dialog.getByRole('button', { name: 'Create embed link' }).click();
  const result = dialog.getByTestId('embed-result');
  await expect(result.getByRole('heading', { name: new RegExp(`^Embed link created: .*“${escapeRegExp(label)}”$`) })).toBeVisible({ timeout: 15_000 });
  return result;
}

test('a burn-rate panel made in the Embed dialog renders in an iframe on another origin and links back to the SLO', async ({ page, request, baseURL }) => {
  const label = uniqueLabel('wiki');
  await page.goto(SLO_PATH);
  const { opener, dialog } = await openEmbedDialog(page, SLO_NAME);

  // The dialog is modal: focus starts on the chosen panel and stays inside it.
  const burnRate = dialog.getByRole('radio', { name: /^Burn rate/ });
  await expect(burnRate).toBeChecked();
  await expect(burnRate).toBeFocused();
  await expect(dialog.getByRole('radio', { name: /^Service summary/ })).toHaveCount(0);
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);

  await dialog.getByLabel('Range', { exact: true }).selectOption('7d');
  await dialog.getByLabel('Theme', { exact: true }).selectOption('light');
  await dialog.getByRole('radio', { name: /^Small/ }).check();
  await dialog.getByLabel('Expires', { exact: true }).selectOption('30');
  const result = await createInDialog(dialog, label);
  await expect(result).toBeFocused();
  await expect(result).toContainText('Expires');

  // Absolute URLs on the origin Umpire was reached at (soft: the rest still says what works).
  const served = new URL(await dialog.getByRole('textbox', { name: 'Plain URL', exact: true }).inputValue()).origin;
  expect.soft(served, 'embed URLs use the origin the browser reached Umpire at').toBe(new URL(baseURL!).origin);
  const origin = escapeRegExp(served);
  const token = '[0-9a-f]{32}\\.[\\w-]{24}';
  const query = 'range=7d&theme=light&width=400&height=200';
  const iframe = await dialog.getByRole('textbox', { name: 'iframe HTML', exact: true }).inputValue();
  expect(iframe).toMatch(
    new RegExp(
      `^<iframe src="${origin}/embed/${token}\\?${query.replace(/&/g, '&amp;')}" width="400" height="200" style="border:0" title="${SLO_NAME} burn rate · ${SERVICE_NAME}" loading="lazy"></iframe>$`,
    ),
  );
  expect(await dialog.getByRole('textbox', { name: 'Markdown image', exact: true }).inputValue()).toMatch(
    new RegExp(`^\\[!\\[${SLO_NAME} burn rate · ${SERVICE_NAME}\\]\\(${origin}/embed/${token}/panel\\.png\\?${query}\\)\\]\\(${origin}${SLO_PATH}\\)$`),
  );
  expect(await dialog.getByRole('textbox', { name: 'Badge Markdown', exact: true }).inputValue()).toMatch(
    new RegExp(`^\\[!\\[${SLO_NAME} · ${SERVICE_NAME}\\]\\(${origin}/embed/${token}/badge\\.svg\\)\\]\\(${origin}${SLO_PATH}\\)$`),
  );
  expect(await dialog.getByRole('textbox', { name: 'Plain URL', exact: true }).inputValue()).toMatch(new RegExp(`^${origin}/embed/${token}\\?${query}$`));

  // The preview: the page itself in an iframe, and the image beside it.
  await expect(dialog.frameLocator('iframe').locator('svg').first()).toBeVisible();
  await expect(result.getByRole('img', { name: `${SLO_NAME} burn rate · ${SERVICE_NAME}` })).toBeVisible();
  await expect.poll(() => result.getByRole('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

  // The view is the URL's, not the link's: another size changes the code without a new link.
  await dialog.getByRole('radio', { name: /^Large/ }).check();
  await expect(dialog.getByRole('textbox', { name: 'Plain URL', exact: true })).toHaveValue(/width=900&height=400$/);
  await dialog.getByRole('radio', { name: /^Small/ }).check();

  const row = dialog.getByRole('row').filter({ hasText: label });
  await expect(row).toContainText('Burn rate');
  await expect(row).toContainText('Active');

  // Escape closes it and focus goes back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  const link = await findEmbed(request, 'checkout-api', 'availability', label);
  const host = await startHost(iframe);
  try {
    await page.goto(host.url);
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('svg').first()).toBeVisible();
    const panel = frame.locator('body');
    await expect(panel).toContainText(SLO_NAME);
    await expect(panel).toContainText(/\d+-day rolling window/);
    await expect(panel).toContainText(/as of/i);
    // A burn-rate chart: an svg with drawn paths.
    await expect(frame.locator('svg path').first()).toBeAttached();

    const back = frame.locator('a[target="_top"]').first();
    const href = await back.evaluate((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href'));
    expect(href).toBe(`${served}${SLO_PATH}`);
    // target=_top: the wiki page itself goes to Umpire, not the little frame.
    await back.click();
    await expect(page).toHaveURL(`${served}${SLO_PATH}`);
    await expect(page.getByRole('heading', { level: 1, name: SLO_NAME })).toBeVisible();
  } finally {
    await host.close();
    await revokeQuietly(request, link.id);
  }
});

test('the service page embeds the service summary (no badge) and its SLOs’ panels', async ({ page, request }) => {
  const label = uniqueLabel('status page');
  await page.goto('/services/checkout-api');
  const { dialog } = await openEmbedDialog(page, SERVICE_NAME);
  await expect(dialog.getByRole('radio', { name: /^Service summary/ })).toBeChecked();
  await expect(dialog.getByLabel('SLO', { exact: true })).toHaveCount(0);
  const result = await createInDialog(dialog, label);
  expect(await dialog.getByRole('textbox', { name: 'iframe HTML', exact: true }).inputValue()).toContain(`title="${SERVICE_NAME} SLOs"`);
  expect(await dialog.getByRole('textbox', { name: 'Markdown image', exact: true }).inputValue()).toMatch(/\]\(http:\/\/[^/]+\/services\/checkout-api\)$/);
  await expect(dialog.getByRole('textbox', { name: 'Badge Markdown', exact: true })).toHaveCount(0);
  await expect(dialog.frameLocator('iframe').locator('body')).toContainText(SLO_NAME);
  await expect(result).toBeVisible();

  // An SLO's panel from the service page: the SLO is chosen from the service's.
  await dialog.getByRole('radio', { name: /^SLI/ }).check();
  await dialog.getByLabel('SLO', { exact: true }).selectOption({ label: 'Checkout latency under 300 ms' });
  await expect(dialog.getByText(/create a new link for the panel chosen above/)).toBeVisible();
  const sliLabel = uniqueLabel('sli');
  await createInDialog(dialog, sliLabel);
  expect(await dialog.getByRole('textbox', { name: 'iframe HTML', exact: true }).inputValue()).toContain(
    'title="Checkout latency under 300 ms SLI · Checkout API"',
  );
  await expect(dialog.getByRole('row').filter({ hasText: sliLabel })).toContainText('Checkout latency under 300 ms');

  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  for (const l of [label, sliLabel]) await revokeQuietly(request, (await findEmbed(request, 'checkout-api', null, l)).id);
});

test('embed pages may be framed from anywhere; every other page refuses to be framed', async ({ page, request, baseURL, consoleGuard }) => {
  const link = await createEmbed(request, { service: 'checkout-api', slo: 'availability', panel: 'sli', label: uniqueLabel('headers') });
  try {
    const embed = await request.get(link.urls.page);
    expect(embed.status()).toBe(200);
    expect(embed.headers()['content-security-policy']).toContain('frame-ancestors *');
    expect(embed.headers()['x-frame-options']).toBeUndefined();
    // No UMPIRE_PUBLIC_URL here: the links follow the host asked for, so no shared cache may keep the answer.
    expect(embed.headers()['cache-control']).toBe('private, max-age=60');
    const planted = await request.get(link.urls.svg, { headers: { 'x-forwarded-host': 'evil.example' } });
    expect(await planted.text()).toContain('http://evil.example/services/checkout-api');
    expect(planted.headers()['cache-control']).toBe('private, max-age=60');
    expect((await request.get(link.urls.badge!)).headers()['cache-control']).toBe('public, max-age=60');
    for (const path of ['/', '/services/checkout-api']) {
      const response = await request.get(path);
      expect(response.status()).toBe(200);
      expect(response.headers()['x-frame-options']).toBe('DENY');
      expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    }

    // Chromium says so on the console when it refuses a frame: expected here.
    consoleGuard.allow(
      /^console\.error: (Framing '[^']+' violates the following Content Security Policy directive: "frame-ancestors 'none'"|Refused to display)/,
    );
    const host = await startHost(
      `<script>window.loaded = 0;</script>
<iframe id="embed" src="${link.urls.page}" width="600" height="300" onload="window.loaded++"></iframe>
<iframe id="overview" src="${baseURL}/" width="600" height="300" onload="window.loaded++"></iframe>
<iframe id="service" src="${baseURL}/services/checkout-api" width="600" height="300" onload="window.loaded++"></iframe>`,
    );
    try {
      await page.goto(host.url);
      await expect(page.frameLocator('#embed').locator('svg').first()).toBeVisible();
      await expect(page.frameLocator('#embed').locator('body')).toContainText(SLO_NAME);
      // Every frame has finished (a refused one loads Chromium's error page): only then is "nothing shown" a result.
      await page.waitForFunction(() => (window as unknown as { loaded: number }).loaded === 3);
      for (const id of ['overview', 'service']) {
        const frame = page.locator(`#${id}`).contentFrame();
        await expect(frame.getByText(SERVICE_NAME)).toHaveCount(0);
        await expect(frame.getByRole('link', { name: /Umpire/ })).toHaveCount(0);
        const url = (await (await page.locator(`#${id}`).elementHandle())?.contentFrame())?.url() ?? '';
        // Chromium's own error page in the frame's place.
        expect(url, `frame #${id}`).toMatch(/^(chrome-error:|about:blank)/);
      }
    } finally {
      await host.close();
    }
  } finally {
    await revokeQuietly(request, link.id);
  }
});

test('names with markup, quotes and ampersands show literally in the embed page, the SVG and the dialog', async ({ page, request, seed }) => {
  test.setTimeout(90_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const serviceName = `<script>alert(1)</script> "quotes" & Co`;
  const sloName = `Avail <script>alert(2)</script> "q" & <b>bold</b>`;
  const service = await seed.service({ name: serviceName });
  const slo = await seed.slo(service.slug, { name: sloName });
  const label = `esc <img src=x onerror=alert(3)> & "l"`;
  const link = await createEmbed(request, { service: service.slug, slo: slo.slug, panel: 'budget', label });
  const summary = await createEmbed(request, { service: service.slug, panel: 'service' });

  // Wide, so that no name needs shortening.
  const wide = '?width=1600&height=600';
  for (const url of [link.urls.svg + wide, summary.urls.svg + wide, link.urls.badge!]) {
    const response = await request.get(url);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    const text = await response.text();
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        scripts: doc.getElementsByTagName('script').length,
        foreign: doc.getElementsByTagName('foreignObject').length,
        text: doc.documentElement.textContent ?? '',
      };
    }, text);
    expect(parsed, url).toMatchObject({ errors: 0, scripts: 0, foreign: 0 });
    // The badge may shorten long names; the panels state them whole.
    if (url !== link.urls.badge) for (const name of [serviceName, sloName]) expect(parsed.text).toContain(name);
  }

  // As a wiki would show them: the pages in iframes, the SVGs as images and as documents of their own.
  const host = await startHost(
    [link.urls.page, summary.urls.page].map((src, i) => `<iframe id="page${i}" src="${src}${wide}" width="1600" height="600"></iframe>`).join('\n') +
      [link.urls.svg, summary.urls.svg].map((src, i) => `<iframe id="svg${i}" src="${src}${wide}" width="1600" height="600"></iframe>`).join('\n') +
      `<img id="badge" src="${link.urls.badge!}" alt="badge"><img id="png" src="${link.urls.png}" alt="png">`,
  );
  try {
    await page.goto(host.url);
    for (const id of ['page0', 'page1', 'svg0', 'svg1']) {
      const frame = page.locator(`#${id}`).contentFrame();
      await expect(frame.locator('svg').first()).toBeVisible();
      for (const name of [serviceName, sloName]) await expect(frame.locator(':root')).toContainText(name);
      await expect(frame.locator('script')).toHaveCount(0);
      await expect(frame.locator('b')).toHaveCount(0);
    }
    for (const id of ['badge', 'png'])
      await expect.poll(() => page.locator(`#${id}`).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  } finally {
    await host.close();
  }

  // The dialog's snippets escape the names for HTML and Markdown.
  await page.goto(`/services/${service.slug}/slos/${slo.slug}`);
  const { dialog } = await openEmbedDialog(page, sloName);
  await dialog.getByRole('button', { name: /^Show the code of/ }).click();
  const iframe = await dialog.getByRole('textbox', { name: 'iframe HTML', exact: true }).inputValue();
  expect(iframe).toContain(
    'title="Avail &lt;script&gt;alert(2)&lt;/script&gt; &quot;q&quot; &amp; &lt;b&gt;bold&lt;/b&gt; error budget · &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; Co"',
  );
  expect(await dialog.getByRole('textbox', { name: 'Markdown image', exact: true }).inputValue()).toContain(
    '[![Avail \\<script\\>alert(2)\\</script\\> "q" \\& \\<b\\>bold\\</b\\> error budget',
  );
  await expect(dialog.getByRole('row').filter({ hasText: label })).toBeVisible();
  await expect(dialog.frameLocator('iframe').locator('body')).toContainText(sloName);
  await expect(page.locator('b', { hasText: 'bold' })).toHaveCount(0);

  expect(dialogs, 'no script from a name may run').toEqual([]);
});

test('a revoked link answers 404 everywhere, exactly like a forged one or one for an SLO that is gone', async ({ page, request, seed }) => {
  const label = uniqueLabel('to revoke');
  await page.goto(SLO_PATH);
  const { dialog } = await openEmbedDialog(page, SLO_NAME);
  await dialog.getByRole('radio', { name: /^Error budget/ }).check();
  await createInDialog(dialog, label);
  const link = await findEmbed(request, 'checkout-api', 'availability', label);
  expect(link.panel).toBe('budget');
  const urls = [link.urls.page, link.urls.svg, link.urls.png, link.urls.badge!];
  const view = '?range=30d&theme=dark&width=400&height=200';

  const png = await request.get(link.urls.png + view);
  expect(png.status()).toBe(200);
  expect(png.headers()['content-type']).toBe('image/png');
  expect([...(await png.body()).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const badge = await request.get(link.urls.badge!);
  expect(badge.status()).toBe(200);
  expect(badge.headers()['content-type']).toMatch(/^image\/svg\+xml/);
  for (const url of urls) expect((await request.get(url)).status(), url).toBe(200);

  // Revoke in the dialog, behind a confirmation.
  const row = dialog.getByRole('row').filter({ hasText: label });
  await row.getByRole('button', { name: /^Revoke/ }).click();
  const confirm = page.getByRole('dialog', { name: /^Revoke embed link/ });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // Escape closes the confirmation only; the Embed dialog under it stays open and nothing is revoked.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(row).not.toContainText('Revoked');
  await row.getByRole('button', { name: /^Revoke/ }).click();
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Revoke link' }).click();
  await expect(confirm).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: 'Embed link revoked' })).toBeFocused();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button')).toHaveCount(0);
  await expect(dialog.getByTestId('embed-result')).toHaveCount(0);

  const notFound = await request.get(link.urls.page);
  expect(notFound.status()).toBe(404);
  const notFoundBody = await notFound.text();
  for (const url of urls) {
    for (const u of [url, url + view]) {
      const response = await request.get(u);
      expect(response.status(), u).toBe(404);
      expect(await response.text()).toBe(notFoundBody);
    }
  }

  // A token with one character of its signature changed, and a valid token whose SLO was deleted.
  const at = link.token.length - 10;
  const tampered = `${link.token.slice(0, at)}${link.token[at] === 'A' ? 'B' : 'A'}${link.token.slice(at + 1)}`;
  const forged = await request.get(link.urls.page.replace(link.token, tampered));
  const service = await seed.service();
  const slo = await seed.slo(service.slug);
  const gone = await createEmbed(request, { service: service.slug, slo: slo.slug, panel: 'burn_rate' });
  expect((await request.get(gone.urls.page)).status()).toBe(200);
  expect((await request.delete(`/api/v1/services/${service.slug}/slos/${slo.slug}`)).status()).toBe(204);
  const missing = await request.get(gone.urls.page);
  for (const response of [forged, missing]) {
    expect(response.status()).toBe(404);
    expect(await response.text()).toBe(notFoundBody);
    expect(response.headers()['content-type']).toBe(notFound.headers()['content-type']);
  }
});

import type { Page } from '@playwright/test';
import { ADMIN_STATE, E2E_SSO, E2E_SSO_INVITED, e2eAuth } from './auth';
import { expect, test } from './fixtures';

/** Signs in through the sign-in page, as a person would. */
async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('signed out', () => {
  // A browser nobody has signed in with (the other tests start as the suite's admin).
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a page sends you to sign in and back; a wrong password says so; signing out ends the session for good', async ({
    page,
    context,
    playwright,
    baseURL,
    consoleGuard,
  }) => {
    // The sign-in page's own 401 for the wrong password, and the page's last refresh once signed out.
    consoleGuard.allow(/status of 401/);
    const { admin } = e2eAuth();
    await page.goto('/services/checkout-api?range=7d');
    await expect(page).toHaveURL(/\/login\?next=%2Fservices%2Fcheckout-api%3Frange%3D7d$/);

    await signIn(page, { username: admin.username, password: 'not the password' });
    await expect(page.locator('#login-error')).toHaveText('Wrong username or password');
    await expect(page.getByLabel('Password')).toHaveValue('');
    await expect(page.getByLabel('Password')).toBeFocused();

    await signIn(page, admin);
    await expect(page).toHaveURL(/\/services\/checkout-api\?range=7d$/);
    await expect(page.getByRole('heading', { level: 1, name: /Checkout API/ })).toBeVisible();
    const session = (await context.cookies()).find((c) => c.name === 'umpire_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);

    // The old cookie, replayed: the session is gone on the server, not just in this browser.
    const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `umpire_session=${session.value}` } });
    expect((await replay.get('/api/v1/services')).status()).toBe(401);
    await replay.dispose();
  });

  test('the API answers 401 without credentials, and the pages ask for sign-in', async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const api = await anonymous.get('/api/v1/services');
    expect(api.status()).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await anonymous.post('/api/v1/services', { data: { slug: 'x', name: 'x', ownerTeam: 'x', tier: 1 } })).status()).toBe(401);
    const page = await anonymous.get('/services/checkout-api', { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(page.headers().location).toBe('/login?next=%2Fservices%2Fcheckout-api');
    // Sign-in, health and embeds need no session.
    expect((await anonymous.get('/login')).status()).toBe(200);
    expect((await anonymous.get('/api/health')).status()).toBe(200);
    await anonymous.dispose();
  });
});

test.describe('single sign-on', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('through the identity provider and back to the page asked for, with the role and team its groups give', async ({ page, context }) => {
    await page.goto('/services/checkout-api?range=7d');
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByRole('link', { name: `Sign in with ${E2E_SSO.provider}` }).click();

    // At the provider (its own minimal login page), then back through Umpire's callback.
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
    await page.locator('input[name="login"]').fill(E2E_SSO.login);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/services\/checkout-api\?range=7d$/);
    await expect(page.getByRole('heading', { level: 1, name: /Checkout API/ })).toBeVisible();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'umpire_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The state cookie did its job and is gone.
    expect(cookies.find((c) => c.name === 'umpire_oidc_state')).toBeUndefined();

    await page.getByRole('link', { name: new RegExp(E2E_SSO.name) }).click();
    await expect(page.getByRole('heading', { level: 1, name: E2E_SSO.name })).toBeVisible();
    await expect(page.locator('.meta-row')).toContainText('editor');
    await expect(page.locator('.meta-row')).toContainText('Teams payments');
    await expect(page.locator('.meta-row')).toContainText('Signed in with single sign-on');
    // No password to change: the provider has it.
    await expect(page.getByLabel('Current password')).toHaveCount(0);
  });

  test('someone an admin added for single sign-on: their first sign-in with that email becomes the account', async ({ page, browser }) => {
    const username = `pat-${Date.now().toString(36)}`;
    const admin = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await admin.newPage();
    await adminPage.goto('/users');
    await adminPage.getByRole('radio', { name: new RegExp(E2E_SSO.provider) }).check();
    await adminPage.getByLabel('Username').fill(username);
    await adminPage.getByLabel('Name', { exact: true }).fill('Pat Invited');
    await adminPage.getByRole('textbox', { name: 'Email' }).fill(E2E_SSO_INVITED.email.toUpperCase());
    await adminPage.getByRole('button', { name: 'Add user' }).click();
    await expect(adminPage.getByTestId('sso-invited')).toContainText(`${username} added: their first sign-in with ${E2E_SSO.provider}`);
    await expect(adminPage.getByTestId('password-link')).toHaveCount(0);
    await expect(adminPage.locator(`tr[data-user="${username}"]`)).toContainText('single sign-on, not yet');

    await page.goto('/login');
    await page.getByRole('link', { name: `Sign in with ${E2E_SSO.provider}` }).click();
    await page.locator('input[name="login"]').fill(E2E_SSO_INVITED.login);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
    // The account the admin made (its name, not the provider's), with the role and team the groups give.
    await page.getByRole('link', { name: /Pat Invited/ }).click();
    await expect(page.locator('.meta-row')).toContainText(username);
    await expect(page.locator('.meta-row')).toContainText('editor');

    await adminPage.reload();
    await expect(adminPage.locator(`tr[data-user="${username}"]`)).toContainText('single sign-on');
    await expect(adminPage.locator(`tr[data-user="${username}"]`)).not.toContainText('not yet');
    await admin.close();
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('reads every page but is offered no change, and a change asked anyway is refused', async ({ page, consoleGuard }) => {
    consoleGuard.allow(/status of 403/); // the refused change below, logged by the browser
    const { viewer } = e2eAuth();
    await page.goto('/login');
    await signIn(page, viewer);
    await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New service' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);

    await page.goto('/services/checkout-api');
    await expect(page.getByRole('heading', { level: 1, name: /Checkout API/ })).toBeVisible();
    for (const name of ['Edit service', 'New SLO']) await expect(page.getByRole('link', { name })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete service' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create override' })).toHaveCount(0);

    await page.goto('/services/checkout-api/edit');
    await expect(page.getByRole('heading', { name: 'You may not do this' })).toBeVisible();
    await expect(page.getByText('A viewer may not change services')).toBeVisible();

    await page.goto('/services/checkout-api/policy');
    await expect(page.getByTestId('policy-read-only')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save policy' })).toBeHidden();

    // Asked from the page itself, with its CSRF token: the role is what refuses it (403, not 401).
    const status = await page.evaluate(async () => {
      const csrf = /umpire_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/api/v1/services/checkout-api', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: '{"name":"Hijacked"}',
      });
      return { status: response.status, body: (await response.json()) as { error: { message: string } } };
    });
    expect(status).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'A viewer may not change services' } } });
  });
});

test.describe('a viewer’s own token', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('reads and nothing more, and expires after the days asked (a bad number of days is refused at its box)', async ({
    page,
    playwright,
    baseURL,
    consoleGuard,
  }) => {
    consoleGuard.allow(/status of 403/);
    await page.goto('/login');
    await signIn(page, e2eAuth().viewer);
    await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
    await page.goto('/account');
    const name = `laptop ${Date.now().toString(36)}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Expires').selectOption('custom');
    const days = page.getByLabel('Days until it expires');
    await days.fill('soon');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(days).toBeFocused();
    await expect(page.locator('#new-token-expiry-days-error')).toHaveText('Days until it expires must be a number of days');
    await expect(page.getByTestId('created-token')).toHaveCount(0);

    await days.fill('45');
    const asked = Date.now();
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = await page.getByTestId('created-token-value').inputValue();
    await expect(page.locator(`tr[data-token-name="${name}"]`)).toContainText('read');

    const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${value}` } });
    expect((await script.get('/api/v1/services')).status()).toBe(200);
    const refused = await script.patch('/api/v1/services/checkout-api', { data: { name: 'Changed by a script' } });
    expect(refused.status()).toBe(403);
    const listed = (await (await script.get('/api/v1/tokens')).json()) as { tokens: Array<{ name: string; scopes: string[]; expiresAt: string | null }> };
    const mine = listed.tokens.find((t) => t.name === name)!;
    expect(mine.scopes).toEqual(['read']);
    expect(Math.abs(Date.parse(mine.expiresAt!) - (asked + 45 * 86_400_000))).toBeLessThan(60_000);
    await script.dispose();
  });
});

test.describe('an editor', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("changes their team's services and nobody else's", async ({ page, seed }) => {
    const { editor } = e2eAuth();
    const own = await seed.service({ ownerTeam: 'e2e-editors', name: 'Editor owned' });
    const other = await seed.service({ ownerTeam: 'someone-else', name: 'Not the editor’s' });
    await page.goto('/login');
    await signIn(page, editor);
    await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();

    await page.goto(`/services/${own.slug}`);
    await page.getByRole('link', { name: 'Edit service' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Editor owned, renamed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Editor owned, renamed/ })).toBeVisible();

    await page.goto(`/services/${other.slug}`);
    await expect(page.getByRole('heading', { level: 1, name: /Not the editor’s/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Edit service' })).toHaveCount(0);
    await page.goto(`/services/${other.slug}/edit`);
    await expect(page.getByText('An editor may change services only for the teams “e2e-editors”; this belongs to team “someone-else”')).toBeVisible();
  });
});

test.describe('an admin', () => {
  test('adds a user, who sets their own password with the one-time link and is signed in', async ({ page, browser, baseURL }) => {
    const username = `e2e-new-${Date.now().toString(36)}`;
    await page.goto('/users');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Name', { exact: true }).fill('New Person');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    const link = await page.getByTestId('password-link-value').inputValue();
    expect(link).toMatch(new RegExp(`^${baseURL}/set-password#token=[A-Za-z0-9_-]+$`));
    await expect(page.locator(`tr[data-user="${username}"]`)).toContainText('not yet');

    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const them = await theirs.newPage();
    await them.goto(link);
    await them.getByLabel('Password', { exact: true }).fill('short');
    await them.getByLabel('Password again').fill('short');
    await them.getByRole('button', { name: 'Set the password and sign in' }).click();
    await expect(them.locator('#setup-password-error')).toHaveText('Password must be at least 12 characters');
    await them.getByLabel('Password', { exact: true }).fill('a perfectly long passphrase');
    await them.getByLabel('Password again').fill('a perfectly long passphrase');
    await them.getByRole('button', { name: 'Set the password and sign in' }).click();
    await expect(them.getByRole('link', { name: /New Person/ })).toBeVisible();
    await theirs.close();

    // The trail says who added them and when they first signed in.
    await page.goto(`/users/${username}`);
    const history = page.getByTestId('audit-trail');
    await expect(history.getByRole('row').filter({ hasText: 'created the user' })).toContainText(e2eAuth().admin.username);
    await expect(history.getByRole('row').filter({ hasText: 'signed in as the user' })).toContainText(username);
  });

  test("a service's history shows who changed what, before and after, and from where", async ({ page, seed }) => {
    const service = await seed.service({ name: 'History before' });
    // A client's claim about its address is not taken: the trail shows the address that connected.
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '203.0.113.66' });
    await page.goto(`/services/${service.slug}/edit`);
    await page.getByLabel('Name', { exact: true }).fill('History after');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /History after/ })).toBeVisible();
    const history = page.getByTestId('audit-trail');
    const change = history.getByRole('row').filter({ hasText: 'changed the service' });
    await expect(change).toContainText(e2eAuth().admin.username);
    await expect(change).toContainText('from 127.0.0.1');
    await expect(change).not.toContainText('203.0.113.66');
    await change.getByText('1 field').click();
    await expect(change.getByRole('row').filter({ hasText: 'name' })).toContainText('History before');
    await expect(change.getByRole('row').filter({ hasText: 'name' })).toContainText('History after');
    // Created by the fixtures' token: the trail names it.
    await expect(history.getByRole('row').filter({ hasText: 'created the service' })).toContainText('token “e2e fixtures”');
  });

  test('a change without the CSRF token is refused, even with the session cookie', async ({ page, seed, consoleGuard }) => {
    consoleGuard.allow(/status of 403/); // the forged change, logged by the browser
    const service = await seed.service();
    await page.goto(`/services/${service.slug}`);
    const refused = await page.evaluate(async (slug) => {
      const response = await fetch(`/api/v1/services/${slug}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"Forged"}' });
      return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
    }, service.slug);
    expect(refused).toEqual({ status: 403, code: 'csrf_failed' });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: service.name })).toBeVisible();
    // The page's own reads settle before the service is deleted after the test (a read answered 404 then).
    await page.waitForLoadState('networkidle');
  });

  test('pages send a Content-Security-Policy with a nonce, and the header names the signed-in admin', async ({ page }) => {
    const response = await page.goto('/');
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    await expect(page.getByRole('link', { name: /E2E admin/ })).toBeVisible();
  });

  test('makes a gate token for one team’s pipeline: shown once, refused beyond its scope and team, revoked, with its history', async ({
    page,
    seed,
    playwright,
    baseURL,
  }) => {
    const ours = await seed.service({ name: 'Token team service' });
    const theirs = await seed.service({ name: 'Another team service' });
    const name = `ci ${ours.ownerTeam}`;
    await page.goto('/tokens');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Expires').selectOption('30');
    await expect(page.getByLabel(/^gate:/)).toBeChecked();
    await page.getByRole('combobox', { name: 'Teams (optional)' }).fill(ours.ownerTeam);
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = await page.getByTestId('created-token-value').inputValue();
    expect(value).toMatch(/^umpire_[A-Za-z0-9_-]{40,}$/);
    await page.getByRole('button', { name: 'Done: I have copied it' }).click();
    await expect(page.getByTestId('created-token')).toHaveCount(0);
    const row = page.locator(`tr[data-token-name="${name}"]`);
    await expect(row).toContainText('gate');
    await expect(row).toContainText(`teams ${ours.ownerTeam}`);
    await expect(row).toContainText('Never');
    await expect(row).toContainText('Active');
    // Shown once: not on the page again, not in the API's list.
    await page.reload();
    await expect(page.locator('body')).not.toContainText(value);

    const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${value}` } });
    const gate = await ci.post(`/api/v1/services/${ours.slug}/gate`, { data: { version: 'v1', environment: 'production' } });
    expect(gate.status(), await gate.text()).toBe(200);
    expect((await ci.post(`/api/v1/services/${theirs.slug}/gate`, { data: { version: 'v1', environment: 'production' } })).status()).toBe(403);
    expect((await ci.patch(`/api/v1/services/${ours.slug}`, { data: { name: 'changed by CI' } })).status()).toBe(403);
    await page.reload();
    await expect(row).not.toContainText('Never', { timeout: 10_000 });

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expect(row).toContainText('Revoked');
    await expect
      .poll(async () => (await ci.post(`/api/v1/services/${ours.slug}/gate`, { data: { version: 'v2', environment: 'production' } })).status(), {
        timeout: 15_000,
      })
      .toBe(401);
    await ci.dispose();

    await row.getByRole('link', { name: `History of ${name}` }).click();
    await expect(page).toHaveURL(/\/audit\?token=[0-9a-f-]{36}$/);
    const history = page.getByTestId('audit-trail');
    const admin = e2eAuth().admin.username;
    await expect(history.getByRole('row').filter({ hasText: 'created the token' })).toContainText(admin);
    await expect(history.getByRole('row').filter({ hasText: 'revoked the token' })).toContainText(admin);
    await expect(history.getByRole('row').filter({ hasText: /the token/ })).toHaveCount(2);
    await expect(page.locator('body')).not.toContainText(value);

    await page.goto('/audit?token=not-a-token');
    // (Next's route announcer is an alert too, empty.)
    await expect(page.getByRole('alert').filter({ hasText: 'not-a-token' })).toHaveText('“not-a-token” is not a token id: showing every change.');
  });

  test('over TLS (as a proxy in front says), every answer tells browsers to stay on https; plain http does not', async ({ request }) => {
    const tls = await request.get('/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const plain = await request.get('/api/health');
    expect(plain.headers()['strict-transport-security']).toBeUndefined();
    expect(plain.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(plain.headers()['x-content-type-options']).toBe('nosniff');
  });
});

// Sign-in, sessions and their cookies, CSRF, sign-in limits, one-time links and token expiry, through the API as
// a browser and a pipeline use it.
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as loginRoute from '../../app/api/v1/auth/login/route';
import * as logoutRoute from '../../app/api/v1/auth/logout/route';
import * as passwordRoute from '../../app/api/v1/auth/password/route';
import * as setupRoute from '../../app/api/v1/auth/setup/route';
import * as mePasswordRoute from '../../app/api/v1/me/password/route';
import * as meRoute from '../../app/api/v1/me/route';
import * as defaultPolicyRoute from '../../app/api/v1/policies/default/route';
import * as servicesRoute from '../../app/api/v1/services/route';
import * as tokensRoute from '../../app/api/v1/tokens/route';
import * as userRoute from '../../app/api/v1/users/[user]/route';
import * as resetLinkRoute from '../../app/api/v1/users/[user]/password-link/route';
import * as usersRoute from '../../app/api/v1/users/route';
import { CSRF_COOKIE, CSRF_HEADER, csrfTokenFor, SESSION_COOKIE, sha256Hex } from '../../lib/auth/credentials';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { tokenLimits } from '../../lib/http/token-limits';
import { CreatedApiToken, CreatedUser, Me, PasswordLinkView } from '../../lib/schemas';
import { revokeApiToken } from '../../lib/use-cases/access/api-tokens';
import { authConfig, ensureSetupLink } from '../../lib/use-cases/access/sessions';
import { signInAttempts } from '../../lib/use-cases/access/sign-in-attempts';
import { createPasswordLink } from '../../lib/use-cases/access/users';
import { makeToken, makeUser, sessionFor, type TestUser } from '../auth';
import { withFreshDatabase } from '../database';
import { callRoute, SYSTEM, uniqueSlug } from '../factories';
import { captureOutput, diff, snapshot } from './support';

type Handler = Parameters<typeof callRoute>[0];
type ErrorBody = { error: { code: string; message: string } };

interface Cookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function cookiesOf(response: Response): Map<string, Cookie> {
  const out = new Map<string, Cookie>();
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((p) => p.trim());
    const eq = pair!.indexOf('=');
    const cookie: Cookie = { name: pair!.slice(0, eq), value: decodeURIComponent(pair!.slice(eq + 1)), attributes: new Map() };
    for (const attr of attrs) {
      const [key, value = ''] = attr.split('=');
      cookie.attributes.set(key!.toLowerCase(), value);
    }
    out.set(cookie.name, cookie);
  }
  return out;
}

/** What the browser sends after a sign-in: the session cookie, and the CSRF header the page echoes. */
function browserAfter(response: Response): { token: string; headers: Record<string, string>; cookieOnly: Record<string, string> } {
  const cookies = cookiesOf(response);
  const token = cookies.get(SESSION_COOKIE)!.value;
  const csrf = cookies.get(CSRF_COOKIE)!.value;
  return { token, headers: { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: csrf }, cookieOnly: { cookie: `${SESSION_COOKIE}=${token}` } };
}

function post(handler: Handler, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return callRoute(handler, { method: 'POST', path, body, headers, as: 'nobody' });
}

function login(username: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return post(loginRoute.POST, '/api/v1/auth/login', { username, password }, headers);
}

/** A GET that needs the read permission: 200 while the credentials are good, 401 once they are not. */
async function readStatus(headers: Record<string, string>): Promise<number> {
  return (await callRoute(defaultPolicyRoute.GET, { path: '/api/v1/policies/default', headers, as: 'nobody' })).status;
}

async function whoAmI(headers: Record<string, string>): Promise<Me> {
  return Me.parse(await (await callRoute(meRoute.GET, { path: '/api/v1/me', headers, as: 'nobody' })).json());
}

function linkToken(url: string): string {
  return new URL(url).hash.replace(/^#token=/, '');
}

function withEnv(name: string, value: string): () => void {
  const before = process.env[name];
  process.env[name] = value;
  reloadEnv();
  return () => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
    reloadEnv();
  };
}

afterEach(() => {
  signInAttempts.clear();
  tokenLimits.clear();
  vi.useRealTimers();
});

describe('sign-in', () => {
  test('sets a new session cookie (httpOnly, SameSite=Lax, Path=/) and a CSRF cookie the page can read; Secure over TLS', async () => {
    const user = await makeUser({ role: 'viewer' });
    const response = await login(user.username, user.password);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(user.password);
    expect(text).not.toContain(user.row.passwordHash!);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const cookies = cookiesOf(response);
    const session = cookies.get(SESSION_COOKIE)!;
    const csrf = cookies.get(CSRF_COOKIE)!;
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([...session.attributes.keys()].sort()).toEqual(['expires', 'httponly', 'path', 'samesite']);
    expect(session.attributes.get('path')).toBe('/');
    expect(session.attributes.get('samesite')).toBe('Lax');
    expect(new Date(session.attributes.get('expires')!).getTime()).toBeGreaterThan(Date.now());
    expect(csrf.attributes.has('httponly')).toBe(false);
    expect(csrf.attributes.get('samesite')).toBe('Strict');
    expect(csrf.attributes.get('path')).toBe('/');
    expect(csrf.value).toBe(csrfTokenFor(session.value));

    // Only the hash is kept: the cookie is not in the database, so a copy of the database signs nobody in.
    const row = await db().session.findUnique({ where: { tokenHash: sha256Hex(session.value) } });
    expect(row?.userId).toBe(user.row.id);
    expect(await db().session.count({ where: { tokenHash: session.value } })).toBe(0);
    expect(await whoAmI(browserAfter(response).cookieOnly)).toMatchObject({ kind: 'user', username: user.username, role: 'viewer', signedInWith: 'password' });

    const tls = await login(user.username, user.password, { host: 'umpire.example.com', 'x-forwarded-proto': 'https' });
    expect(tls.status).toBe(200);
    for (const cookie of cookiesOf(tls).values()) expect(cookie.attributes.has('secure'), cookie.name).toBe(true);
  });

  test('a session cookie sent before sign-in is never promoted (fixation); the session the browser had ends', async () => {
    const user = await makeUser({ role: 'editor' });
    // An attacker plants a cookie value of their choosing in the victim's browser.
    const planted = 'attacker-chosen-session-value';
    const signedIn = await login(user.username, user.password, { cookie: `${SESSION_COOKIE}=${planted}` });
    expect(signedIn.status).toBe(200);
    const fresh = browserAfter(signedIn);
    expect(fresh.token).not.toBe(planted);
    expect(await readStatus({ cookie: `${SESSION_COOKIE}=${planted}` })).toBe(401);
    expect(await readStatus(fresh.cookieOnly)).toBe(200);

    // Or plants a real session of their own: signing in as the victim ends it, and the victim gets a new one.
    const attacker = await makeUser({ role: 'viewer' });
    const attackers = await sessionFor(attacker);
    const victim = await login(user.username, user.password, attackers.headers);
    expect(victim.status).toBe(200);
    const after = browserAfter(victim);
    expect(after.token).not.toBe(attackers.token);
    expect(await readStatus(attackers.cookieOnly)).toBe(401);
    expect(await db().session.count({ where: { tokenHash: sha256Hex(attackers.token) } })).toBe(0);
    expect(await whoAmI(after.cookieOnly)).toMatchObject({ kind: 'user', username: user.username });
  });

  test('sign-out ends the session on the server: the cookie replayed afterwards is refused', async () => {
    const user = await makeUser({ role: 'viewer' });
    const browser = browserAfter(await login(user.username, user.password));
    expect(await readStatus(browser.cookieOnly)).toBe(200);

    const out = await post(logoutRoute.POST, '/api/v1/auth/logout', undefined, browser.headers);
    expect(out.status).toBe(204);
    for (const cookie of cookiesOf(out).values()) {
      expect(cookie.value, cookie.name).toBe('');
      expect(new Date(cookie.attributes.get('expires')!).getTime(), cookie.name).toBeLessThan(Date.now());
    }
    expect(await db().session.count({ where: { tokenHash: sha256Hex(browser.token) } })).toBe(0);
    // A copy of the cookie taken before sign-out is as dead as the browser's.
    expect(await readStatus(browser.cookieOnly)).toBe(401);
    const logouts = await db().auditEvent.findMany({ where: { action: 'user.logout', targetId: user.row.id } });
    expect(logouts).toHaveLength(1);
    expect(logouts[0]).toMatchObject({ actorKind: 'user', actorName: user.username });
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const user = await makeUser({ role: 'viewer' });
    const wrong = await login(user.username, 'not-the-password-at-all');
    const unknown = await login(uniqueSlug('nobody'), 'not-the-password-at-all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [(await wrong.json()) as ErrorBody, (await unknown.json()) as ErrorBody];
    expect(a).toEqual(b);
    expect(a.error).toEqual({ code: 'unauthenticated', message: 'Wrong username or password' });
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  test('strangers cannot lock a user out: ten addresses fail for alice, and her right password from an eleventh signs in', async () => {
    const alice = await makeUser({ role: 'viewer' });
    for (let i = 1; i <= 10; i++) expect((await login(alice.username, `wrong-password-${i}`, { 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(401);
    // Her username failed everywhere, so her sign-in waits a little (the global brake), but is never refused.
    const started = performance.now();
    const signedIn = await login(alice.username, alice.password, { 'x-forwarded-for': '203.0.113.11' });
    expect(signedIn.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Nor can she be stopped from changing her password: the check of the current one is throttled the same way.
    const changed = await callRoute(mePasswordRoute.POST, {
      method: 'POST',
      path: '/api/v1/me/password',
      body: { currentPassword: alice.password, newPassword: `a-new-password-${uniqueSlug()}` },
      headers: { ...browserAfter(signedIn).headers, 'x-forwarded-for': '203.0.113.11' },
      as: 'nobody',
    });
    expect(changed.status).toBe(204);
  });

  test('an address that failed for a username gets 429 with Retry-After for it, even with the right password; other addresses do not', async () => {
    const restore = withEnv('UMPIRE_LOGIN_ATTEMPTS', '3');
    try {
      signInAttempts.clear();
      const user = await makeUser({ role: 'viewer' });
      for (let i = 0; i < 3; i++) expect((await login(user.username, `wrong-password-${i}`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(401);
      const limited = await login(user.username, user.password, { 'x-forwarded-for': '198.51.100.1' });
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as ErrorBody).error.code).toBe('rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(limited.headers.getSetCookie()).toEqual([]);
      // The same address may still sign in someone else (an office behind one address), and the user from elsewhere.
      const colleague = await makeUser({ role: 'viewer' });
      expect((await login(colleague.username, colleague.password, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
      expect((await login(user.username, user.password, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);

      // One address trying many usernames is refused at three times the limit, for every username.
      for (let i = 0; i < 9; i++) expect((await login(uniqueSlug('guess'), 'wrong-password', { 'x-forwarded-for': '192.0.2.44' })).status).toBe(401);
      expect((await login(uniqueSlug('guess'), 'wrong-password', { 'x-forwarded-for': '192.0.2.44' })).status).toBe(429);
      expect((await login(colleague.username, colleague.password, { 'x-forwarded-for': '192.0.2.44' })).status).toBe(429);
    } finally {
      restore();
    }
  });

  test('attempts made at once cannot slip past the limit while their passwords are checked', async () => {
    const restore = withEnv('UMPIRE_LOGIN_ATTEMPTS', '3');
    try {
      signInAttempts.clear();
      const user = await makeUser({ role: 'viewer' });
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => login(user.username, `wrong-password-${i}`, { 'x-forwarded-for': '198.51.100.77' }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    } finally {
      restore();
    }
  });
});

describe('CSRF', () => {
  const body = () => ({ slug: uniqueSlug('svc'), name: 'CSRF target', ownerTeam: 'csrf-team', tier: 3 });

  test.each([
    ['without the X-CSRF-Token header', () => ({})],
    ['with another session’s CSRF token', (other: string) => ({ [CSRF_HEADER]: other })],
    ['from another site (Origin)', (_: string, own: string) => ({ [CSRF_HEADER]: own, origin: 'https://evil.example' })],
    ['from another site (Sec-Fetch-Site)', (_: string, own: string) => ({ [CSRF_HEADER]: own, 'sec-fetch-site': 'cross-site' })],
  ] as const)('a change asked with a session cookie %s is refused with 403 csrf_failed, and nothing changes', async (_, extra) => {
    const editor = await makeUser({ role: 'editor', teams: ['csrf-team'] });
    const session = await sessionFor(editor);
    const other = await sessionFor(await makeUser({ role: 'editor', teams: ['csrf-team'] }));
    const before = await snapshot({ countOnly: ['sli_buckets'] });
    const response = await post(servicesRoute.POST, '/api/v1/services', body(), { ...session.cookieOnly, ...extra(other.csrf, session.csrf) });
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorBody).error.code).toBe('csrf_failed');
    expect(diff(before, await snapshot({ countOnly: ['sli_buckets'] }))).toBe('');

    // The same change from Umpire's own page goes through.
    const own = await post(servicesRoute.POST, '/api/v1/services', body(), {
      ...session.headers,
      origin: 'http://umpire.test',
      'sec-fetch-site': 'same-origin',
    });
    expect(own.status).toBe(201);
  });

  test('another site cannot sign a browser out, nor into an account of its choosing', async () => {
    const user = await makeUser({ role: 'viewer' });
    const session = await sessionFor(user);
    const out = await post(logoutRoute.POST, '/api/v1/auth/logout', undefined, session.cookieOnly);
    expect(out.status).toBe(403);
    expect(await readStatus(session.cookieOnly)).toBe(200);

    const forced = await login(user.username, user.password, { origin: 'https://evil.example' });
    expect(forced.status).toBe(403);
    expect(((await forced.json()) as ErrorBody).error.code).toBe('csrf_failed');
    expect(forced.headers.getSetCookie()).toEqual([]);
  });

  test('requests with a bearer token need no CSRF token; the token, not a cookie sent along, is who acts', async () => {
    const token = await makeToken({ scopes: ['write'] });
    const plain = await post(servicesRoute.POST, '/api/v1/services', body(), token.headers);
    expect(plain.status).toBe(201);

    const viewer = await sessionFor(await makeUser({ role: 'viewer' }));
    const slug = uniqueSlug('svc');
    const both = await post(servicesRoute.POST, '/api/v1/services', { ...body(), slug }, { ...token.headers, ...viewer.cookieOnly });
    expect(both.status).toBe(201);
    const entry = await db().auditEvent.findFirst({ where: { action: 'service.create', targetName: slug } });
    expect(entry).toMatchObject({ actorKind: 'token', actorId: token.id });
  });
});

describe('ending access at once', () => {
  test('a disabled user’s sessions and personal tokens stop working immediately, and they cannot sign in', async () => {
    const user = await makeUser({ role: 'editor', teams: ['disabled-team'] });
    const session = await sessionFor(user);
    const token = await makeToken({ owner: user, scopes: ['read'] });
    // Used once, so the server has verified (and may remember) both.
    expect(await readStatus(session.cookieOnly)).toBe(200);
    expect(await readStatus(token.headers)).toBe(200);

    const admin = await sessionFor(await makeUser({ role: 'admin' }));
    const disabled = await callRoute(userRoute.PATCH, {
      method: 'PATCH',
      path: `/api/v1/users/${user.username}`,
      params: { user: user.username },
      body: { disabled: true },
      headers: admin.headers,
    });
    expect(disabled.status).toBe(200);

    expect(await readStatus(session.cookieOnly)).toBe(401);
    expect(await readStatus(token.headers)).toBe(401);
    expect(await db().session.count({ where: { userId: user.row.id } })).toBe(0);
    const refused = await login(user.username, user.password);
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie()).toEqual([]);
  });

  test('a demoted user’s personal token loses what the role no longer allows, at once', async () => {
    const user = await makeUser({ role: 'editor', teams: ['demoted-team'] });
    const token = await makeToken({ owner: user, scopes: ['read', 'write'] });
    expect(
      (await post(servicesRoute.POST, '/api/v1/services', { slug: uniqueSlug('svc'), name: 'Before', ownerTeam: 'demoted-team', tier: 3 }, token.headers))
        .status,
    ).toBe(201);

    const admin = await sessionFor(await makeUser({ role: 'admin' }));
    expect(
      (
        await callRoute(userRoute.PATCH, {
          method: 'PATCH',
          path: '/api/v1/users/x',
          params: { user: user.username },
          body: { role: 'viewer' },
          headers: admin.headers,
        })
      ).status,
    ).toBe(200);
    const after = await post(
      servicesRoute.POST,
      '/api/v1/services',
      { slug: uniqueSlug('svc'), name: 'After', ownerTeam: 'demoted-team', tier: 3 },
      token.headers,
    );
    expect(after.status).toBe(403);
  });

  test('changing one’s password ends one’s other sessions, not this one; the old password stops working', async () => {
    const user = await makeUser({ role: 'viewer' });
    const here = await sessionFor(user);
    const elsewhere = await sessionFor(user);
    const newPassword = `a-new-password-${uniqueSlug()}`;

    const wrong = await post(mePasswordRoute.POST, '/api/v1/me/password', { currentPassword: 'not-my-password', newPassword }, here.headers);
    expect(wrong.status).toBe(422);
    expect(await readStatus(elsewhere.cookieOnly)).toBe(200);

    const changed = await post(mePasswordRoute.POST, '/api/v1/me/password', { currentPassword: user.password, newPassword }, here.headers);
    expect(changed.status).toBe(204);
    expect(await readStatus(here.cookieOnly)).toBe(200);
    expect(await readStatus(elsewhere.cookieOnly)).toBe(401);
    expect((await login(user.username, user.password)).status).toBe(401);
    expect((await login(user.username, newPassword)).status).toBe(200);
  });

  test('a revoked token is refused at once, even right after it was verified', async () => {
    const token = await makeToken({ scopes: ['read'] });
    expect(await readStatus(token.headers)).toBe(200);
    await revokeApiToken({ actor: SYSTEM, id: token.id });
    const refused = await callRoute(defaultPolicyRoute.GET, { path: '/api/v1/policies/default', headers: token.headers });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as ErrorBody).error.message).toMatch(/not valid/);
  });

  test('a token past its expiry is refused with 401 “expired”', async () => {
    const token = await makeToken({ scopes: ['read'], expiresInDays: 1 });
    expect(await readStatus(token.headers)).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 24 * 3_600_000 + 1000 });
    const expired = await callRoute(defaultPolicyRoute.GET, { path: '/api/v1/policies/default', headers: token.headers });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as ErrorBody).error).toEqual({ code: 'unauthenticated', message: 'The API token has expired' });
    expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});

describe('one-time links', () => {
  async function adminHeaders(): Promise<Record<string, string>> {
    return (await sessionFor(await makeUser({ role: 'admin' }))).headers;
  }

  test('an invitation sets the password once and signs in; used again, or after it expired, it is refused', async () => {
    const admin = await adminHeaders();
    const invite = async () => {
      const created = await post(usersRoute.POST, '/api/v1/users', { username: uniqueSlug('new'), displayName: 'New person', role: 'viewer' }, admin);
      expect(created.status).toBe(201);
      return CreatedUser.parse(await created.json());
    };
    const user = await invite();
    const token = linkToken(user.passwordLink!.url);
    const password = `a-long-password-${uniqueSlug()}`;
    const used = await post(passwordRoute.POST, '/api/v1/auth/password', { token, password });
    expect(used.status).toBe(200);
    expect(await whoAmI(browserAfter(used).cookieOnly)).toMatchObject({ kind: 'user', username: user.username });

    const again = await post(passwordRoute.POST, '/api/v1/auth/password', { token, password: `another-password-${uniqueSlug()}` });
    expect(again.status).toBe(422);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect((await login(user.username, password)).status).toBe(200);

    const late = await invite();
    await db().passwordLink.updateMany({ where: { user: { username: late.username } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await post(passwordRoute.POST, '/api/v1/auth/password', { token: linkToken(late.passwordLink!.url), password })).status).toBe(422);
    expect((await db().user.findUniqueOrThrow({ where: { username: late.username } })).passwordHash).toBeNull();
  });

  test('a reset link replaces the one before it, and using it ends the user’s sessions', async () => {
    const admin = await adminHeaders();
    const user = await makeUser({ role: 'editor' });
    const session = await sessionFor(user);
    const reset = async () => {
      const response = await callRoute(resetLinkRoute.POST, {
        method: 'POST',
        path: '/api/v1/users/x/password-link',
        params: { user: user.username },
        headers: admin,
      });
      expect(response.status).toBe(201);
      return linkToken(PasswordLinkView.parse(await response.json()).url);
    };
    const first = await reset();
    const second = await reset();
    // Until it is used, the person stays signed in (the link may have been asked for by someone else).
    expect(await readStatus(session.cookieOnly)).toBe(200);
    const password = `a-long-password-${uniqueSlug()}`;
    expect((await post(passwordRoute.POST, '/api/v1/auth/password', { token: first, password })).status).toBe(422);
    const used = await post(passwordRoute.POST, '/api/v1/auth/password', { token: second, password });
    expect(used.status).toBe(200);
    expect(await readStatus(session.cookieOnly)).toBe(401);
    expect(await readStatus(browserAfter(used).cookieOnly)).toBe(200);
    expect((await post(passwordRoute.POST, '/api/v1/auth/password', { token: second, password: `yet-another-password-${uniqueSlug()}` })).status).toBe(422);
    expect((await login(user.username, password)).status).toBe(200);
  });

  test('the setup link is refused once any user exists, and no admin is created', async () => {
    await makeUser({ role: 'viewer' });
    expect(await ensureSetupLink('http://umpire.test')).toBeNull();
    expect((await authConfig()).setupRequired).toBe(false);
    const link = await db().$transaction((tx) => createPasswordLink(tx, { purpose: 'setup', userId: null, createdBy: 'test', origin: 'http://umpire.test' }));
    const users = await db().user.count();
    const response = await post(setupRoute.POST, '/api/v1/auth/setup', {
      token: linkToken(link.url),
      username: uniqueSlug('root'),
      displayName: 'Root',
      password: `a-long-password-${uniqueSlug()}`,
    });
    expect(response.status).toBe(422);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await db().user.count()).toBe(users);
    expect(await db().passwordLink.count({ where: { tokenHash: sha256Hex(linkToken(link.url)), usedAt: null } })).toBe(1);
  });

  test('on an empty database the setup link creates the first admin, once, and only the latest link works', { timeout: 60_000 }, async () => {
    // A database of its own: the shared one has users from other tests.
    await withFreshDatabase('umpire_setup', async (client) => {
      expect((await authConfig()).setupRequired).toBe(true);
      const replaced = await ensureSetupLink('http://umpire.test');
      const link = await ensureSetupLink('http://umpire.test');
      expect(link!.url).toMatch(/^http:\/\/umpire\.test\/setup#token=/);
      const setup = (token: string, username: string) =>
        post(setupRoute.POST, '/api/v1/auth/setup', { token, username, displayName: 'First admin', password: `a-long-password-${uniqueSlug()}` });

      expect((await setup(linkToken(replaced!.url), 'first-admin')).status).toBe(422);
      const created = await setup(linkToken(link!.url), 'first-admin');
      expect(created.status).toBe(201);
      expect(await whoAmI(browserAfter(created).cookieOnly)).toMatchObject({ kind: 'user', username: 'first-admin', role: 'admin' });
      expect((await setup(linkToken(link!.url), 'second-admin')).status).toBe(422);
      expect(await ensureSetupLink('http://umpire.test')).toBeNull();
      expect(await client.user.findMany({ select: { username: true, role: true } })).toEqual([{ username: 'first-admin', role: 'admin' }]);
      expect(await client.auditEvent.count({ where: { action: 'user.create', actorName: 'umpire (setup link)' } })).toBe(1);
    });
  });
});

describe('adding people for single sign-on', () => {
  test('needs single sign-on configured, an email and no password; one waiting invitation per email', async () => {
    const admin = (await sessionFor(await makeUser({ role: 'admin' }))).headers;
    const username = uniqueSlug('sso');
    const body = { username, displayName: 'SSO person', role: 'viewer', signIn: 'sso', email: `${username}@corp.example` };
    const fieldsOf = async (response: Response) => ((await response.json()) as ErrorBody & { error: { fields?: Record<string, string> } }).error.fields;

    const notConfigured = await post(usersRoute.POST, '/api/v1/users', body, admin);
    expect(notConfigured.status).toBe(422);
    expect(await fieldsOf(notConfigured)).toEqual({ signIn: 'single sign-on is not configured' });

    const restore = [
      withEnv('UMPIRE_OIDC_CLIENT_ID', 'umpire'),
      withEnv('UMPIRE_OIDC_CLIENT_SECRET', 'not-a-real-secret'),
      withEnv('UMPIRE_OIDC_ISSUER', 'https://idp.example.com'),
    ];
    try {
      const noEmail = await post(usersRoute.POST, '/api/v1/users', { ...body, email: undefined }, admin);
      expect(noEmail.status).toBe(400);
      expect(await fieldsOf(noEmail)).toMatchObject({ email: expect.stringMatching(/is required for single sign-on/) });
      const withPassword = await post(usersRoute.POST, '/api/v1/users', { ...body, password: 'a perfectly long passphrase' }, admin);
      expect(withPassword.status).toBe(400);
      expect(await fieldsOf(withPassword)).toMatchObject({ password: 'is not used with single sign-on' });
      const badKind = await post(usersRoute.POST, '/api/v1/users', { ...body, signIn: 'magic' }, admin);
      expect(badKind.status).toBe(400);
      expect(await fieldsOf(badKind)).toMatchObject({ signIn: 'must be password or sso' });
      expect(await db().user.count({ where: { username } })).toBe(0);

      const created = await post(usersRoute.POST, '/api/v1/users', body, admin);
      expect(created.status).toBe(201);
      expect(CreatedUser.parse(await created.json())).toMatchObject({
        username,
        passwordLink: null,
        signIn: { password: false, oidc: false, ssoInvited: true },
      });

      const twice = await post(usersRoute.POST, '/api/v1/users', { ...body, username: uniqueSlug('sso'), email: body.email.toUpperCase() }, admin);
      expect(twice.status).toBe(409);
      expect(await fieldsOf(twice)).toEqual({ email: 'is already waiting for a first sign-in' });

      // An invitation keeps an email of its own: not removed, not another invitation's.
      const otherName = uniqueSlug('sso');
      expect((await post(usersRoute.POST, '/api/v1/users', { ...body, username: otherName, email: `${otherName}@corp.example` }, admin)).status).toBe(201);
      const patch = (email: string | null) =>
        callRoute(userRoute.PATCH, {
          method: 'PATCH',
          path: `/api/v1/users/${otherName}`,
          params: { user: otherName },
          body: { email },
          headers: admin,
          as: 'nobody',
        });
      const removed = await patch(null);
      expect(removed.status).toBe(422);
      expect(await fieldsOf(removed)).toEqual({ email: 'is required for single sign-on' });
      const taken = await patch(body.email);
      expect(taken.status).toBe(409);
      expect(await fieldsOf(taken)).toEqual({ email: 'is already waiting for a first sign-in' });
      expect((await patch(`${otherName}@elsewhere.example`)).status).toBe(200);
    } finally {
      for (const undo of restore.reverse()) undo();
    }
  });
});

describe('secrets stay out of logs and answers', () => {
  test('passwords, session cookies, CSRF tokens, link tokens and API tokens appear in no log line', async () => {
    const restore = withEnv('UMPIRE_LOG_LEVEL', 'debug');
    const output = captureOutput();
    const secrets: string[] = [];
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(await response.clone().text());
      return response;
    };
    try {
      const user: TestUser = await makeUser({ role: 'editor', teams: ['log-team'] });
      secrets.push(user.password);
      await keep(await login(user.username, 'a-wrong-password-for-the-log'));
      secrets.push('a-wrong-password-for-the-log');
      const signedIn = await keep(await login(user.username, user.password));
      const browser = browserAfter(signedIn);
      secrets.push(browser.token, browser.headers[CSRF_HEADER]!);

      // The one answer that carries the token, by design; not searched.
      const made = await post(tokensRoute.POST, '/api/v1/tokens', { name: 'laptop', kind: 'personal', scopes: ['read'] }, browser.headers);
      const token = CreatedApiToken.parse(await made.json()).token;
      secrets.push(token);
      await keep(await callRoute(defaultPolicyRoute.GET, { path: '/api/v1/policies/default', headers: { authorization: `Bearer ${token}` } }));
      await keep(await callRoute(defaultPolicyRoute.GET, { path: '/api/v1/policies/default', headers: { authorization: `Bearer ${token}x` } }));

      const newPassword = `a-new-password-${uniqueSlug()}`;
      secrets.push(newPassword);
      await keep(await post(mePasswordRoute.POST, '/api/v1/me/password', { currentPassword: user.password, newPassword }, browser.headers));

      const admin = await sessionFor(await makeUser({ role: 'admin' }));
      const link = PasswordLinkView.parse(
        await (
          await callRoute(resetLinkRoute.POST, {
            method: 'POST',
            path: '/api/v1/users/x/password-link',
            params: { user: user.username },
            headers: admin.headers,
          })
        ).json(),
      );
      const linkSecret = linkToken(link.url);
      const linkPassword = `a-link-password-${uniqueSlug()}`;
      secrets.push(linkSecret, linkPassword);
      const used = await keep(await post(passwordRoute.POST, '/api/v1/auth/password', { token: linkSecret, password: linkPassword }));
      const second = browserAfter(used);
      secrets.push(second.token);
      await keep(await post(logoutRoute.POST, '/api/v1/auth/logout', undefined, second.headers));
    } finally {
      output.stop();
      restore();
    }
    const logged = output.text();
    expect(logged).toContain('auth.login'); // the log ran at debug level: there was something to search
    for (const secret of secrets) {
      expect(logged, 'a secret in the log').not.toContain(secret);
      for (const answer of answers) expect(answer, 'a secret in an answer').not.toContain(secret);
    }
  });
});

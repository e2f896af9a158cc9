// Sign-in through OpenID Connect, end to end as a browser does it: Umpire's login route sends the browser to a
// real OpenID Provider (test-idp.ts), the person signs in there, and the provider sends them back to the callback.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as callbackRoute from '../../app/auth/oidc/callback/route';
import * as loginRoute from '../../app/auth/oidc/login/route';
import { OIDC_STATE_COOKIE, SESSION_COOKIE, sha256Hex } from '../../lib/auth/credentials';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { UserInput } from '../../lib/schemas';
import { authenticateSession } from '../../lib/use-cases/access/sessions';
import { createUser } from '../../lib/use-cases/access/users';
import { makeUser } from '../auth';
import { withFreshDatabase } from '../database';
import { SYSTEM, uniqueSlug } from '../factories';
import { captureOutput } from '../security/support';
import { startTestIdp, type IdpAccount, type TestIdp } from './test-idp';

const UMPIRE = 'http://umpire.test';

/** Cookies by name, as one browser keeps them for one site (paths are not told apart: each test site is small). */
class CookieJar {
  readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired =
        attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') <= Date.now()) ||
        attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, decodeURIComponent(pair.slice(eq + 1).trim()));
    }
  }

  header(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ') };
  }
}

let idp: TestIdp;
const saved = new Map<string, string | undefined>();

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  reloadEnv();
}

function oidcEnv(): Record<string, string | undefined> {
  return {
    UMPIRE_PUBLIC_URL: undefined,
    UMPIRE_OIDC_ISSUER: idp.issuer,
    UMPIRE_OIDC_CLIENT_ID: idp.clientId,
    UMPIRE_OIDC_CLIENT_SECRET: idp.clientSecret,
    UMPIRE_OIDC_SCOPES: 'openid profile email groups',
    UMPIRE_OIDC_ADMIN_GROUPS: 'umpire-admins',
    UMPIRE_OIDC_EDITOR_GROUPS: 'umpire-editors, sre',
    UMPIRE_OIDC_TEAM_PREFIX: 'team-',
    UMPIRE_OIDC_DEFAULT_ROLE: 'viewer',
    UMPIRE_OIDC_SIGNUP: 'on',
  };
}

beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${UMPIRE}/auth/oidc/callback` });
});

beforeEach(() => setEnv(oidcEnv()));

afterAll(async () => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  reloadEnv();
  await idp?.close();
});

/** An account at the identity provider, with a name nobody else in this run has. */
function account(overrides: Partial<IdpAccount> = {}): IdpAccount {
  const name = uniqueSlug('oidc');
  const created: IdpAccount = { sub: `sub-${name}`, preferred_username: name, email: `${name}@corp.example`, name: `Test ${name}`, groups: [], ...overrides };
  idp.accounts.set(created.sub, created);
  return created;
}

/** The browser asks Umpire to sign in through the provider: the provider's URL to go to, and Umpire's answer. */
async function begin(jar: CookieJar, next = '/'): Promise<{ authorizeUrl: string; response: Response }> {
  const response = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login?next=${encodeURIComponent(next)}`, { headers: jar.header() }));
  expect(response.status).toBe(302);
  jar.take(response);
  return { authorizeUrl: response.headers.get('location')!, response };
}

/**
 * The browser at the provider: follows its redirects, and on the login page signs in as `login` (or cancels),
 * until the provider sends it back to Umpire. Returns that URL.
 */
async function atProvider(authorizeUrl: string, login: string | 'cancel'): Promise<string> {
  const jar = new CookieJar();
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 15; hop++) {
    if (url.startsWith(`${UMPIRE}/`)) return url;
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...jar.header(), ...(init.headers as Record<string, string> | undefined) } });
    jar.take(response);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    const form = login === 'cancel' ? /action="([^"]*\/abort)"/.exec(page) : /action="([^"]*\/login)"/.exec(page);
    if (response.status !== 200 || !form) throw new Error(`unexpected page at the provider (${response.status} ${url}): ${page.slice(0, 300)}`);
    url = new URL(form[1]!, url).href;
    init = {
      method: 'POST',
      body: new URLSearchParams(login === 'cancel' ? {} : { login }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('too many redirects at the provider');
}

/** The provider sends the browser back to Umpire's callback. */
async function finish(callbackUrl: string, jar: CookieJar): Promise<Response> {
  const response = await callbackRoute.GET(new Request(callbackUrl, { headers: jar.header() }));
  expect(response.status).toBe(302);
  jar.take(response);
  return response;
}

async function signIn(login: string | 'cancel', { jar = new CookieJar(), next = '/' }: { jar?: CookieJar; next?: string } = {}) {
  const { authorizeUrl } = await begin(jar, next);
  const callbackUrl = await atProvider(authorizeUrl, login);
  const response = await finish(callbackUrl, jar);
  return { response, jar, callbackUrl, location: response.headers.get('location')! };
}

/** The message a refusal carries back to the sign-in page, or null when the redirect goes elsewhere. */
function loginError(location: string): string | null {
  const url = new URL(location, UMPIRE);
  return url.pathname === '/login' ? url.searchParams.get('error') : null;
}

async function signedInAs(jar: CookieJar) {
  return authenticateSession(jar.cookies.get(SESSION_COOKIE));
}

function userBySubject(sub: string) {
  return db().user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: idp.issuer, oidcSubject: sub } } });
}

describe('sign-in through OpenID Connect', () => {
  test('a first sign-in creates the account with the role and teams its groups give; the session works', async () => {
    const alice = account({ groups: ['umpire-editors', 'team-payments', 'team-search', 'unrelated'] });
    idp.paths.length = 0;
    const { response, jar, location } = await signIn(alice.sub, { next: '/services/checkout?range=7d' });
    // This provider keeps names and groups out of the ID token: they came from userinfo.
    expect(idp.paths).toContain('/me');

    expect(location).toBe('/services/checkout?range=7d');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cookies = response.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith(`${OIDC_STATE_COOKIE}=`))).toMatch(/^umpire_oidc_state=; Path=\/auth\/oidc; Expires=Thu, 01 Jan 1970/);

    const actor = await signedInAs(jar);
    expect(actor).toMatchObject({ kind: 'user', username: alice.preferred_username, role: 'editor', teams: ['payments', 'search'] });
    const row = await userBySubject(alice.sub);
    expect(row).toMatchObject({ username: alice.preferred_username, displayName: alice.name, email: alice.email, passwordHash: null });
    const session = await db().session.findFirstOrThrow({ where: { userId: row!.id } });
    expect(session.method).toBe('oidc');

    const trail = await db().auditEvent.findMany({ where: { targetType: 'user', targetId: row!.id }, orderBy: [{ at: 'asc' }, { seq: 'asc' }] });
    expect(trail.map((e) => e.action)).toEqual(['user.create', 'user.login']);
    expect(trail[0]).toMatchObject({ actorKind: 'system', actorName: 'umpire (identity provider)' });
    expect(trail[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await db().loginFlow.count({ where: { returnTo: '/services/checkout?range=7d' } })).toBe(0);
  });

  test('the state cookie is httpOnly, SameSite=Lax, scoped to /auth/oidc for 10 minutes, and Secure over TLS', async () => {
    const plain = await begin(new CookieJar());
    const cookie = plain.response.headers.getSetCookie().find((c) => c.startsWith(`${OIDC_STATE_COOKIE}=`))!;
    expect(cookie).toMatch(/; Path=\/auth\/oidc; /);
    expect(cookie).toMatch(/; SameSite=Lax; HttpOnly$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    const authorize = new URL(plain.authorizeUrl);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${UMPIRE}/auth/oidc/callback`);
    expect(authorize.searchParams.get('state')).toBe(decodeURIComponent(/=([^;]*)/.exec(cookie)![1]!));
    const flow = await db().loginFlow.findUnique({ where: { stateHash: sha256Hex(authorize.searchParams.get('state')!) } });
    expect(flow).not.toBeNull();

    const tls = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login`, { headers: { host: 'umpire.test', 'x-forwarded-proto': 'https' } }));
    expect(tls.headers.getSetCookie().find((c) => c.startsWith(`${OIDC_STATE_COOKIE}=`))).toMatch(/; Secure$/);
  });

  test('when the groups change, role and teams follow at the next sign-in, and the audit trail says so', async () => {
    // Another admin, so the groups may demote bob (the last admin is kept: the next test).
    await makeUser({ role: 'admin' });
    const bob = account({ groups: ['umpire-admins', 'team-payments'] });
    const first = await signIn(bob.sub);
    const before = await signedInAs(first.jar);
    expect(before).toMatchObject({ role: 'admin', teams: ['payments'] });
    const firstToken = first.jar.cookies.get(SESSION_COOKIE);

    bob.groups = ['sre', 'team-search', 'team-checkout'];
    const second = await signIn(bob.sub, { jar: first.jar });
    expect(loginError(second.location)).toBeNull();
    expect(await signedInAs(second.jar)).toMatchObject({ username: bob.preferred_username, role: 'editor', teams: ['checkout', 'search'] });
    // Signing in again replaces the session the browser had.
    expect(await authenticateSession(firstToken)).toBeNull();

    bob.groups = [];
    await signIn(bob.sub);
    const row = await userBySubject(bob.sub);
    expect(row).toMatchObject({ role: 'viewer', teams: [] });

    const updates = await db().auditEvent.findMany({
      where: { targetType: 'user', targetId: row!.id, action: 'user.update' },
      orderBy: [{ at: 'asc' }, { seq: 'asc' }],
    });
    expect(updates).toHaveLength(2);
    expect(updates[0]).toMatchObject({
      actorName: 'umpire (identity provider)',
      before: { role: 'admin', teams: ['payments'] },
      after: { role: 'editor', teams: ['checkout', 'search'] },
    });
    expect(updates[0]!.details).toMatchObject({ via: 'oidc', groups: ['sre', 'team-search', 'team-checkout'] });
    expect(updates[1]).toMatchObject({ before: { role: 'editor' }, after: { role: 'viewer', teams: [] } });

    // Nothing changed: no entry.
    await signIn(bob.sub);
    expect(await db().auditEvent.count({ where: { targetType: 'user', targetId: row!.id, action: 'user.update' } })).toBe(2);
  });

  test('the groups never take away the last admin; once there is another, they do', { timeout: 60_000 }, async () => {
    // A database of its own: the shared one has admins from other tests.
    await withFreshDatabase('umpire_oidc_admin', async (client) => {
      const output = captureOutput();
      try {
        const dora = account({ groups: ['umpire-admins', 'team-payments'] });
        await signIn(dora.sub);
        expect(await userBySubject(dora.sub)).toMatchObject({ role: 'admin', teams: ['payments'] });

        dora.groups = ['team-search'];
        const kept = await signIn(dora.sub);
        expect(loginError(kept.location)).toBeNull();
        expect(await signedInAs(kept.jar)).toMatchObject({ role: 'admin', teams: ['search'] });
        const warning = output
          .text()
          .split('\n')
          .find((line) => line.includes('auth.oidc_last_admin_kept'));
        expect(warning).toContain(`"user":"${dora.preferred_username}"`);

        const eve = account({ groups: ['umpire-admins'] });
        await signIn(eve.sub);
        await signIn(dora.sub);
        expect(await userBySubject(dora.sub)).toMatchObject({ role: 'viewer', teams: ['search'] });
        const row = await userBySubject(dora.sub);
        const updates = await client.auditEvent.findMany({
          where: { targetType: 'user', targetId: row!.id, action: 'user.update' },
          orderBy: [{ at: 'asc' }, { seq: 'asc' }],
        });
        expect(updates.map((u) => [u.before, u.after].map((v) => (v as { role: string }).role))).toEqual([
          ['admin', 'admin'],
          ['admin', 'viewer'],
        ]);
      } finally {
        output.stop();
      }
    });
  });

  test('without group lists or a team prefix, the role and teams an admin gave are kept', async () => {
    setEnv({ UMPIRE_OIDC_ADMIN_GROUPS: '', UMPIRE_OIDC_EDITOR_GROUPS: '', UMPIRE_OIDC_TEAM_PREFIX: '', UMPIRE_OIDC_DEFAULT_ROLE: 'editor' });
    const carol = account({ groups: ['umpire-admins', 'team-payments'] });
    const first = await signIn(carol.sub);
    expect(await signedInAs(first.jar)).toMatchObject({ role: 'editor', teams: [] });
    await db().user.update({ where: { username: carol.preferred_username }, data: { role: 'admin', teams: ['search'] } });
    const second = await signIn(carol.sub);
    expect(await signedInAs(second.jar)).toMatchObject({ role: 'admin', teams: ['search'] });
  });

  test('with UMPIRE_OIDC_SIGNUP=off, someone without an account is refused; someone with one signs in', async () => {
    const known = account();
    await signIn(known.sub);
    setEnv({ UMPIRE_OIDC_SIGNUP: 'off' });

    const stranger = account();
    const sessions = await db().session.count();
    const refused = await signIn(stranger.sub);
    expect(loginError(refused.location)).toMatch(/ask an admin to add you/);
    expect(refused.jar.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(refused.jar.cookies.has(OIDC_STATE_COOKIE)).toBe(false);
    expect(await userBySubject(stranger.sub)).toBeNull();
    expect(await db().session.count()).toBe(sessions);

    const again = await signIn(known.sub);
    expect(await signedInAs(again.jar)).toMatchObject({ username: known.preferred_username });
  });

  test('someone an admin added for single sign-on: the first sign-in with that verified email becomes their account, signup off or on', async () => {
    setEnv({ UMPIRE_OIDC_SIGNUP: 'off', UMPIRE_OIDC_ADMIN_GROUPS: '', UMPIRE_OIDC_EDITOR_GROUPS: '', UMPIRE_OIDC_TEAM_PREFIX: '' });
    const name = uniqueSlug('invited');
    const invited = await createUser({
      actor: SYSTEM,
      input: UserInput.parse({
        username: name,
        displayName: 'Invited Person',
        email: `${name}@Corp.example`,
        role: 'editor',
        teams: ['payments'],
        signIn: 'sso',
      }),
      origin: UMPIRE,
    });
    expect(invited).toMatchObject({ passwordLink: null, signIn: { password: false, oidc: false, ssoInvited: true } });

    // An unverified email is not enough, and nothing is created or linked.
    const unverified = account({ email: `${name}@corp.example`, email_verified: false });
    expect(loginError((await signIn(unverified.sub)).location)).toMatch(/ask an admin to add you/);
    expect(await userBySubject(unverified.sub)).toBeNull();

    // Verified (the case of the email does not matter): that account, with the role and teams the admin gave.
    const person = account({ email: `${name}@corp.example`, preferred_username: 'someone-else', groups: [] });
    const { jar } = await signIn(person.sub);
    expect(await signedInAs(jar)).toMatchObject({ id: invited.id, username: name, role: 'editor', teams: ['payments'] });
    const row = await db().user.findUniqueOrThrow({ where: { id: invited.id } });
    expect(row).toMatchObject({ oidcSubject: person.sub, ssoInvite: false });
    const trail = await db().auditEvent.findMany({ where: { targetType: 'user', targetId: invited.id }, orderBy: [{ at: 'asc' }, { seq: 'asc' }] });
    expect(trail.map((e) => e.action)).toEqual(['user.create', 'user.update', 'user.login']);
    expect(trail[1]!.details).toMatchObject({ via: 'oidc', linked: 'first single sign-on' });

    // Claimed once: another identity with the same email gets no way into it.
    const other = account({ email: `${name}@corp.example` });
    expect(loginError((await signIn(other.sub)).location)).toMatch(/ask an admin to add you/);
    setEnv({ UMPIRE_OIDC_SIGNUP: 'on' });
    const { jar: otherJar } = await signIn(other.sub);
    expect((await signedInAs(otherJar))!.id).not.toBe(invited.id);
  });

  test('a local account with the email is never claimed by single sign-on, nor is a disabled invitation', async () => {
    const name = uniqueSlug('localmail');
    const local = await makeUser({ role: 'admin', username: name });
    await db().user.update({ where: { id: local.row.id }, data: { email: `${name}@corp.example` } });
    const sso = account({ email: `${name}@corp.example`, groups: [] });
    const { jar } = await signIn(sso.sub);
    expect((await signedInAs(jar))!.id).not.toBe(local.row.id);
    expect(await db().user.findUniqueOrThrow({ where: { id: local.row.id } })).toMatchObject({ oidcSubject: null });

    setEnv({ UMPIRE_OIDC_SIGNUP: 'off' });
    const parked = uniqueSlug('parked');
    const invited = await createUser({
      actor: SYSTEM,
      input: UserInput.parse({ username: parked, displayName: 'Parked', email: `${parked}@corp.example`, role: 'viewer', signIn: 'sso' }),
      origin: UMPIRE,
    });
    await db().user.update({ where: { id: invited.id }, data: { disabledAt: new Date() } });
    const person = account({ email: `${parked}@corp.example` });
    const sessions = await db().session.count();
    expect(loginError((await signIn(person.sub)).location)).toBe('This account is disabled; ask an admin');
    expect(await db().session.count()).toBe(sessions);
    expect(await db().user.findUniqueOrThrow({ where: { id: invited.id } })).toMatchObject({ oidcSubject: null, ssoInvite: true });
  });

  test('a disabled user is refused', async () => {
    const dave = account();
    await signIn(dave.sub);
    await db().user.update({ where: { username: dave.preferred_username }, data: { disabledAt: new Date() } });
    const sessions = await db().session.count();
    const refused = await signIn(dave.sub);
    expect(loginError(refused.location)).toBe('This account is disabled; ask an admin');
    expect(await db().session.count()).toBe(sessions);
  });

  test('names and groups in the ID token are enough: no userinfo request', async () => {
    const generous = await startTestIdp({ redirectUri: `${UMPIRE}/auth/oidc/callback`, claimsInIdToken: true });
    try {
      setEnv({ UMPIRE_OIDC_ISSUER: generous.issuer, UMPIRE_OIDC_CLIENT_ID: generous.clientId, UMPIRE_OIDC_CLIENT_SECRET: generous.clientSecret });
      const name = uniqueSlug('idtoken');
      generous.accounts.set(`sub-${name}`, { sub: `sub-${name}`, preferred_username: name, groups: ['umpire-admins', 'team-search'] });
      const { jar } = await signIn(`sub-${name}`);
      expect(await signedInAs(jar)).toMatchObject({ username: name, role: 'admin', teams: ['search'] });
      expect(generous.paths).toContain('/token');
      expect(generous.paths).not.toContain('/me');
    } finally {
      await generous.close();
    }
  });

  test('a local account with the same name is never taken over: the newcomer gets a name of their own', async () => {
    const name = uniqueSlug('local');
    const local = await makeUser({ role: 'admin', username: name });
    const impostor = account({ preferred_username: name.toUpperCase(), email: `${name}@corp.example`, groups: [] });
    const { jar } = await signIn(impostor.sub);
    const actor = await signedInAs(jar);
    expect(actor).toMatchObject({ username: `${name}-2`, role: 'viewer' });
    expect(actor!.id).not.toBe(local.row.id);
    expect(await db().user.findUniqueOrThrow({ where: { id: local.row.id } })).toMatchObject({ oidcSubject: null, oidcIssuer: null, role: 'admin' });
  });

  test('returnTo that leaves the site becomes /', async () => {
    for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
      const { location } = await signIn(account().sub, { next });
      expect(location).toBe('/');
    }
  });
});

describe('refused callbacks: back to /login with a message, and no session', () => {
  let sessions: number;
  beforeEach(async () => {
    sessions = await db().session.count();
  });
  async function expectNoNewSession() {
    expect(await db().session.count()).toBe(sessions);
  }

  test('the state in the URL does not match the cookie', async () => {
    const jar = new CookieJar();
    const first = await begin(jar);
    await begin(jar); // a second tab: the cookie now holds the second state
    const callbackUrl = await atProvider(first.authorizeUrl, account().sub);
    const response = await finish(callbackUrl, jar);
    expect(loginError(response.headers.get('location')!)).toMatch(/does not match the one this browser started/);
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${OIDC_STATE_COOKIE}=;`))).toBe(true);
    await expectNoNewSession();
  });

  test('no state cookie at all', async () => {
    const { authorizeUrl } = await begin(new CookieJar());
    const callbackUrl = await atProvider(authorizeUrl, account().sub);
    const response = await finish(callbackUrl, new CookieJar());
    expect(loginError(response.headers.get('location')!)).toMatch(/cookie is missing or expired/);
    await expectNoNewSession();
  });

  test('a callback replayed after it was used', async () => {
    const jar = new CookieJar();
    const { authorizeUrl } = await begin(jar);
    const stateCookie = jar.cookies.get(OIDC_STATE_COOKIE)!;
    const callbackUrl = await atProvider(authorizeUrl, account().sub);
    const first = await finish(callbackUrl, jar);
    expect(loginError(first.headers.get('location')!)).toBeNull();
    sessions = await db().session.count();

    const replayJar = new CookieJar();
    replayJar.cookies.set(OIDC_STATE_COOKIE, stateCookie);
    const replay = await finish(callbackUrl, replayJar);
    expect(loginError(replay.headers.get('location')!)).toBe('This sign-in was finished already or has expired; start again');
    await expectNoNewSession();
  });

  test('a sign-in that took longer than 10 minutes', async () => {
    const jar = new CookieJar();
    const { authorizeUrl } = await begin(jar);
    await db().loginFlow.update({ where: { stateHash: sha256Hex(jar.cookies.get(OIDC_STATE_COOKIE)!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const callbackUrl = await atProvider(authorizeUrl, account().sub);
    const response = await finish(callbackUrl, jar);
    expect(loginError(response.headers.get('location')!)).toBe('This sign-in took longer than 10 minutes; start again');
    expect(await db().loginFlow.count({ where: { stateHash: sha256Hex(new URL(callbackUrl).searchParams.get('state')!) } })).toBe(0);
    await expectNoNewSession();
  });

  test('the person cancels at the provider (error=access_denied)', async () => {
    const { location, callbackUrl } = await signIn('cancel');
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(loginError(location)).toBe('The identity provider refused the sign-in: The user cancelled the sign-in');
    await expectNoNewSession();
  });

  test('garbage in the callback URL', async () => {
    const withCookie = new CookieJar();
    withCookie.cookies.set(OIDC_STATE_COOKIE, 'x');
    for (const jar of [new CookieJar(), withCookie]) {
      for (const query of ['', '?code=x', '?state=&code=', '?state=x&code=y', `?state=${'x'.repeat(5000)}`, '?state=x&error=%00%01']) {
        const response = await finish(`${UMPIRE}/auth/oidc/callback${query}`, jar);
        expect(loginError(response.headers.get('location')!)).toMatch(/start again$/);
      }
    }
    await expectNoNewSession();
  });
});

describe('configuration', () => {
  test('not set up: the login route is 404 and the callback sends back to /login', async () => {
    setEnv({ UMPIRE_OIDC_ISSUER: undefined });
    const login = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login`));
    expect(login.status).toBe(404);
    const callback = await finish(`${UMPIRE}/auth/oidc/callback?state=x&code=y`, new CookieJar());
    expect(loginError(callback.headers.get('location')!)).toMatch(/not set up/);
  });

  test('a provider that is down gives a clear error, and the next sign-in tries again', async () => {
    const gone = await startTestIdp({ redirectUri: `${UMPIRE}/auth/oidc/callback` });
    await gone.close();
    setEnv({ UMPIRE_OIDC_ISSUER: gone.issuer });
    const refused = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login?next=/services`));
    expect(refused.status).toBe(302);
    const location = new URL(refused.headers.get('location')!, UMPIRE);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('error')).toMatch(/^The identity provider \(127\.0\.0\.1:\d+\) could not be reached/);
    expect(location.searchParams.get('next')).toBe('/services');
    expect(refused.headers.getSetCookie()).toEqual([]);

    const flaky = await startTestIdp({ redirectUri: `${UMPIRE}/auth/oidc/callback` });
    try {
      setEnv({ UMPIRE_OIDC_ISSUER: flaky.issuer, UMPIRE_OIDC_CLIENT_ID: flaky.clientId, UMPIRE_OIDC_CLIENT_SECRET: flaky.clientSecret });
      flaky.down = true;
      const down = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login`));
      expect(loginError(down.headers.get('location')!)).toMatch(/could not be reached or did not answer as an OpenID provider/);
      flaky.down = false;
      const { authorizeUrl } = await begin(new CookieJar());
      expect(authorizeUrl.startsWith(`${flaky.issuer}/`)).toBe(true);
    } finally {
      await flaky.close();
    }
  });

  test('an http issuer is refused unless it is on this machine', async () => {
    setEnv({ UMPIRE_OIDC_ISSUER: 'http://idp.example' });
    const response = await loginRoute.GET(new Request(`${UMPIRE}/auth/oidc/login`));
    expect(loginError(response.headers.get('location')!)).toMatch(/must be an https:\/\/ URL/);
  });
});

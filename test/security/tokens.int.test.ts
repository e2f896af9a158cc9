// API tokens through the API, end to end: shown once and stored hashed, last-used time kept, expiry set at
// creation, and the rate limits on token use (per token, and on invalid tokens per client address).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tokens from '../../app/api/v1/tokens/route';
import * as token from '../../app/api/v1/tokens/[token]/route';
import * as services from '../../app/api/v1/services/route';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { verifiedTokens } from '../../lib/use-cases/access/verified-tokens';
import { callRoute } from '../factories';
import { makeToken, makeUser, sessionFor } from '../auth';

interface TokenView {
  id: string;
  prefix: string;
  scopes: string[];
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  token?: string;
}

const savedLimit = process.env.UMPIRE_TOKEN_RATE_LIMIT;
const LIMIT = 5;

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('a token made through the API', () => {
  test('is shown once, stored only as a hash, expires when asked, and records when it was last used', async () => {
    const before = Date.now();
    const created = await callRoute(tokens.POST, {
      method: 'POST',
      body: { name: `ci ${before}`, kind: 'service', scopes: ['read', 'gate'], expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const made = (await created.json()) as TokenView;
    expect(made.token).toMatch(/^umpire_[A-Za-z0-9_-]{40,}$/);
    const value = made.token!;
    expect(value.startsWith(made.prefix)).toBe(true);
    const expires = Date.parse(made.expiresAt!);
    expect(expires - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 86_400_000 + 1000);
    expect(made.lastUsedAt).toBeNull();

    // Stored: the SHA-256 of the value, never the value.
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.hash).toBe(createHash('sha256').update(value).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(value);

    // Listed and read afterwards: no value.
    const listed = (await (await callRoute(tokens.GET, { path: '/api/v1/tokens' })).json()) as { tokens: TokenView[] };
    const mine = listed.tokens.find((t) => t.id === made.id)!;
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('token');
    expect(JSON.stringify(listed)).not.toContain(value);

    // Used: the last-used time is kept.
    verifiedTokens.clear();
    const used = await callRoute(services.GET, { headers: { authorization: `Bearer ${value}` }, path: '/api/v1/services' });
    expect(used.status).toBe(200);
    await expect
      .poll(async () => (await db().apiToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime() ?? 0, { timeout: 5000 })
      .toBeGreaterThanOrEqual(before);
    const relisted = (await (await callRoute(tokens.GET, { path: '/api/v1/tokens' })).json()) as { tokens: TokenView[] };
    expect(Date.parse(relisted.tokens.find((t) => t.id === made.id)!.lastUsedAt!)).toBeGreaterThanOrEqual(before);

    // Revoked: refused at once, and listed as revoked.
    expect((await callRoute(token.DELETE, { method: 'DELETE', params: { token: made.id } })).status).toBe(200);
    expect((await callRoute(services.GET, { headers: { authorization: `Bearer ${value}` } })).status).toBe(401);
  });

  test('refuses an expiry it cannot keep, naming the field', async () => {
    for (const expiresInDays of [0, -1, 1.5, 'soon', 100_000]) {
      const response = await callRoute(tokens.POST, { method: 'POST', body: { name: 'bad expiry', kind: 'service', scopes: ['read'], expiresInDays } });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('expiresInDays');
    }
  });
});

describe('what a token may mint', () => {
  // Issue 14: an admin-only token minted write, gate and ingest tokens. A token's scopes (and teams) bound its mints.
  test.each<[string, string[], string[], { scopes: string[]; teams?: string[] }, number]>([
    ['admin only mints write: 403', ['admin'], [], { scopes: ['write'] }, 403],
    ['admin only mints gate: 403', ['admin'], [], { scopes: ['gate'] }, 403],
    ['admin only mints ingest: 403', ['admin'], [], { scopes: ['ingest'] }, 403],
    ['admin only mints write+gate+ingest: 403', ['admin'], [], { scopes: ['write', 'gate', 'ingest'] }, 403],
    ['admin only mints admin: 201', ['admin'], [], { scopes: ['admin'] }, 201],
    ['admin+gate mints gate: 201', ['admin', 'gate'], [], { scopes: ['gate'] }, 201],
    ['admin+gate mints gate+write: 403', ['admin', 'gate'], [], { scopes: ['gate', 'write'] }, 403],
    ['admin+write of team shop mints write for shop: 201', ['admin', 'write'], ['shop'], { scopes: ['write'], teams: ['shop'] }, 201],
    ['admin+write of team shop mints write for every team: 403', ['admin', 'write'], ['shop'], { scopes: ['write'], teams: [] }, 403],
    ['write only mints write: 403', ['write'], [], { scopes: ['write'] }, 403],
  ])('%s', async (_, makerScopes, makerTeams, asked, status) => {
    const maker = await makeToken({ scopes: makerScopes as never, teams: makerTeams });
    const name = `minted ${Math.random().toString(36).slice(2)}`;
    const response = await callRoute(tokens.POST, { method: 'POST', headers: maker.headers, body: { name, kind: 'service', ...asked } });
    expect(response.status, await response.clone().text()).toBe(status);
    const stored = await db().apiToken.count({ where: { name } });
    expect(stored).toBe(status === 201 ? 1 : 0);
    if (status === 403) expect((await errorOf(response)).code).toBe('forbidden');
  });

  test('a signed-in admin still mints any token', async () => {
    const admin = await sessionFor(await makeUser({ role: 'admin' }));
    const response = await callRoute(tokens.POST, {
      method: 'POST',
      headers: admin.headers,
      body: { name: `any ${Date.now()}`, kind: 'service', scopes: ['read', 'write', 'gate', 'ingest', 'admin'] },
    });
    expect(response.status).toBe(201);
  });
});

describe('an ingest token’s bindings through the API', () => {
  async function created(body: Record<string, unknown>) {
    const response = await callRoute(tokens.POST, { method: 'POST', body });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as TokenView & { teams: string[]; serviceNames: string[]; name: string };
  }

  test('are made, listed and changed (audited with before and after), each once and sorted', async () => {
    const made = await created({
      name: `checkout ${Date.now()}`,
      scopes: ['ingest'],
      teams: ['payments'],
      serviceNames: ['checkout-api', ' cart-api ', 'checkout-api'],
    });
    expect(made).toMatchObject({ teams: ['payments'], serviceNames: ['cart-api', 'checkout-api'] });
    const patched = await callRoute(token.PATCH, {
      method: 'PATCH',
      params: { token: made.id },
      body: { teams: ['payments', 'billing'], serviceNames: ['checkout-api'] },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      id: made.id,
      name: made.name,
      teams: ['billing', 'payments'],
      serviceNames: ['checkout-api'],
      scopes: ['ingest'],
    });
    const listed = (await (await callRoute(tokens.GET, { path: '/api/v1/tokens?scope=ingest' })).json()) as {
      tokens: Array<TokenView & { serviceNames: string[] }>;
    };
    expect(listed.tokens.find((t) => t.id === made.id)!.serviceNames).toEqual(['checkout-api']);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetType: 'token', targetId: made.id, action: 'token.update' } });
    expect(audit.before).toMatchObject({ teams: ['payments'], serviceNames: ['cart-api', 'checkout-api'] });
    expect(audit.after).toMatchObject({ teams: ['billing', 'payments'], serviceNames: ['checkout-api'] });
  });

  test.each<[string, Record<string, unknown>, number, Record<string, string>]>([
    ['an empty service name', { serviceNames: [''] }, 400, { 'serviceNames.0': 'must not be empty' }],
    ['service names that are not a list', { serviceNames: 'checkout-api' }, 400, { serviceNames: 'must be a list of service.name values' }],
    ['a team name too long', { teams: ['x'.repeat(101)] }, 400, { 'teams.0': 'must be at most 100 characters' }],
    ['scopes (they stay as made)', { scopes: ['admin'] }, 400, { _: 'Unrecognized key: "scopes"' }],
    ['nothing', {}, 400, { _: 'names no field to change' }],
  ])('a change with %s is refused, naming the field, and changes nothing', async (_, body, status, fields) => {
    const made = await created({ name: `bad ${Date.now()}`, scopes: ['ingest'] });
    const before = await db().apiToken.findUniqueOrThrow({ where: { id: made.id } });
    const response = await callRoute(token.PATCH, { method: 'PATCH', params: { token: made.id }, body });
    expect(response.status).toBe(status);
    expect((await response.json()) as { error: { fields: Record<string, string> } }).toMatchObject({ error: { code: 'invalid_input', fields } });
    expect(await db().apiToken.findUniqueOrThrow({ where: { id: made.id } })).toEqual(before);
  });

  test('pins need the ingest scope, teams a service token; a revoked token is not changed; an unknown one is 404', async () => {
    const gate = await created({ name: `gate ${Date.now()}`, scopes: ['gate'] });
    const pins = await callRoute(token.PATCH, { method: 'PATCH', params: { token: gate.id }, body: { serviceNames: ['checkout-api'] } });
    expect(pins.status).toBe(422);
    expect(await pins.json()).toMatchObject({
      error: { code: 'unprocessable', fields: { serviceNames: 'apply to tokens with the ingest scope only (they pin the service.name its points may carry)' } },
    });
    const refused = await callRoute(tokens.POST, { method: 'POST', body: { name: 'gate pinned', scopes: ['gate'], serviceNames: ['checkout-api'] } });
    expect(refused.status).toBe(400);
    const revoked = await created({ name: `old ${Date.now()}`, scopes: ['ingest'] });
    await callRoute(token.DELETE, { method: 'DELETE', params: { token: revoked.id } });
    expect((await callRoute(token.PATCH, { method: 'PATCH', params: { token: revoked.id }, body: { teams: [] } })).status).toBe(422);
    expect((await callRoute(token.PATCH, { method: 'PATCH', params: { token: '00000000-0000-0000-0000-000000000000' }, body: { teams: [] } })).status).toBe(
      404,
    );
  });
});

describe('a team-limited admin token and other tokens', () => {
  test('it cannot free a token of its teams, move it to another team, or revoke another team’s token; nothing changes', async () => {
    const shopAdmin = await makeToken({ scopes: ['admin', 'ingest'], teams: ['shop'] });
    const shopCi = await makeToken({ scopes: ['ingest'], teams: ['shop'] });
    const moneyCi = await makeToken({ scopes: ['ingest'], teams: ['money'] });
    const before = await db().apiToken.findMany({ where: { id: { in: [shopCi.id, moneyCi.id] } }, orderBy: { id: 'asc' } });
    for (const [id, body] of [
      [shopCi.id, { teams: [] }],
      [shopCi.id, { teams: ['shop', 'money'] }],
      [moneyCi.id, { teams: ['shop'] }],
    ] as const) {
      const response = await callRoute(token.PATCH, { method: 'PATCH', params: { token: id }, headers: shopAdmin.headers, body });
      expect(response.status, JSON.stringify(body)).toBe(403);
    }
    expect((await callRoute(token.DELETE, { method: 'DELETE', params: { token: moneyCi.id }, headers: shopAdmin.headers })).status).toBe(403);
    expect(await db().apiToken.findMany({ where: { id: { in: [shopCi.id, moneyCi.id] } }, orderBy: { id: 'asc' } })).toEqual(before);
    // Its own team's token it may rebind within the team.
    expect(
      (await callRoute(token.PATCH, { method: 'PATCH', params: { token: shopCi.id }, headers: shopAdmin.headers, body: { serviceNames: ['checkout-api'] } }))
        .status,
    ).toBe(200);
  });
});

describe('rate limits on token use', () => {
  beforeAll(() => {
    process.env.UMPIRE_TOKEN_RATE_LIMIT = String(LIMIT);
    reloadEnv();
  });
  afterAll(() => {
    if (savedLimit === undefined) delete process.env.UMPIRE_TOKEN_RATE_LIMIT;
    else process.env.UMPIRE_TOKEN_RATE_LIMIT = savedLimit;
    reloadEnv();
  });

  test(`one token gets ${LIMIT} requests a minute (as configured), then 429 with Retry-After; other tokens are unaffected`, async () => {
    const busy = await makeToken({ scopes: ['read'] });
    for (let i = 0; i < LIMIT; i++) expect((await callRoute(services.GET, { headers: busy.headers })).status).toBe(200);
    const refused = await callRoute(services.GET, { headers: busy.headers });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await errorOf(refused)).toEqual({ code: 'rate_limited', message: `This token made more than ${LIMIT} requests in a minute; slow down` });
    const other = await makeToken({ scopes: ['read'] });
    expect((await callRoute(services.GET, { headers: other.headers })).status).toBe(200);
  });

  test('an address presenting invalid tokens gets 429 for them after 30; a valid token from it still works', async () => {
    const guesser = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 30; i++) {
      const response = await callRoute(services.GET, { headers: { ...guesser, authorization: `Bearer umpire_guess${i}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    }
    const blocked = await callRoute(services.GET, { headers: { ...guesser, authorization: 'Bearer umpire_guess-more' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await errorOf(blocked)).code).toBe('rate_limited');
    // Valid credentials always pass: behind a proxy, the guesser's address is every CI job's address too.
    const valid = await makeToken({ scopes: ['read', 'gate'] });
    expect((await callRoute(services.GET, { headers: { ...guesser, ...valid.headers } })).status).toBe(200);
    // Its invalid tokens stay refused until the minute ends; other addresses are not affected.
    expect((await callRoute(services.GET, { headers: { ...guesser, authorization: 'Bearer umpire_guess-again' } })).status).toBe(429);
    expect((await callRoute(services.GET, { headers: { ...guesser, ...valid.headers } })).status).toBe(200);
    expect((await callRoute(services.GET, { headers: { 'x-forwarded-for': '198.51.100.8', authorization: 'Bearer umpire_guess-elsewhere' } })).status).toBe(
      401,
    );
  });

  test('a flood of invalid tokens while valid ones are used: every valid request passes, and no invalid one does', async () => {
    const proxy = { 'x-forwarded-for': '198.51.100.9' };
    const ci = await makeToken({ scopes: ['read'] });
    const statuses = { valid: new Set<number>(), invalid: new Set<number>() };
    for (let i = 0; i < 40; i++) {
      statuses.invalid.add((await callRoute(services.GET, { headers: { ...proxy, authorization: `Bearer umpire_flood${i}` } })).status);
      // Within the token’s own limit (LIMIT a minute): one round in ten.
      if (i % 10 === 0) statuses.valid.add((await callRoute(services.GET, { headers: { ...proxy, ...ci.headers } })).status);
    }
    expect([...statuses.valid]).toEqual([200]);
    expect([...statuses.invalid].sort()).toEqual([401, 429]);
  });
});

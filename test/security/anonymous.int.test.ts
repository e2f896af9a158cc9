// Anonymous read-only mode (UMPIRE_ANONYMOUS_READ=on): dashboards and the API's reads open to anyone who
// reaches Umpire; every change still needs a signed-in user or a token, and admin-only reads stay closed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as me from '../../app/api/v1/me/route';
import * as metrics from '../../app/metrics/route';
import * as services from '../../app/api/v1/services/route';
import * as service from '../../app/api/v1/services/[service]/route';
import * as audit from '../../app/api/v1/audit/route';
import * as users from '../../app/api/v1/users/route';
import * as tokens from '../../app/api/v1/tokens/route';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { callRoute, makeService } from '../factories';

const saved = process.env.UMPIRE_ANONYMOUS_READ;

function mode(value: 'on' | 'off'): void {
  process.env.UMPIRE_ANONYMOUS_READ = value;
  reloadEnv();
}

beforeAll(() => mode('on'));
afterAll(() => {
  if (saved === undefined) delete process.env.UMPIRE_ANONYMOUS_READ;
  else process.env.UMPIRE_ANONYMOUS_READ = saved;
  reloadEnv();
});

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('anonymous read-only mode', () => {
  test('anyone reads services and a service’s history without credentials', async () => {
    const svc = await makeService();
    const list = await callRoute(services.GET, { as: 'nobody', path: `/api/v1/services?team=${svc.ownerTeam}` });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { services: Array<{ slug: string }> }).services.map((s) => s.slug)).toContain(svc.slug);
    expect((await callRoute(service.GET, { as: 'nobody', params: { service: svc.slug } })).status).toBe(200);
    expect((await callRoute(audit.GET, { as: 'nobody', path: `/api/v1/audit?service=${svc.slug}` })).status).toBe(200);
    expect(await (await callRoute(me.GET, { as: 'nobody' })).json()).toMatchObject({ kind: 'anonymous', scopes: ['read'] });
  });

  test('never a change: 401 asking to sign in, and nothing written', async () => {
    const svc = await makeService({ name: 'Untouched' });
    const before = await db().auditEvent.count();
    const create = await callRoute(services.POST, { as: 'nobody', method: 'POST', body: { slug: `anon-${Date.now()}`, name: 'x', ownerTeam: 'x', tier: 1 } });
    expect(create.status).toBe(401);
    expect(await errorOf(create)).toEqual({ code: 'unauthenticated', message: 'Sign in to make changes, or send an API token (Authorization: Bearer …)' });
    expect((await callRoute(service.PATCH, { as: 'nobody', method: 'PATCH', params: { service: svc.slug }, body: { name: 'Changed' } })).status).toBe(401);
    expect((await callRoute(service.DELETE, { as: 'nobody', method: 'DELETE', params: { service: svc.slug } })).status).toBe(401);
    expect((await db().service.findUnique({ where: { slug: svc.slug } }))?.name).toBe('Untouched');
    expect(await db().auditEvent.count()).toBe(before);
  });

  test('what only admins read stays closed (401: sign in), and tokens list nothing', async () => {
    expect((await callRoute(users.GET, { as: 'nobody' })).status).toBe(401);
    expect((await callRoute(audit.GET, { as: 'nobody', path: '/api/v1/audit' })).status).toBe(401);
    const list = await callRoute(tokens.GET, { as: 'nobody' });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ tokens: [] });
  });

  test('/metrics is readable too; off again, everything asks for credentials', async () => {
    const scrape = await metrics.GET(new Request('http://umpire.test/metrics'));
    // 503 when telemetry is not running in this process: what matters is that it is not refused.
    expect([200, 503]).toContain(scrape.status);
    mode('off');
    try {
      expect((await callRoute(services.GET, { as: 'nobody' })).status).toBe(401);
      expect((await metrics.GET(new Request('http://umpire.test/metrics'))).status).toBe(401);
      expect(await (await callRoute(me.GET, { as: 'nobody' })).json()).toMatchObject({ kind: 'anonymous', scopes: [] });
    } finally {
      mode('on');
    }
  });
});

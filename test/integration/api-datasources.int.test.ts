import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as collection from '../../app/api/v1/datasources/route';
import * as item from '../../app/api/v1/datasources/[datasource]/route';
import * as testRoute from '../../app/api/v1/datasources/[datasource]/test/route';
import { db } from '../../lib/db/client';
import { ConnectionTest, DataSource } from '../../lib/schemas';
import { freePort, startPrometheus, type RunningPrometheus } from '../prometheus/harness';
import { callRoute, uniqueSlug } from '../factories';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

let prometheus: RunningPrometheus;
let echo: http.Server;
let echoUrl = '';
const seenAuth: Array<string | undefined> = [];
/** Another host: records what it is sent, to prove stored credentials never reach it. */
let elsewhere: http.Server;
let elsewhereUrl = '';
const seenElsewhere: Array<string | undefined> = [];

beforeAll(async () => {
  const t = Math.floor(Date.now() / 1000) - 3600;
  prometheus = await startPrometheus({ openMetrics: `# TYPE up gauge\nup{job="x"} 1 ${t}\n# EOF\n` });
  // Records the Authorization header it is sent, and answers like Prometheus.
  echo = http.createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  elsewhere = http.createServer((req, res) => {
    seenElsewhere.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await prometheus?.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
});

async function create(body: Record<string, unknown>): Promise<Response> {
  return callRoute(collection.POST, { method: 'POST', body });
}

describe('/api/v1/datasources', () => {
  test('creates a data source; the token is stored encrypted and never returned or logged', async () => {
    const slug = uniqueSlug('prom');
    const token = `tok-${uniqueSlug()}`;
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    const response = await create({ slug, name: 'Main Prometheus', url: echoUrl, auth: { kind: 'bearer', token } });
    const tested = await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    const logged = [...stdout.mock.calls, ...stderr.mock.calls].map(([line]) => String(line)).join('');
    stdout.mockRestore();
    stderr.mockRestore();

    expect(response.status).toBe(201);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain(token);
    expect(DataSource.parse(body)).toMatchObject({ slug, kind: 'prometheus', url: echoUrl, timeoutSeconds: 30, auth: { kind: 'bearer', hasSecret: true } });
    const row = await db().dataSource.findUnique({ where: { slug } });
    expect(row?.secret).toBeTruthy();
    expect(row?.secret).not.toContain(token);

    expect(ConnectionTest.parse(await tested.json()).ok).toBe(true);
    expect(seenAuth.at(-1)).toBe(`Bearer ${token}`);
    expect(logged).not.toContain(token);

    const fetched = await callRoute(item.GET, { params: { datasource: slug } });
    expect(JSON.stringify(await fetched.json())).not.toContain(token);
    const listed = await callRoute(collection.GET, {});
    expect(JSON.stringify(await listed.json())).not.toContain(token);
  });

  test('basic auth and extra headers are sent; a PATCH without auth keeps the stored credentials', async () => {
    const slug = uniqueSlug('prom');
    await create({ slug, name: 'Mimir', url: echoUrl, auth: { kind: 'basic', username: 'umpire', password: 'pw-123' } });
    await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    expect(seenAuth.at(-1)).toBe(`Basic ${Buffer.from('umpire:pw-123').toString('base64')}`);

    const renamed = await callRoute(item.PATCH, { method: 'PATCH', params: { datasource: slug }, body: { name: 'Mimir (prod)' } });
    expect(renamed.status).toBe(200);
    expect(DataSource.parse(await renamed.json()).auth).toEqual({ kind: 'basic', username: 'umpire', hasSecret: true });
    await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    expect(seenAuth.at(-1)).toBe(`Basic ${Buffer.from('umpire:pw-123').toString('base64')}`);

    const headers = await callRoute(item.PATCH, {
      method: 'PATCH',
      params: { datasource: slug },
      body: { auth: { kind: 'headers', headers: { 'X-Scope-OrgID': 'tenant-1', Authorization: 'Token abc' } } },
    });
    expect(DataSource.parse(await headers.json()).auth).toEqual({ kind: 'headers', headerNames: ['X-Scope-OrgID', 'Authorization'], hasSecret: true });
    await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    expect(seenAuth.at(-1)).toBe('Token abc');
  });

  test('a new host needs the credentials again: a PATCH of the URL alone is refused with 422 on auth, and nothing changes', async () => {
    const slug = uniqueSlug('prom');
    const token = `tok-${uniqueSlug()}`;
    expect((await create({ slug, name: 'Moving', url: echoUrl, auth: { kind: 'bearer', token } })).status).toBe(201);
    const patch = (body: Record<string, unknown>) => callRoute(item.PATCH, { method: 'PATCH', params: { datasource: slug }, body });
    const before = await db().dataSource.findUniqueOrThrow({ where: { slug } });
    const audits = () => db().auditEvent.count({ where: { targetType: 'datasource', targetId: before.id } });
    const auditsBefore = await audits();

    // Another port, another name for the same machine, another scheme: each is another server as far as credentials go.
    const port = new URL(echoUrl).port;
    for (const url of [elsewhereUrl, `http://localhost:${port}`, `https://127.0.0.1:${port}`]) {
      const refused = await patch({ url, name: 'Moved' });
      expect(refused.status, url).toBe(422);
      const body = (await refused.json()) as ErrorBody;
      expect(body.error.code).toBe('unprocessable');
      expect(body.error.fields?.auth).toBe('must be sent again: the new host needs the credentials again');
      expect(body.error.message).toContain('send its credentials again');
      expect(JSON.stringify(body)).not.toContain(token);
    }
    expect(await db().dataSource.findUniqueOrThrow({ where: { slug } })).toEqual(before);
    expect(await audits()).toBe(auditsBefore);
    await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    expect(seenAuth.at(-1)).toBe(`Bearer ${token}`);
    expect(seenElsewhere).toEqual([]);

    // The same host, however spelled, with another path: the credentials stay.
    const samePlace = await patch({ url: `${echoUrl.replace('http://', 'HTTP://')}/prometheus` });
    expect(samePlace.status).toBe(200);
    expect(DataSource.parse(await samePlace.json()).auth).toEqual({ kind: 'bearer', hasSecret: true });
    expect((await db().dataSource.findUniqueOrThrow({ where: { slug } })).secret).toBe(before.secret);

    // With credentials for the new host (or none), the move is made and only they go there.
    const moved = await patch({ url: elsewhereUrl, auth: { kind: 'bearer', token: 'for-the-new-host' } });
    expect(moved.status).toBe(200);
    await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } });
    expect(new Set(seenElsewhere)).toEqual(new Set(['Bearer for-the-new-host']));
    const open = await patch({ url: echoUrl, auth: { kind: 'none' } });
    expect(open.status).toBe(200);
    expect(DataSource.parse(await open.json()).auth).toEqual({ kind: 'none', hasSecret: false });
  });

  test('a data source without credentials may move to another host', async () => {
    const slug = uniqueSlug('prom');
    await create({ slug, name: 'Open', url: echoUrl });
    const moved = await callRoute(item.PATCH, { method: 'PATCH', params: { datasource: slug }, body: { url: elsewhereUrl } });
    expect(moved.status).toBe(200);
    expect(DataSource.parse(await moved.json()).url).toBe(elsewhereUrl);
  });

  test('test connection reports the real Prometheus version, and an unreachable one verbatim', async () => {
    const slug = uniqueSlug('prom');
    await create({ slug, name: 'Real', url: prometheus.url });
    const ok = ConnectionTest.parse(await (await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } })).json());
    expect(ok).toMatchObject({ ok: true, error: null });
    expect(ok.version).toMatch(/^2\.\d+\.\d+/);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);

    const closed = uniqueSlug('prom');
    await create({ slug: closed, name: 'Nowhere', url: `http://127.0.0.1:${await freePort()}` });
    const failed = ConnectionTest.parse(await (await callRoute(testRoute.POST, { method: 'POST', params: { datasource: closed } })).json());
    expect(failed.ok).toBe(false);
    expect(failed.error?.kind).toBe('unreachable');
    expect(failed.error?.message).toMatch(/ECONNREFUSED|refused/i);
  });

  test.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['the metadata name with a trailing dot', 'http://metadata.google.internal./computeMetadata/v1/', 'metadata'],
    ['the metadata address mapped into IPv6', 'http://[::ffff:169.254.169.254]/latest/meta-data/', 'link-local'],
    ['a link-local IPv6 address', 'http://[fe80::1]:9090', 'link-local'],
    ['credentials in the URL', 'http://user:pw@prometheus:9090', 'credentials'],
  ])('refuses %s with 422 on the url field', async (_label, url, message) => {
    const slug = uniqueSlug('prom');
    const response = await create({ slug, name: 'x', url });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ErrorBody).error.fields?.url).toContain(message);
    expect(await db().dataSource.count({ where: { slug } })).toBe(0);
  });

  test('validates fields with 400 and refuses duplicates with 409', async () => {
    const bad = await create({ slug: 'Bad Slug', name: '', url: 'ftp://x', timeoutSeconds: 0, auth: { kind: 'bearer', token: '' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as ErrorBody).error.fields ?? {}).sort()).toEqual(['auth.token', 'name', 'slug', 'timeoutSeconds', 'url']);

    const slug = uniqueSlug('prom');
    expect((await create({ slug, name: 'a', url: echoUrl })).status).toBe(201);
    expect((await create({ slug, name: 'b', url: echoUrl })).status).toBe(409);
  });

  test('deletes a data source; unknown ones are 404', async () => {
    const slug = uniqueSlug('prom');
    await create({ slug, name: 'Temp', url: echoUrl });
    expect((await callRoute(item.DELETE, { method: 'DELETE', params: { datasource: slug } })).status).toBe(204);
    expect((await callRoute(item.GET, { params: { datasource: slug } })).status).toBe(404);
    expect((await callRoute(testRoute.POST, { method: 'POST', params: { datasource: slug } })).status).toBe(404);
  });
});

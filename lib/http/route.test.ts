import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { reloadEnv } from '../env';
import { NotFoundError } from '../errors';
import { route } from './route';

// No database here: these requests carry no session or token, so nothing is looked up.
const saved = { ...process.env };
beforeEach(() => {
  process.env.DATABASE_URL = 'postgresql://nobody@127.0.0.1:1/none';
  process.env.UMPIRE_ANONYMOUS_READ = 'on';
  reloadEnv();
});
afterEach(() => {
  process.env = { ...saved };
  reloadEnv();
});

const call = (handler: ReturnType<typeof route>, init?: RequestInit, url = 'http://t/x') => handler(new Request(url, init), { params: Promise.resolve({}) });

describe('route()', () => {
  test('maps a use-case NotFoundError to 404 in the error shape', async () => {
    const handler = route({}, async () => {
      throw new NotFoundError('Service "x" does not exist');
    });
    const response = await call(handler);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Service "x" does not exist' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unreachable database is a 503 with Retry-After, not a 500', async () => {
    const handler = route({}, async () => {
      throw Object.assign(new Error("Can't reach database server"), {
        code: 'P2010',
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } } },
      });
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const response = await call(handler);
    stderr.mockRestore();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
  });

  test('a client that hangs up mid-body is request.aborted at info and a 400, never a 503 database_unavailable', async () => {
    let called = false;
    const handler = route({ body: z.object({ a: z.string() }), access: 'public' }, async () => {
      called = true;
      return new Response(null, { status: 204 });
    });
    // Node's IncomingMessage errors a hung-up body with "aborted" and code ECONNRESET, as a dropped database connection.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":"half a bo'));
        setTimeout(() => controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 5);
      },
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const response = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    const out = stdout.mock.calls.map(([line]) => String(line)).join('');
    const err = stderr.mock.calls.map(([line]) => String(line)).join('');
    stdout.mockRestore();
    stderr.mockRestore();
    expect(called).toBe(false);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_aborted');
    const aborted = out
      .split('\n')
      .filter((l) => l.includes('"event":"request.aborted"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(aborted).toEqual([expect.objectContaining({ level: 'info', method: 'POST', path: '/x', requestId: response.headers.get('x-request-id') })]);
    expect(err).toBe('');
    expect(out).not.toContain('database_unavailable');
  });

  test('an unexpected error is a 500 that carries the request id and no stack or message', async () => {
    const handler = route({}, async () => {
      throw new TypeError('secret internals at /app/lib/x.ts:12');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const response = await call(handler);
    const logged = stderr.mock.calls.map(([line]) => String(line)).join('');
    stderr.mockRestore();
    expect(response.status).toBe(500);
    // The operator's log has the detail and the request id; the client gets only the id.
    expect(logged).toContain('"event":"http.unhandled_error"');
    expect(logged).toContain(response.headers.get('x-request-id')!);
    expect(logged).toContain('secret internals');
    const text = await response.text();
    expect(text).toContain(response.headers.get('x-request-id')!);
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('.ts:');
  });

  test('validates the query with the given schema', async () => {
    const handler = route({ query: z.object({ n: z.coerce.number().int() }) }, async ({ query }) => Response.json(query));
    expect(await (await call(handler, undefined, 'http://t/x?n=4')).json()).toEqual({ n: 4 });
    const bad = await call(handler, undefined, 'http://t/x?n=four');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('n');
  });

  test('accepts application/json with a charset, and refuses a declared length over the limit before reading', async () => {
    const handler = route({ body: z.object({ a: z.number() }), access: 'public' }, async ({ body }) => Response.json(body));
    const ok = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' });
    expect(await ok.json()).toEqual({ a: 1 });
    const big = await call(handler, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) },
      body: '{"a":1}',
    });
    expect(big.status).toBe(413);
  });

  // PostgreSQL refuses text holding NUL (SQLSTATE 22021): left to the database, such input was a 500.
  test('refuses NUL characters in path parameters (404), the query and the body (400), before the handler runs', async () => {
    const handler = vi.fn(async () => new Response(null, { status: 204 }));
    const withParams = route({ query: z.object({ q: z.string().optional() }) }, handler);
    const param = await withParams(new Request('http://t/x'), { params: Promise.resolve({ service: 'svc\u0000admin' }) });
    expect(param.status).toBe(404);
    const query = await call(withParams, undefined, 'http://t/x?q=a%00b');
    expect(query.status).toBe(400);
    expect(((await query.json()) as { error: { code: string } }).error.code).toBe('invalid_input');

    const withBody = route({ body: z.object({ name: z.string() }), access: 'public' }, handler);
    const post = (body: string) => call(withBody, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const body of ['{"name":"a\\u0000"}', '{"name":"\\\\\\u0000"}']) expect((await post(body)).status, body).toBe(400);
    expect(handler).not.toHaveBeenCalled();
    // An escaped backslash before "u0000" is six plain characters, not a NUL.
    expect((await post('{"name":"\\\\u0000"}')).status).toBe(204);
  });
});

describe('route(): who may call', () => {
  test('nobody signed in and no anonymous reading: 401 with WWW-Authenticate, before the handler runs', async () => {
    process.env.UMPIRE_ANONYMOUS_READ = 'off';
    reloadEnv();
    const handler = vi.fn(async () => Response.json({ secret: true }));
    const response = await call(route({}, handler));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="umpire"');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect(handler).not.toHaveBeenCalled();
  });

  test('anonymous reading lets GETs through, never a change: 401 before the body is even read', async () => {
    const handler = vi.fn(async () => new Response(null, { status: 204 }));
    const read = route({}, handler);
    expect((await call(read)).status).toBe(204);
    const write = route({ body: z.object({ a: z.number() }) }, handler);
    const response = await call(write, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^Sign in to make changes/);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('an Authorization header that is not a bearer token is 401, not a fall-back to anonymous', async () => {
    const response = await call(
      route({}, async () => new Response('read')),
      { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Send the token as Authorization: Bearer <token>');
  });

  test('a change asked from another site is refused (403 csrf_failed), even where no sign-in is needed', async () => {
    const handler = vi.fn(async () => Response.json({ ok: true }));
    const publicChange = route({ access: 'public' }, handler);
    const crossSite = await call(publicChange, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'csrf_failed',
      message: expect.stringContaining('another site (https://evil.example)'),
    });
    const fetchMetadata = await call(publicChange, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMetadata.status).toBe(403);
    expect((await call(publicChange, { method: 'POST', headers: { origin: 'http://t' } })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

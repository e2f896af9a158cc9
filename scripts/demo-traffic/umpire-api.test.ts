import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { OtelSli, SloInput } from '../../lib/schemas';
import { otelTemplate } from '../../lib/schemas/otel';
import { HTTP_DURATION_BUCKETS as UMPIRE_BUCKETS } from '../../lib/telemetry/metrics';
import {
  checkIngestToken,
  demoSlos,
  HTTP_DURATION_BUCKETS,
  retryWhileUnreachable,
  setUpUmpire,
  UmpireApiError,
  UmpireAuthError,
  UmpireUnreachableError,
  type Fetch,
} from './umpire-api';

type Handler = (method: string, path: string, body: unknown, headers: Headers) => { status: number; body?: unknown };

/** A fake Umpire: answers by method and path, and records the calls. */
function fakeUmpire(handler: Handler) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    const body = typeof init?.body === 'string' && init.body !== '' ? (JSON.parse(init.body) as unknown) : undefined;
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, body });
    const answer = handler(method, url.pathname, body, new Headers(init?.headers));
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { client: { baseUrl: 'http://umpire.test', fetch, apiToken: 'umpire_api' }, calls };
}

/** An API token with write, ingest and admin scopes (it creates an ingest-only token); the OTLP receiver takes only umpire_new. */
const healthy: Handler = (method, path, _body, headers) => {
  if (path === '/api/health') return { status: 200, body: { status: 'ok' } };
  if (path.startsWith('/api/v1/') && headers.get('authorization') !== 'Bearer umpire_api')
    return { status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in' } } };
  if (path === '/api/v1/me') return { status: 200, body: { kind: 'token', scopes: ['read', 'write', 'ingest', 'admin'] } };
  if (path === '/api/v1/tokens') return { status: 201, body: { token: 'umpire_new' } };
  if (path === '/v1/metrics')
    return headers.get('authorization') === 'Bearer umpire_new'
      ? { status: 200, body: {} }
      : { status: 401, body: { code: 16, message: 'the token is not valid (unknown or revoked)' } };
  return { status: 201, body: {} };
};

describe('setUpUmpire', () => {
  test('creates a token, checks the receiver takes it, then the service and its two SLOs', async () => {
    const { client, calls } = fakeUmpire(healthy);
    const lines: string[] = [];
    const result = await setUpUmpire(client, { service: 'demo-shop' }, (line) => lines.push(line));
    expect(result).toMatchObject({ token: 'umpire_new', tokenCreated: true, pageUrl: 'http://umpire.test/services/demo-shop' });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/health',
      'GET /api/v1/me',
      'POST /api/v1/tokens',
      'POST /v1/metrics',
      'POST /api/v1/services',
      'POST /api/v1/services/demo-shop/slos',
      'POST /api/v1/services/demo-shop/slos',
    ]);
    expect(calls[2]!.body).toMatchObject({ scopes: ['ingest'] });
    expect(lines.join('\n')).toContain('UMPIRE_TOKEN=umpire_new');
    expect(result.steps).toEqual(['service demo-shop: created', 'SLO demo-shop/availability: created', 'SLO demo-shop/latency: created']);
  });

  test('an API token with the ingest scope pushes too: no ingest token is created', async () => {
    const { client, calls } = fakeUmpire((method, path, body, headers) => {
      if (path === '/api/v1/me') return { status: 200, body: { kind: 'token', scopes: ['write', 'ingest'] } };
      if (path === '/v1/metrics') return headers.get('authorization') === 'Bearer umpire_api' ? { status: 200, body: {} } : { status: 401, body: {} };
      return healthy(method, path, body, headers);
    });
    const result = await setUpUmpire(client, { service: 'demo-shop' });
    expect(result).toMatchObject({ token: 'umpire_api', tokenCreated: false });
    expect(calls.some((c) => c.path === '/api/v1/tokens')).toBe(false);
  });

  test('an API token without the ingest scope: says it needs it, and mints nothing (a token mints only within its scopes)', async () => {
    const { client, calls } = fakeUmpire((method, path, body, headers) =>
      path === '/api/v1/me' ? { status: 200, body: { kind: 'token', scopes: ['read', 'write', 'admin'] } } : healthy(method, path, body, headers),
    );
    const error = await setUpUmpire(client, { service: 'demo-shop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UmpireAuthError);
    expect((error as Error).message).toMatch(/lacks the ingest scope \(it has read, write, admin\)/);
    expect(calls.map((c) => c.path)).toEqual(['/api/health', '/api/v1/me']);
  });

  test('without an API token: says how to get one, and asks nothing but the health', async () => {
    const { client, calls } = fakeUmpire(healthy);
    const error = await setUpUmpire({ ...client, apiToken: undefined }, { service: 'demo-shop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UmpireAuthError);
    expect((error as Error).message).toMatch(/UMPIRE_API_TOKEN.*\.umpire\/demo-token/s);
    expect(calls.map((c) => c.path)).toEqual(['/api/health']);
  });

  test('is idempotent: 409 means it is already there, and a given token is not replaced', async () => {
    const { client, calls } = fakeUmpire((method, path, body, headers) =>
      path.startsWith('/api/v1/services') ? { status: 409, body: { error: { code: 'conflict', message: 'exists' } } } : healthy(method, path, body, headers),
    );
    const result = await setUpUmpire(client, { service: 'demo-shop', token: 'umpire_new' });
    expect(result.tokenCreated).toBe(false);
    expect(calls.some((c) => c.path === '/api/v1/tokens')).toBe(false);
    expect(result.steps).toEqual(['service demo-shop: already there', 'SLO demo-shop/availability: already there', 'SLO demo-shop/latency: already there']);
  });

  test('a wrong token: says the token is wrong (401 from the OTLP receiver)', async () => {
    const { client } = fakeUmpire(healthy);
    await expect(setUpUmpire(client, { service: 'demo-shop', token: 'umpire_wrong' })).rejects.toThrow(UmpireAuthError);
    await expect(checkIngestToken(client, 'umpire_wrong')).rejects.toThrow(/token is wrong.*UMPIRE_TOKEN/s);
  });

  test("another refusal carries Umpire's message and fields", async () => {
    const { client } = fakeUmpire((method, path, body, headers) =>
      path.endsWith('/slos')
        ? {
            status: 422,
            body: {
              error: { code: 'unprocessable', message: '0.5 is not a bucket boundary', fields: { 'sli.good.0.threshold': 'must be a bucket boundary' } },
            },
          }
        : healthy(method, path, body, headers),
    );
    const error = await setUpUmpire(client, { service: 'demo-shop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UmpireApiError);
    expect((error as UmpireApiError).status).toBe(422);
    expect((error as Error).message).toContain('0.5 is not a bucket boundary (sli.good.0.threshold must be a bucket boundary)');
  });

  test('Umpire not listening: a clear "not reachable" error naming the URL', async () => {
    // A port that was free a moment ago: connection refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = { baseUrl: `http://127.0.0.1:${port}`, fetch: (input: string, init?: RequestInit) => fetch(input, init) };
    const error = await setUpUmpire(client, { service: 'demo-shop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UmpireUnreachableError);
    expect((error as Error).message).toBe(`Umpire is not reachable at http://127.0.0.1:${port} (ECONNREFUSED). Is it running? \`npm start\` starts it.`);
  });

  test('Umpire up with its database down (503 health) is retried like unreachable', async () => {
    const { client } = fakeUmpire(() => ({ status: 503, body: { status: 'degraded' } }));
    await expect(setUpUmpire(client, { service: 'demo-shop' })).rejects.toThrow(UmpireUnreachableError);
  });
});

describe('retryWhileUnreachable', () => {
  test('retries while unreachable, then returns', async () => {
    let tries = 0;
    const retries: number[] = [];
    const result = await retryWhileUnreachable(
      async () => {
        if (++tries < 3) throw new UmpireUnreachableError('down');
        return 'up';
      },
      { delayMs: 1, onRetry: (_e, n) => retries.push(n) },
    );
    expect(result).toBe('up');
    expect(retries).toEqual([1, 2]);
  });

  test('does not retry other errors', async () => {
    let tries = 0;
    const attempt = async () => {
      tries++;
      throw new UmpireAuthError('wrong token');
    };
    await expect(retryWhileUnreachable(attempt, { delayMs: 1, onRetry: () => undefined })).rejects.toThrow('wrong token');
    expect(tries).toBe(1);
  });

  test('stops when aborted', async () => {
    const abort = new AbortController();
    const attempt = async () => {
      throw new UmpireUnreachableError('down');
    };
    const running = retryWhileUnreachable(attempt, { delayMs: 60_000, signal: abort.signal, onRetry: () => abort.abort() });
    await expect(running).rejects.toThrow('down');
  });
});

describe('the SLOs the demo creates', () => {
  test("are what Umpire's SLO form makes from its HTTP templates, for this service's resource", () => {
    const [availability, latency] = demoSlos('demo-shop').map((slo) => SloInput.parse(slo));
    const filters = [{ kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: ['demo-shop'] }];
    expect(availability!.sli).toEqual(OtelSli.parse({ source: 'otel', ...otelTemplate('http_availability'), filters }));
    expect(latency!.sli).toEqual(OtelSli.parse({ source: 'otel', ...otelTemplate('http_latency', 0.5), filters }));
    expect([availability!.objective, latency!.objective]).toEqual([0.99, 0.99]);
  });

  test("the shop records with the same boundaries as Umpire's own telemetry, which include the threshold", () => {
    expect(HTTP_DURATION_BUCKETS).toEqual(UMPIRE_BUCKETS);
    expect(HTTP_DURATION_BUCKETS).toContain(0.5);
  });
});

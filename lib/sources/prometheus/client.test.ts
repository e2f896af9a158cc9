import { describe, expect, test } from 'vitest';
import { PrometheusClient, PrometheusError } from './client';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: URLSearchParams | null;
}

/** A fetch that answers from a function and records what it was asked; no network. */
function stubFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body ? new URLSearchParams(String(init.body)) : null,
    };
    calls.push(call);
    init?.signal?.throwIfAborted();
    return answer(call);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const SECRET = 'Bearer s3cr3t-token';
const client = (answer: (call: Call) => Response | Promise<Response>, baseUrl = 'http://prom.example:9090/') => {
  const stub = stubFetch(answer);
  return { ...stub, client: new PrometheusClient({ baseUrl, headers: { Authorization: SECRET }, timeoutMs: 5000, fetchImpl: stub.fetchImpl }) };
};
const T = new Date('2026-11-26T12:00:00Z');

async function caught(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PrometheusError) {
      expect(error.message).not.toContain('s3cr3t');
      return error;
    }
    throw error;
  }
  throw new Error('expected a PrometheusError');
}

describe('PrometheusClient requests', () => {
  test('instant query: form POST with query, time in seconds and a server-side timeout, plus the configured headers', async () => {
    const { client: c, calls } = client(() => json({ status: 'success', data: { resultType: 'vector', result: [] } }));
    await c.query('sum(up)', T);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe('http://prom.example:9090/api/v1/query');
    expect(call.method).toBe('POST');
    expect(call.headers).toMatchObject({ Authorization: SECRET, 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(call.body!)).toEqual({ query: 'sum(up)', time: '1795694400', timeout: '5s' });
  });

  test('range query: start, end, step; refuses more than 11,000 points before asking', async () => {
    const { client: c, calls } = client(() => json({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    await c.queryRange('x', T, new Date(T.getTime() + 3_600_000), 60);
    expect(Object.fromEntries(calls[0]!.body!)).toMatchObject({ query: 'x', start: '1795694400', end: '1795698000', step: '60' });
    await expect(c.queryRange('x', T, new Date(T.getTime() + 11_000 * 60_000), 60)).rejects.toThrow(/11000/);
  });
});

describe('PrometheusClient parses answers', () => {
  test('sample values are strings; NaN, +Inf and -Inf are values', async () => {
    const { client: c } = client(() =>
      json({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { k: 'a' }, value: [1795694400, '1.5'] },
            { metric: { k: 'b' }, value: [1795694400, 'NaN'] },
            { metric: { k: 'c' }, value: [1795694400, '+Inf'] },
            { metric: { k: 'd' }, value: [1795694400, '-Inf'] },
            { metric: { k: 'e' }, value: [1795694400.5, '1e+06'] },
          ],
        },
      }),
    );
    const data = await c.query('x', T);
    expect(data.resultType).toBe('vector');
    if (data.resultType !== 'vector') return;
    expect(data.result.map((s) => s.value)).toEqual([
      [1795694400, 1.5],
      [1795694400, NaN],
      [1795694400, Infinity],
      [1795694400, -Infinity],
      [1795694400.5, 1e6],
    ]);
  });

  test('matrix and scalar', async () => {
    const { client: c } = client((call) =>
      call.url.endsWith('query_range')
        ? json({
            status: 'success',
            data: {
              resultType: 'matrix',
              result: [
                {
                  metric: {},
                  values: [
                    [1, '2'],
                    [61, '3'],
                  ],
                },
              ],
            },
          })
        : json({ status: 'success', data: { resultType: 'scalar', result: [1, '0'] } }),
    );
    expect(await c.queryRange('x', new Date(1000), new Date(61_000), 60)).toEqual([
      {
        metric: {},
        values: [
          [1, 2],
          [61, 3],
        ],
      },
    ]);
    expect(await c.query('vector(0)', T)).toEqual({ resultType: 'scalar', result: [1, 0] });
  });

  test.each([
    ['bad_data', 400, 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis'],
    ['execution', 422, 'vector cannot contain metrics with the same labelset'],
  ])('%s is a bad query with Prometheus own words', async (errorType, status, text) => {
    const { client: c } = client(() => json({ status: 'error', errorType, error: text }, status));
    const error = await caught(c.query('sum(', T));
    expect(error).toMatchObject({ kind: 'bad_query', status, errorType, message: text });
  });

  test('a timeout inside Prometheus is a timeout', async () => {
    const { client: c } = client(() => json({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }, 503));
    expect(await caught(c.query('x', T))).toMatchObject({ kind: 'timeout', status: 503 });
  });

  test('other API errors keep their status and text', async () => {
    const { client: c } = client(() => json({ status: 'error', errorType: 'internal', error: 'boom' }, 500));
    expect(await caught(c.query('x', T))).toMatchObject({ kind: 'http', status: 500, message: 'Prometheus answered HTTP 500 (internal): boom' });
  });

  test.each([
    ['an HTML page', () => new Response('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } }), /not JSON \(text\/html\)/],
    ['truncated JSON', () => new Response('{"status":"success","data":{"resultT', { headers: { 'content-type': 'application/json' } }), /not JSON/],
    ['JSON of another API', () => json({ hello: 'world' }), /not a Prometheus API answer/],
    [
      'a result of the wrong shape',
      () => json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1] }] } }),
      /unexpected answer/,
    ],
    [
      'a value that is not a number',
      () => json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'abc'] }] } }),
      /not a sample value/,
    ],
    [
      'a number where a string belongs',
      () => json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 2] }] } }),
      /unexpected answer/,
    ],
    ['an unknown result type', () => json({ status: 'success', data: { resultType: 'histogram', result: [] } }), /unexpected answer/],
  ])('%s is a bad response', async (_name, answer, message) => {
    const { client: c } = client(answer);
    const error = await caught(c.query('x', T));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(message);
  });

  test.each([
    [502, 'http', /HTTP 502$/],
    [401, 'http', /HTTP 401: check the data source credentials/],
    [404, 'http', /HTTP 404: check the data source URL/],
  ])('HTTP %i without an API body', async (status, kind, message) => {
    const { client: c } = client(() => new Response('<html>Bad Gateway</html>', { status, headers: { 'content-type': 'text/html' } }));
    const error = await caught(c.query('x', T));
    expect(error).toMatchObject({ kind, status });
    expect(error.message).toMatch(message);
  });
});

describe('PrometheusClient failures', () => {
  test('connection refused is unreachable; credentials in the URL are not repeated', async () => {
    const { client: c } = client(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9090'), { code: 'ECONNREFUSED' }) });
    }, 'https://user:s3cr3t-password@prom.example/prometheus?token=s3cr3t');
    const error = await caught(c.query('x', T));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe('cannot reach https://prom.example/prometheus/api/v1/query: ECONNREFUSED');
  });

  test('user:password in the URL becomes Basic auth; a query string is kept', async () => {
    const stub = stubFetch(() => json({ status: 'success', data: { resultType: 'vector', result: [] } }));
    const c = new PrometheusClient({ baseUrl: 'https://us%40r:p%3Ass@prom.example/prom/?tenant=a', fetchImpl: stub.fetchImpl });
    await c.query('up', T);
    expect(stub.calls[0]!.url).toBe('https://prom.example/prom/api/v1/query?tenant=a');
    expect(stub.calls[0]!.headers.Authorization).toBe(`Basic ${Buffer.from('us@r:p:ss').toString('base64')}`);
    expect(c.baseUrl).toBe('https://prom.example/prom');
  });

  test('no answer within timeoutMs is a timeout', async () => {
    const stub = stubFetch(
      (call) =>
        new Promise<Response>(() => {
          void call; // never answers
        }),
    );
    // The stub ignores the signal once the promise is pending, so race it the way fetch does.
    const fetchImpl = ((input: string, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
        void stub.fetchImpl(input, init).then(resolve, reject);
      })) as typeof fetch;
    const c = new PrometheusClient({ baseUrl: 'http://prom.example:9090', timeoutMs: 50, fetchImpl });
    const started = Date.now();
    expect(await caught(c.query('x', T))).toMatchObject({ kind: 'timeout', message: 'no answer from http://prom.example:9090/api/v1/query within 50 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("the caller's own abort is passed through, not turned into a state", async () => {
    const { client: c } = client(() => json({ status: 'success', data: { resultType: 'vector', result: [] } }));
    const controller = new AbortController();
    controller.abort(new Error('user went away'));
    await expect(c.query('x', T, { signal: controller.signal })).rejects.toThrow('user went away');
  });
});

describe('buildInfo', () => {
  test('version and revision', async () => {
    const { client: c, calls } = client(() => json({ status: 'success', data: { version: '2.42.0', revision: 'abc', goVersion: 'go1.19' } }));
    expect(await c.buildInfo()).toEqual({ version: '2.42.0', revision: 'abc', goVersion: 'go1.19' });
    expect(calls[0]).toMatchObject({ url: 'http://prom.example:9090/api/v1/status/buildinfo', method: 'GET', body: null });
  });
  test('null where the backend does not serve it', async () => {
    const { client: c } = client(() => new Response('404 page not found', { status: 404 }));
    expect(await c.buildInfo()).toBeNull();
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PrometheusSli } from '../../lib/schemas/prometheus';
import { PrometheusClient, PrometheusError } from '../../lib/sources/prometheus/client';
import { fetchMinuteBuckets } from '../../lib/sources/prometheus/prometheus-source';

// A slow or broken backend cannot be had from a real Prometheus on demand, so a tiny HTTP server on the
// loopback plays one: the only stand-in in these tests.

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
let server: Server;
let baseUrl: string;
const received: Array<{ url: string; body: URLSearchParams; authorization?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: new URLSearchParams(body), authorization: req.headers.authorization });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = 'Bearer do-not-log-me';
const client = (timeoutMs = 5000) => new PrometheusClient({ baseUrl, headers: { Authorization: SECRET }, timeoutMs });
const sli = PrometheusSli.parse({ source: 'prometheus', datasource: 'slow-prom', kind: 'ratio', goodSelector: 'ok_total', totalSelector: 'all_total' });
const NOW = new Date('2026-11-26T12:00:00Z');

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PrometheusError);
  expect((error as Error).message).not.toContain('do-not-log-me');
  return error as PrometheusError;
}

describe('a backend that answers slowly', () => {
  test('no answer within timeoutMs: timeout, promptly, and the server was told the timeout too', async () => {
    const pending: ServerResponse[] = [];
    handler = (_req, _body, res) => pending.push(res); // never answers
    const started = Date.now();
    const error = await failure(client(300).query('up', NOW));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(received.at(-1)!.body.get('timeout')).toBe('1s');
    expect(received.at(-1)!.authorization).toBe(SECRET);
    for (const res of pending) res.destroy();
  });

  test('headers at once but the body trickles: still a timeout', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"vector",');
      setTimeout(() => res.end('"result":[]}}'), 3000).unref();
    };
    const error = await failure(client(300).query('up', NOW));
    expect(error.kind).toBe('timeout');
  });

  test('a backfill against it fails with the timeout state instead of hanging', async () => {
    handler = () => undefined;
    const error = await failure(fetchMinuteBuckets(client(200), sli, { from: new Date(NOW.getTime() - 3_600_000), to: NOW }));
    expect(error.kind).toBe('timeout');
  });
});

describe('malformed and error answers', () => {
  const answer =
    (status: number, contentType: string, body: string): Handler =>
    (_req, _body, res) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    };

  test.each([
    ['an HTML login page', answer(200, 'text/html', '<!doctype html><title>Sign in</title>'), 'bad_response', /not JSON \(text\/html\)/],
    [
      'cut-off JSON',
      answer(200, 'application/json', '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1'),
      'bad_response',
      /not JSON/,
    ],
    [
      'a number that is not a number',
      answer(200, 'application/json', '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"one"]]}]}}'),
      'bad_response',
      /not a sample value/,
    ],
    ['a proxy error page', answer(502, 'text/html', '<html>502 Bad Gateway</html>'), 'http', /HTTP 502/],
    [
      'an API error',
      answer(400, 'application/json', '{"status":"error","errorType":"bad_data","error":"1:1: parse error: unexpected character"}'),
      'bad_query',
      /^1:1: parse error: unexpected character$/,
    ],
    ['an empty 200', answer(200, 'application/json', ''), 'bad_response', /not JSON/],
  ])('%s: a clear state, no crash', async (_name, respond, kind, message) => {
    handler = respond;
    const error = await failure(fetchMinuteBuckets(client(), sli, { from: new Date(NOW.getTime() - 600_000), to: NOW }));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  test('buildinfo on a backend without it is null; a broken one is an error', async () => {
    handler = answer(404, 'text/plain', '404 page not found');
    expect(await client().buildInfo()).toBeNull();
    handler = answer(200, 'application/json', '{"status":"success","data":{}}');
    expect((await failure(client().buildInfo())).kind).toBe('bad_response');
  });
});

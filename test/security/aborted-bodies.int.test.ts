// Clients that hang up mid-body, over a real socket: the route handlers behind node:http, their request bodies
// made by Next's own adapter (next/dist/server/body-streams, as the production server does) and their signal
// aborted when the connection closes. A hang-up is the client's doing: logged as request.aborted at info and
// answered 400 (to nobody), never `database_unavailable` at error level with a 503; nothing is written.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { requestToBodyStream } from 'next/dist/server/body-streams';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as services from '../../app/api/v1/services/route';
import * as metrics from '../../app/v1/metrics/route';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { makeToken } from '../auth';
import { uniqueSlug } from '../factories';
import { captureOutput } from './support';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const HANDLERS: Record<string, Handler> = { '/api/v1/services': services.POST as Handler, '/v1/metrics': metrics.POST as Handler };

let server: Server;
let port: number;
/** What each handler answered, by path, when it answered. */
const answered = new Map<string, (status: number) => void>();

const logLevel = process.env.UMPIRE_LOG_LEVEL;
let token: { headers: Record<string, string> };

beforeAll(async () => {
  token = await makeToken({ scopes: ['read', 'write', 'ingest', 'admin'] });
  // request.aborted is an info line.
  process.env.UMPIRE_LOG_LEVEL = 'info';
  reloadEnv();
  server = createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const request = new Request(`http://umpire.test${req.url}`, {
      method: req.method,
      headers,
      body: requestToBodyStream({ ReadableStream }, Uint8Array, req),
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit);
    void HANDLERS[req.url!]!(request, { params: Promise.resolve({}) }).then((response) => {
      answered.get(req.url!)?.(response.status);
      res.writeHead(response.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  if (logLevel === undefined) delete process.env.UMPIRE_LOG_LEVEL;
  else process.env.UMPIRE_LOG_LEVEL = logLevel;
  reloadEnv();
});

/** Sends the headers and part of a body declared longer, then hangs up; the status the handler answered. */
async function hangUpMidBody(path: string, headers: Record<string, string>, part: string): Promise<number> {
  const status = new Promise<number>((resolve) => answered.set(path, resolve));
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const lines = Object.entries({ host: 'umpire.test', 'content-length': String(part.length + 5000), ...headers }).map(([k, v]) => `${k}: ${v}`);
  socket.write(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${part}`);
  // The handler is reading by now (it has authenticated the token): then the client goes.
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.destroy();
  return Promise.race([status, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`${path} never answered`)), 10_000))]);
}

describe('a client that hangs up mid-body', () => {
  test.each([
    ['the JSON API', '/api/v1/services', 'application/json', (slug: string) => `{"slug":"${slug}","name":"Half`],
    ['the OTLP receiver', '/v1/metrics', 'application/json', () => '{"resourceMetrics":[{"resource":{"attributes":['],
  ])('%s: request.aborted at info, a 400, nothing written', async (_label, path, type, part) => {
    const slug = uniqueSlug('aborted');
    const servicesBefore = await db().service.count();
    const output = captureOutput();
    let status: number;
    try {
      status = await hangUpMidBody(path, { ...token.headers, 'content-type': type }, part(slug));
    } finally {
      output.stop();
    }
    const lines = output
      .text()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; event: string; path?: string });
    expect(status).toBe(400);
    expect(lines.filter((l) => l.event === 'request.aborted')).toEqual([expect.objectContaining({ level: 'info', path })]);
    expect(lines.filter((l) => l.level === 'error' || /database_unavailable/.test(l.event))).toEqual([]);
    expect(await db().service.count()).toBe(servicesBefore);
  });
});

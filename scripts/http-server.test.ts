import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createLimitedServer, serverLimits, type ServerLimits } from './http-server';

describe('serverLimits', () => {
  test.each([
    // The defaults (lib/env.ts): 30 s for a whole request, 10 s for its headers, 1000 connections.
    [
      { requestTimeoutSeconds: 30, maxConnections: 1000 },
      { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, maxConnections: 1000 },
    ],
    [
      { requestTimeoutSeconds: 300, maxConnections: 50 },
      { requestTimeoutMs: 300_000, headersTimeoutMs: 10_000, maxConnections: 50 },
    ],
    // Headers never get longer than the whole request (Node refuses that).
    [
      { requestTimeoutSeconds: 4, maxConnections: 1 },
      { requestTimeoutMs: 4000, headersTimeoutMs: 4000, maxConnections: 1 },
    ],
  ])('%j gives %j', (config, want) => {
    const limits = serverLimits(config);
    expect(limits).toMatchObject(want);
    // Longer than a proxy's usual 60 s idle timeout: the proxy closes idle connections, not Umpire.
    expect(limits.keepAliveTimeoutMs).toBeGreaterThan(60_000);
    expect(limits.checkIntervalMs).toBeLessThanOrEqual(1000);
  });
});

// A real server on a real socket, with the same factory scripts/server.ts uses, and short limits.
const LIMITS: ServerLimits = { requestTimeoutMs: 1500, headersTimeoutMs: 700, keepAliveTimeoutMs: 65_000, maxConnections: 3, checkIntervalMs: 100 };

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server whose handler reads the whole body before answering 200, as a JSON route does. */
async function start(limits = LIMITS): Promise<number> {
  server = createLimitedServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('read it all\n'));
  }, limits);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Client {
  socket: Socket;
  /** What the server sent, and when the connection closed (ms after it opened), once it has. */
  closed: Promise<{ received: string; afterMs: number }>;
}

async function open(port: number): Promise<Client> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const opened = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ received: string; afterMs: number }>((resolve) =>
    socket.on('close', () => resolve({ received, afterMs: performance.now() - opened })),
  );
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, closed };
}

/** Writes `text` a byte every `everyMs` until the connection closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('the limited server, on a real socket', () => {
  test('a body sent a byte at a time is cut off with 408 once the request timeout is up', async () => {
    const client = await open(await start());
    client.socket.write('POST /api/v1/services HTTP/1.1\r\nHost: umpire.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"slug":');
    trickle(client.socket, 'x'.repeat(1000), 50);
    const { received, afterMs } = await client.closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(afterMs).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
    expect(afterMs).toBeLessThan(LIMITS.requestTimeoutMs + 1000);
  });

  test('headers sent a byte at a time, or none at all, are cut off with 408 once the headers timeout is up', async () => {
    const port = await start();
    const slow = await open(port);
    trickle(slow.socket, 'GET / HTTP/1.1\r\nHost: umpire.test\r\nX-Padding: ' + 'p'.repeat(1000), 50);
    const silent = await open(port);
    for (const { closed } of [slow, silent]) {
      const { received, afterMs } = await closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(afterMs).toBeLessThan(LIMITS.headersTimeoutMs + 1000);
    }
  });

  test('a request sent at a normal pace is answered, and its keep-alive connection stays open', async () => {
    const client = await open(await start());
    client.socket.write('POST / HTTP/1.1\r\nHost: umpire.test\r\nContent-Length: 5\r\n\r\nhello');
    await new Promise((resolve) => setTimeout(resolve, LIMITS.requestTimeoutMs + 500));
    expect(client.socket.destroyed).toBe(false);
    client.socket.end();
    const { received } = await client.closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*read it all\n$/);
  });

  test('connections beyond the cap are closed at once, without a byte; the ones open are served', async () => {
    const port = await start();
    const open3 = [await open(port), await open(port), await open(port)];
    const beyond = await open(port);
    const { received, afterMs } = await beyond.closed;
    expect(received).toBe('');
    expect(afterMs).toBeLessThan(500);
    open3[0]!.socket.end('GET / HTTP/1.1\r\nHost: umpire.test\r\nConnection: close\r\n\r\n');
    expect((await open3[0]!.closed).received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // A slot is free again: the next connection is served.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await open(port);
    next.socket.end('GET / HTTP/1.1\r\nHost: umpire.test\r\nConnection: close\r\n\r\n');
    expect((await next.closed).received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

import { connect } from 'node:net';
import { E2E_REQUEST_TIMEOUT_SECONDS, e2eAuth } from './auth';
import { expect, test } from '@playwright/test';

// The production server (scripts/server.ts, as `npm start` serves) against a client that sends its body a byte
// at a time: it is cut off with 408 once UMPIRE_REQUEST_TIMEOUT_SECONDS are up, not held for minutes.
test('a request body sent a byte at a time is cut off with 408 within the request timeout', async ({ baseURL }) => {
  const timeoutMs = E2E_REQUEST_TIMEOUT_SECONDS * 1000;
  test.setTimeout(timeoutMs + 30_000);
  const url = new URL(baseURL!);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const opened = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now() - opened)));
  // A signed-in API call, so the handler really waits for the body (an anonymous one is refused before reading it).
  socket.write(
    `POST /api/v1/services HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${e2eAuth().adminToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"slug":"`,
  );
  const timer = setInterval(() => socket.destroyed || socket.write('x'), 200);
  try {
    const afterMs = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), timeoutMs + 10_000))]);
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(afterMs).toBeGreaterThan(timeoutMs - 1000);
    expect(afterMs).toBeLessThan(timeoutMs + 3000);
  } finally {
    clearInterval(timer);
    socket.destroy();
  }
});

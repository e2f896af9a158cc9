/**
 * Umpire's HTTP server: Next.js's production server, as `next start` runs it, with two differences. `next start`
 * passes on any X-Forwarded-For a client sends and adds the address that connected only when there is none, so a
 * client could name any address to the per-address rate limits and the audit trail. Here the address that
 * connected is always appended (lib/http/forwarded), and UMPIRE_TRUSTED_PROXIES counts back from it. And it holds
 * to limits (scripts/http-server.ts): a whole request within UMPIRE_REQUEST_TIMEOUT_SECONDS, its headers within
 * 10 s, at most UMPIRE_MAX_CONNECTIONS connections at once.
 *
 *   node --import tsx scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
 *
 * `npm start` runs it after preparing the database; the e2e suite runs it too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { env } from '../lib/env';
import { withPeer } from '../lib/http/forwarded';
import { createLimitedServer, serverLimits } from './http-server';
import { ROOT } from './process';

const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } } });
const port = values.port === undefined ? env().PORT : Number(values.port);
const hostname = values.hostname;
/** How long requests in flight may take to finish after SIGTERM before the process exits anyway. */
const DRAIN_MS = 10_000;

function say(message: string): void {
  process.stdout.write(`umpire: ${message}\n`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`the port must be a TCP port number, got "${values.port}"`);
  if (process.env.NODE_ENV !== 'production') Object.assign(process.env, { NODE_ENV: 'production' });
  const { UMPIRE_REQUEST_TIMEOUT_SECONDS, UMPIRE_MAX_CONNECTIONS } = env();
  const limits = serverLimits({ requestTimeoutSeconds: UMPIRE_REQUEST_TIMEOUT_SECONDS, maxConnections: UMPIRE_MAX_CONNECTIONS });
  const app = next({ dev: false, dir: ROOT, port, ...(hostname ? { hostname } : {}) });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createLimitedServer((request: IncomingMessage, response: ServerResponse) => {
    request.headers['x-forwarded-for'] = withPeer(request.headers['x-forwarded-for'], request.socket.remoteAddress);
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(
        `umpire: request ${request.method} ${request.url?.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end();
    });
  }, limits);
  reportDroppedConnections(server, limits.maxConnections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  say(
    `listening on ${hostname ?? 'all interfaces'}, port ${port} (requests within ${UMPIRE_REQUEST_TIMEOUT_SECONDS} s, at most ${UMPIRE_MAX_CONNECTIONS} connections)`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing requests in flight, then stopping`);
    setTimeout(() => process.exit(0), DRAIN_MS).unref();
    server.close(() => {
      void app.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Connections refused for the limit, said once a minute at most (never one line per connection). */
function reportDroppedConnections(server: ReturnType<typeof createLimitedServer>, max: number): void {
  let dropped = 0;
  server.on('drop', () => dropped++);
  setInterval(() => {
    if (dropped === 0) return;
    say(`refused ${dropped} connection${dropped === 1 ? '' : 's'} in the last minute: ${max} were open (UMPIRE_MAX_CONNECTIONS)`);
    dropped = 0;
  }, 60_000).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`umpire: could not start the server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

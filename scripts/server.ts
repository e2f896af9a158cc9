/**
 * Umpire's HTTP server: Next.js's production server, as `next start` runs it, with one difference. `next start`
 * passes on any X-Forwarded-For a client sends and adds the address that connected only when there is none, so a
 * client could name any address to the per-address rate limits and the audit trail. Here the address that
 * connected is always appended (lib/http/forwarded), and UMPIRE_TRUSTED_PROXIES counts back from it.
 *
 *   node --import tsx scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
 *
 * `npm start` runs it after preparing the database; the e2e suite runs it too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { withPeer } from '../lib/http/forwarded';
import { ROOT } from './process';

const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;
/** How long requests in flight may take to finish after SIGTERM before the process exits anyway. */
const DRAIN_MS = 10_000;

function say(message: string): void {
  process.stdout.write(`umpire: ${message}\n`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`the port must be a TCP port number, got "${values.port ?? process.env.PORT}"`);
  if (process.env.NODE_ENV !== 'production') Object.assign(process.env, { NODE_ENV: 'production' });
  const app = next({ dev: false, dir: ROOT, port, ...(hostname ? { hostname } : {}) });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.headers['x-forwarded-for'] = withPeer(request.headers['x-forwarded-for'], request.socket.remoteAddress);
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`umpire: request ${request.method} ${request.url?.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, resolve);
  });
  say(`listening on ${hostname ?? 'all interfaces'}, port ${port}`);

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

main().catch((error: unknown) => {
  process.stderr.write(`umpire: could not start the server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

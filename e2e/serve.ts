/**
 * Playwright's web server for the e2e suite: a throwaway PostgreSQL database, migrated and seeded with the
 * demo catalogue, behind the production build served as `npm start` serves it (scripts/server.ts). The database
 * is dropped when Playwright stops the server (SIGTERM, see playwright.config.ts). Run `npm run build` first.
 *
 *   node --import tsx e2e/serve.ts
 *
 * Env: E2E_PORT (3107), E2E_ADMIN_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/postgres).
 *
 * It also runs a small OTLP/HTTP capture server that the Umpire server exports its traces and metrics to
 * (OTEL_EXPORTER_OTLP_ENDPOINT); its URL is in the file otlpCaptureFile() names (e2e/telemetry.spec.ts), and a
 * real OpenID Provider (test/oidc/test-idp.ts) that Umpire offers single sign-on through (E2E_SSO in e2e/auth.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startTestIdp } from '../test/oidc/test-idp';
import { authFile, E2E_REQUEST_TIMEOUT_SECONDS, E2E_SSO, E2E_SSO_INVITED } from './auth';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3107);
const adminUrl = process.env.E2E_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'umpire_e2e_';
/** Databases left by a run that was killed outright (SIGKILL skips cleanup) are dropped after this long. */
const STALE_AFTER_SECONDS = 12 * 3600;

const dbName = `${PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();

function log(message: string): void {
  process.stderr.write(`[e2e-serve] ${message}\n`);
}

/** Where the capture server's URL is left for the specs, per e2e port (e2e/telemetry.spec.ts reads it). */
function otlpCaptureFile(e2ePort: number): string {
  return path.join(os.tmpdir(), `umpire-e2e-otlp-capture-${e2ePort}.json`);
}

/** Oldest export bodies are dropped beyond this, so a long run cannot grow without bound. */
const CAPTURE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Receives OTLP/HTTP exports (POST /v1/traces, /v1/metrics) and keeps their raw protobuf bodies; there is no
 * protobuf decoder for requests among the dependencies, so specs look for the strings (span names, attribute
 * keys and values) that protobuf stores verbatim. GET /captured/<signal> answers { bodies: base64[] }.
 */
async function startOtlpCapture(): Promise<{ url: string; close: () => void }> {
  const bodies: Record<string, Buffer[]> = { traces: [], metrics: [] };
  let stored = 0;
  const server = http.createServer((req, res) => {
    const signal = /^\/v1\/(traces|metrics)$/.exec(req.url ?? '')?.[1];
    if (req.method === 'POST' && signal) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        bodies[signal]!.push(body);
        stored += body.length;
        for (const list of Object.values(bodies)) while (stored > CAPTURE_LIMIT_BYTES && list.length > 1) stored -= list.shift()!.length;
        // An empty ExportTraceServiceResponse / ExportMetricsServiceResponse is zero bytes of protobuf.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
      return;
    }
    const wanted = /^\/captured\/(traces|metrics)$/.exec(req.url ?? '')?.[1];
    if (req.method === 'GET' && wanted) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bodies: bodies[wanted]!.map((b) => b.toString('base64')) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(otlpCaptureFile(port), JSON.stringify({ url }));
  return {
    url,
    close: () => {
      server.close();
      rmSync(otlpCaptureFile(port), { force: true });
    },
  };
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

async function dropStaleDatabases(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const { rows } = await admin((c) => c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]));
  for (const { datname } of rows) {
    const created = Number(/^umpire_e2e_(\d+)_/.exec(datname)?.[1]);
    if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
      log(`dropping stale database ${datname}`);
      await dropDatabase(datname);
    }
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with status ${result.status ?? result.signal}`);
}

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

async function main(): Promise<void> {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next: run `npm run build` before the e2e suite.');
  }
  await dropStaleDatabases();
  await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(dbName)}`));
  log(`created database ${dbName}`);

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    try {
      await dropDatabase(dbName);
      log(`dropped database ${dbName}`);
    } catch (error) {
      log(`could not drop ${dbName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  try {
    // The evaluator runs as in production: it fills a Prometheus SLO's history (e2e/datasources.spec.ts).
    // One secret key for the server and the seed: e2e/alerts.spec.ts stores a channel secret encrypted with it.
    const secretKey = process.env.UMPIRE_SECRET_KEY ?? randomBytes(32).toString('hex');
    const env = { ...process.env, DATABASE_URL: databaseUrl, UMPIRE_EVALUATOR: 'on', UMPIRE_SECRET_KEY: secretKey, NEXT_TELEMETRY_DISABLED: '1' };
    run(bin('prisma'), ['migrate', 'deploy'], env);
    run(bin('tsx'), ['scripts/seed-demo.ts'], env);
    // The suite's admin, editor and viewer, and an admin token for the fixtures (e2e/auth.ts reads the file).
    run(bin('tsx'), ['e2e/seed-users.ts'], { ...env, E2E_AUTH_FILE: authFile(port) });
    process.on('exit', () => rmSync(authFile(port), { force: true }));
    log(`seeded the demo catalogue and the e2e users; starting the server on port ${port}`);

    // Umpire observing itself: traces and metrics go to the capture server, batched for a short while only.
    const capture = await startOtlpCapture();
    process.on('exit', capture.close);
    // Single sign-on through a real OpenID Provider beside it (e2e/auth.spec.ts), password sign-in as well.
    const idp = await startTestIdp({ redirectUri: `http://127.0.0.1:${port}/auth/oidc/callback` });
    idp.accounts.set(E2E_SSO.login, {
      sub: E2E_SSO.login,
      preferred_username: E2E_SSO.username,
      name: E2E_SSO.name,
      email: `${E2E_SSO.username}@corp.example`,
      groups: [...E2E_SSO.groups],
    });
    idp.accounts.set(E2E_SSO_INVITED.login, {
      sub: E2E_SSO_INVITED.login,
      preferred_username: E2E_SSO_INVITED.preferredUsername,
      name: E2E_SSO_INVITED.name,
      email: E2E_SSO_INVITED.email,
      groups: ['umpire-editors', 'team-payments'],
    });
    const serverEnv = {
      ...env,
      UMPIRE_TELEMETRY: 'on',
      OTEL_EXPORTER_OTLP_ENDPOINT: capture.url,
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      // Dogfooding as in the demo: Umpire pushes its own metrics to its own /v1/metrics (e2e/dogfood.spec.ts).
      UMPIRE_SELF_OBSERVE: 'on',
      UMPIRE_SELF_URL: `http://127.0.0.1:${port}`,
      UMPIRE_SELF_OBSERVE_INTERVAL_MS: '2000',
      UMPIRE_OIDC_ISSUER: idp.issuer,
      UMPIRE_OIDC_CLIENT_ID: idp.clientId,
      UMPIRE_OIDC_CLIENT_SECRET: idp.clientSecret,
      UMPIRE_OIDC_NAME: E2E_SSO.provider,
      UMPIRE_OIDC_SCOPES: 'openid profile email groups',
      UMPIRE_OIDC_EDITOR_GROUPS: 'umpire-editors',
      UMPIRE_OIDC_TEAM_PREFIX: 'team-',
      // Short, so e2e/server-limits.spec.ts sees a slow body cut off in seconds; the suite's bodies take milliseconds.
      UMPIRE_REQUEST_TIMEOUT_SECONDS: String(E2E_REQUEST_TIMEOUT_SECONDS),
    };
    // As `npm start` serves: Next's production server behind scripts/server.ts.
    const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/server.ts', '--port', String(port), '--hostname', '127.0.0.1'], {
      cwd: root,
      env: { ...serverEnv, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping the server`);
      server.kill('SIGTERM');
      setTimeout(() => server.kill('SIGKILL'), 5000).unref();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    const code = await new Promise<number>((resolve) => server.on('exit', (c, s) => resolve(c ?? (s ? 0 : 1))));
    await cleanup();
    process.exit(stopping ? 0 : code);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/**
 * `npm run bench:overview`: the overview (GET /, its first page) and GET /api/v1/services over N services with 10
 * SLOs each, read from the services' kept summaries (service_states, written as the evaluator's state step does),
 * on the production server (scripts/server.ts, as `npm start` serves it), with 1 client and with C concurrent
 * clients: first as configured by default (the overview's answer shared for UMPIRE_OVERVIEW_CACHE_SECONDS), then
 * computed for every request (UMPIRE_OVERVIEW_CACHE_SECONDS=0) from the summaries and, summaries deleted, from every
 * SLO's stored state (slo_states). Baseline, with the cache off: the services of team "baseline" (B of them, 10 SLOs
 * each, two days of minute buckets) answered as kept, then with their states deleted so every figure is computed
 * live as before issue 16.
 *
 * Needs a production build: run `npm run build` first. Creates its own database (PostgreSQL at
 * TEST_ADMIN_DATABASE_URL), dropped on exit.
 *
 * Clients are autocannon's connections, each sending its next request when the last is answered; every response's
 * status and body are checked.
 *
 * Options: --services N (1000), --clients C (50), --seconds T of load by C clients with the shared answer (10; one
 * request each without the cache), --single S requests for a one-client run (20; 3 without the cache), --baseline-services B (10), --baseline-days D of buckets (2), --no-baseline, --page-uncached
 * (the page without the cache too: its cost is mostly rendering, measured with the shared answer already).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { AlertStatus } from '../lib/schemas';
import { createTestDatabase } from '../test/database';
import { buildSloStatus } from '../test/slo-status';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    single: { type: 'string', default: '20' },
    'baseline-services': { type: 'string', default: '10' },
    'baseline-days': { type: 'string', default: '2' },
    'no-baseline': { type: 'boolean', default: false },
    'page-uncached': { type: 'boolean', default: false },
  },
});
const SERVICES = Number(args.services);
const SLOS_PER_SERVICE = 10;
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const SINGLE = Number(args.single);
const BASELINE_DAYS = Number(args['baseline-days']);
const BASELINE_SERVICES = Number(args['baseline-services']);
const TEAMS = 10;
const ROOT = path.resolve(import.meta.dirname, '..');

process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_LOG_LEVEL ??= 'error';
process.env.UMPIRE_MAX_SERVICES = '10000000';
process.env.UMPIRE_MAX_SLOS = '10000000';

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Services, SLOs and their stored states, written in SQL (the use-cases are measured elsewhere). */
async function seed(): Promise<void> {
  const { db } = await import('../lib/db/client');
  const { upsertStates } = await import('../lib/db/slo-states');
  const sloTemplate = {
    window: { kind: 'rolling', days: 30 },
    budgeting: { method: 'occurrences' },
    sli: { source: 'demo', profile: 'availability', eventsPerMinute: 100, baselineErrorRatio: 0.0005, seed: 'bench' },
  };
  await db().$executeRaw`
    INSERT INTO services (id, slug, name, owner_team, tier, description, created_at, updated_at)
    SELECT gen_random_uuid(), 'svc-' || lpad(i::text, 5, '0'), 'Service ' || i,
           CASE WHEN i < ${BASELINE_SERVICES} THEN 'baseline' ELSE 'team-' || (i % ${TEAMS}) END, 1 + i % 3,
           'A service of the benchmark', now(), now()
    FROM generate_series(0, ${SERVICES - 1}) AS i`;
  await db().$executeRaw`
    INSERT INTO slos (id, service_id, slug, name, objective, "window", budgeting, sli, min_events, labels, created_at, updated_at)
    SELECT gen_random_uuid(), v.id, 'slo-' || k, 'SLO ' || k, 0.999, ${JSON.stringify(sloTemplate.window)}::jsonb,
           ${JSON.stringify(sloTemplate.budgeting)}::jsonb, ${JSON.stringify(sloTemplate.sli)}::jsonb, 100,
           jsonb_build_object('kind', CASE WHEN k < 5 THEN 'availability' ELSE 'latency' END), now() - interval '1 hour', now() - interval '1 hour'
    FROM services v, generate_series(0, ${SLOS_PER_SERVICE - 1}) AS k`;
  const slos = await db().$queryRaw<Array<{ id: string; slug: string; service: string }>>`
    SELECT s.id::text AS id, s.slug, v.slug AS service FROM slos s JOIN services v ON v.id = s.service_id ORDER BY v.slug, s.slug`;
  const asOf = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  // A realistic mix, fixed by position: 2% paging, 5% ticketing, 10% provisional, 2% without data.
  const rows = slos.map((slo, i) => {
    const firing: Array<AlertStatus['severity']> = i % 50 === 7 ? ['page', 'ticket'] : i % 20 === 3 ? ['ticket'] : [];
    const noData = i % 50 === 11;
    const budget = noData ? null : firing.includes('page') ? -0.2 - (i % 7) / 10 : 1 - ((i * 37) % 100) / 110;
    const status = buildSloStatus({ service: slo.service, slo: slo.slug, asOf, budgetRemaining: budget, firing, provisional: i % 10 === 4 });
    return {
      sloId: slo.id,
      asOf,
      status,
      dataState: status.dataState,
      budgetRemaining: status.errorBudget.remaining,
      firing: firing[0] ?? null,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await upsertStates(db(), rows.slice(i, i + 1000));
  await db().$executeRawUnsafe('ANALYZE');
}

/** Each service's summary, as the evaluator writes them after its state step: timed, it is part of the step. */
async function summariseAll(): Promise<{ services: number; ms: number }> {
  const { recordServiceStates } = await import('../lib/use-cases/services/service-states');
  const { db } = await import('../lib/db/client');
  const run = await recordServiceStates();
  if (run.failed > 0) throw new Error(`${run.failed} services not summarised`);
  await db().$executeRawUnsafe('ANALYZE service_states');
  return run;
}

/** The baseline team: its states deleted and BASELINE_DAYS of minute buckets, so its SLOs are computed live. */
async function prepareBaseline(team: string): Promise<number> {
  const { db } = await import('../lib/db/client');
  const ids = await db().$queryRaw<Array<{ id: string }>>`
    SELECT s.id::text AS id FROM slos s JOIN services v ON v.id = s.service_id WHERE v.owner_team = ${team}`;
  await db().$executeRaw`
    INSERT INTO sli_buckets (slo_id, start, good, total)
    SELECT s.id, t, 1000 - (extract(epoch from t)::bigint % 3), 1000
    FROM slos s JOIN services v ON v.id = s.service_id,
         generate_series(date_trunc('minute', now()) - make_interval(days => ${BASELINE_DAYS}::int), date_trunc('minute', now()) - interval '1 minute', interval '1 minute') AS t
    WHERE v.owner_team = ${team}
    ON CONFLICT DO NOTHING`;
  await db().$executeRawUnsafe('ANALYZE');
  return ids.length;
}

async function deleteStates(team: string): Promise<void> {
  const { db } = await import('../lib/db/client');
  await db().$executeRaw`DELETE FROM slo_states WHERE slo_id IN (SELECT s.id FROM slos s JOIN services v ON v.id = s.service_id WHERE v.owner_team = ${team})`;
  await deleteSummaries(team);
}

/** The services' kept summaries (all, or a team's): they are then computed from their SLOs' states, as before. */
async function deleteSummaries(team?: string): Promise<void> {
  const { db } = await import('../lib/db/client');
  if (team) await db().$executeRaw`DELETE FROM service_states WHERE service_id IN (SELECT id FROM services WHERE owner_team = ${team})`;
  else await db().$executeRaw`DELETE FROM service_states`;
}

type Callers = ReadonlyArray<Record<string, string>>;

/** One read token and one viewer's session per client, as that many people or pollers would have. */
async function credentials(): Promise<{ api: Callers; page: Callers }> {
  const { makeUser, sessionFor, makeToken } = await import('../test/auth');
  const api: Array<Record<string, string>> = [];
  const page: Array<Record<string, string>> = [];
  for (let i = 0; i < CLIENTS; i++) {
    api.push((await makeToken({ scopes: ['read'], name: `bench-${i}` })).headers);
    page.push((await sessionFor(await makeUser({ role: 'viewer', username: `bench-viewer-${i}` }))).cookieOnly);
  }
  return { api, page };
}

function startServer(databaseUrl: string, port: number, cacheSeconds?: number): ChildProcess {
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/server.ts', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      UMPIRE_EVALUATOR: 'off',
      UMPIRE_LOG_LEVEL: 'warn',
      UMPIRE_SECRET_KEY: randomBytes(32).toString('hex'),
      NEXT_TELEMETRY_DISABLED: '1',
      ...(cacheSeconds !== undefined ? { UMPIRE_OVERVIEW_CACHE_SECONDS: String(cacheSeconds) } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return server;
}

async function waitUp(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not answer /api/health within 120 s');
}

interface Run {
  latencies: number[];
  errors: number;
  seconds: number;
  bytes: number;
}

async function one(url: string, headers: Record<string, string>, check: (body: string) => boolean): Promise<{ ms: number; ok: boolean; bytes: number }> {
  const start = performance.now();
  try {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    return { ms: performance.now() - start, ok: response.status === 200 && check(body), bytes: body.length };
  } catch {
    return { ms: performance.now() - start, ok: false, bytes: 0 };
  }
}

/**
 * `clients` connections (autocannon, each sending its next request when the last is answered) for `load.seconds`,
 * or until `load.requests` are answered; each response's status and body are checked.
 */
async function measure(
  url: string,
  callers: Callers,
  clients: number,
  load: { seconds: number } | { requests: number },
  check: (body: string) => boolean,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let next = 0;
  const result = await autocannon({
    url,
    connections: clients,
    // The answers computed for every request, 50 at once, take longer than autocannon's 10 s by default.
    timeout: 120,
    ...('seconds' in load ? { duration: load.seconds } : { amount: load.requests }),
    setupClient: (client) => {
      client.setHeaders(callers[next++ % callers.length]!);
      // The body comes in chunks, then the response is complete.
      let chunks: Buffer[] = [];
      client.on('body', (chunk: Buffer) => chunks.push(chunk));
      client.on('response', (status: number, _bytes: number, ms: number) => {
        const body = Buffer.concat(chunks);
        chunks = [];
        latencies.push(ms);
        bytes = Math.max(bytes, body.length);
        if (status !== 200 || !check(body.toString('utf8'))) errors++;
      });
    },
  });
  return { latencies, errors: errors + result.errors + result.timeouts, seconds: result.duration, bytes };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function report(label: string, run: Run): { p95: number } {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => quantile(sorted, q));
  say(
    `  ${label.padEnd(34)} n=${String(run.latencies.length).padStart(4)}  p50 ${p50!.toFixed(0).padStart(6)} ms  p95 ${p95!.toFixed(0).padStart(6)} ms  p99 ${p99!
      .toFixed(0)
      .padStart(6)} ms  ${(run.latencies.length / run.seconds).toFixed(1).padStart(6)} req/s  errors ${run.errors}  (${(run.bytes / 1024).toFixed(0)} KiB)`,
  );
  return { p95: p95! };
}

async function scenario(
  name: string,
  url: string,
  callers: Callers,
  check: (body: string) => boolean,
  counts: { single: number; many: { seconds: number } | { requests: number } } = { single: SINGLE, many: { seconds: SECONDS } },
  clients = CLIENTS,
): Promise<void> {
  const warm = await one(url, callers[0]!, check);
  if (!warm.ok) throw new Error(`${url} did not answer as expected`);
  say(`${name}: ${url.replace(/^http:\/\/[^/]+/, '')}`);
  const single = report('1 client', await measure(url, callers, 1, { requests: counts.single }, check));
  if (clients <= 1) return;
  const many = report(`${clients} concurrent clients`, await measure(url, callers, clients, counts.many, check));
  say(`  p95 at ${clients} clients / p95 at 1 client = ${(many.p95 / single.p95).toFixed(2)}`);
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next: run `npm run build` before `npm run bench:overview`.');
  }
  say(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`);
  const database = await createTestDatabase('umpire_bench_overview');
  process.env.DATABASE_URL = database.url;
  let server: ChildProcess | undefined;
  try {
    const seedStart = performance.now();
    await seed();
    const slos = SERVICES * SLOS_PER_SERVICE;
    say(`seeded ${SERVICES} services, ${slos} SLOs and their stored states in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const summarised = await summariseAll();
    say(`the state step's service summaries: ${summarised.services} services in ${(summarised.ms / 1000).toFixed(2)} s`);
    const baselineSlos = args['no-baseline'] || BASELINE_SERVICES === 0 ? 0 : await prepareBaseline('baseline');
    if (baselineSlos > 0) say(`baseline: ${baselineSlos} SLOs of team "baseline" with ${BASELINE_DAYS} days of minute buckets`);
    const auth = await credentials();

    const serve = async (databaseUrl: string, cacheSeconds?: number): Promise<string> => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      server = startServer(databaseUrl, port, cacheSeconds);
      await waitUp(url, server);
      return url;
    };
    const stop = async (): Promise<void> => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server!.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
    };

    // Every answer is checked whole once, then by its length and ends (parsing 400 KiB per answer would make the
    // client, on the same two cores, the bottleneck).
    let apiLength = 0;
    const apiAll = (body: string) => {
      if (apiLength === 0 && (JSON.parse(body) as { services: unknown[] }).services.length === SERVICES) apiLength = body.length;
      return body.length === apiLength && body.startsWith('{"services":[{') && body.endsWith('}]}');
    };
    // The first of the overview's pages (50 services, the most urgent first) and the way to the others.
    const pageOk = (body: string) =>
      new RegExp(`Page (<!-- -->)?1(<!-- -->)? of (<!-- -->)?${Math.ceil(SERVICES / 50)}<`).test(body) && body.includes('data-service="svc-');
    const few = { single: Math.min(SINGLE, 3), many: { requests: CLIENTS } };

    // As configured by default: the overview's answer shared for UMPIRE_OVERVIEW_CACHE_SECONDS (5 s).
    let base = await serve(database.url);
    say(`server: scripts/server.ts (next start) on ${base}, evaluator off, telemetry on, overview cache as by default`);
    await scenario(`GET /api/v1/services, ${SERVICES} services / ${slos} SLOs, shared answer`, `${base}/api/v1/services`, auth.api, apiAll);
    await scenario(`GET / (overview page 1 of ${Math.ceil(SERVICES / 50)}), ${slos} SLOs, shared answer`, `${base}/`, auth.page, pageOk);
    // The floor under any page: the same layout, session and rendering, no figures.
    await scenario('GET /account (a page without figures)', `${base}/account`, auth.page, (body) => body.includes('bench-viewer-'));
    await stop();

    // Computed for every request: what one overview costs from the services' summaries, then from every SLO's state.
    base = await serve(database.url, 0);
    say(`server restarted with UMPIRE_OVERVIEW_CACHE_SECONDS=0`);
    await scenario(`GET /api/v1/services, ${SERVICES} services from their summaries, no cache`, `${base}/api/v1/services`, auth.api, apiAll, few);
    if (args['page-uncached']) {
      await scenario(`GET / (overview page), ${SERVICES} services from their summaries, no cache`, `${base}/`, auth.page, pageOk, few);
    }
    await deleteSummaries();
    await scenario(`GET /api/v1/services, ${slos} SLOs from their states (summaries deleted), no cache`, `${base}/api/v1/services`, auth.api, apiAll, few, 1);

    if (baselineSlos > 0) {
      const apiTeam = (body: string) => (JSON.parse(body) as { services: unknown[] }).services.length === BASELINE_SERVICES;
      const url = `${base}/api/v1/services?team=baseline`;
      await scenario(`baseline, stored states: ${BASELINE_SERVICES} services / ${baselineSlos} SLOs, no cache`, url, auth.api, apiTeam, {
        single: Math.min(SINGLE, 5),
        many: { requests: CLIENTS },
      });
      await deleteStates('baseline');
      await scenario(`baseline, live (states deleted): the same ${baselineSlos} SLOs, no cache`, url, auth.api, apiTeam, {
        single: Math.min(SINGLE, 5),
        many: { requests: CLIENTS },
      });
    }
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    const { db } = await import('../lib/db/client');
    await db().$disconnect();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

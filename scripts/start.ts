/**
 * `npm start`: runs Umpire's production build. Without DATABASE_URL it starts an embedded PostgreSQL (PGlite)
 * persisted under .umpire/, applies the migrations, seeds the demo catalogue into an empty database, builds
 * if there is no build yet, and serves on PORT (3000), pushing its own metrics to itself (UMPIRE_SELF_OBSERVE).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env as config, reloadEnv } from '../lib/env';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { bin, ROOT, run, start } from './process';

// Every variable checked before anything starts: a bad one stops here, named (lib/env.ts).
const { PORT: port, DATABASE_URL, UMPIRE_SEED_DEMO, UMPIRE_DATA_DIR, UMPIRE_SECRET_KEY, UMPIRE_PUBLIC_URL } = checkedEnv();

function checkedEnv(): ReturnType<typeof config> {
  try {
    return config();
  } catch (error) {
    process.stderr.write(`umpire: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
const external = Boolean(DATABASE_URL);
const seedDemo = UMPIRE_SEED_DEMO ?? (external ? 'off' : 'on');

function say(message: string): void {
  process.stdout.write(`umpire: ${message}\n`);
}

/** The key data-source credentials are encrypted with: UMPIRE_SECRET_KEY, or one kept beside the embedded data. */
function secretKey(dataDir: string | undefined): string | undefined {
  if (UMPIRE_SECRET_KEY) return UMPIRE_SECRET_KEY;
  if (!dataDir) {
    say('UMPIRE_SECRET_KEY is not set: data sources with credentials cannot be saved until it is');
    return undefined;
  }
  const file = path.join(path.dirname(dataDir), 'secret-key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Dogfooding: the server pushes its own http.server.request.duration to its own /v1/metrics, which the demo's
 * "umpire" SLOs read. On unless UMPIRE_SELF_OBSERVE is set; its ingest token is derived from UMPIRE_SECRET_KEY.
 */
function selfObservation(env: NodeJS.ProcessEnv): void {
  // Whether it is set at all, not its value: the server's default is off, npm start's is on.
  if (process.env.UMPIRE_SELF_OBSERVE !== undefined) return;
  if (!env.UMPIRE_SECRET_KEY) {
    say('self-observation is off: it needs UMPIRE_SECRET_KEY (its ingest token is derived from it)');
    return;
  }
  env.UMPIRE_SELF_OBSERVE = 'on';
  env.UMPIRE_SELF_URL ??= `http://127.0.0.1:${port}`;
  say(`self-observation on: Umpire sends its own request metrics to ${env.UMPIRE_SELF_URL}/v1/metrics (UMPIRE_SELF_OBSERVE=off stops it)`);
}

/**
 * Sign-in on a fresh install: while nobody can sign in, a one-time link to create the first admin (printed here,
 * never a default password). With the embedded demo, also the API token `npm run demo:traffic` uses, in
 * .umpire/demo-token (only this machine's user may read it).
 */
async function firstRun(env: NodeJS.ProcessEnv, embedded: EmbeddedDatabase | undefined): Promise<void> {
  const { ensureSetupLink } = await import('../lib/use-cases/access/sessions');
  const origin = UMPIRE_PUBLIC_URL ?? `http://localhost:${port}`;
  const link = await ensureSetupLink(origin);
  if (link) {
    say('no user can sign in yet: create the first admin with this one-time link (it works once; a restart prints a new one):');
    process.stdout.write(`\n    ${link.url}\n\n`);
  }
  if (embedded && env.UMPIRE_SECRET_KEY) {
    const { ensureLocalDemoToken } = await import('../lib/use-cases/demo/demo-token');
    // Beside the secret key (.umpire/ by default), where `npm run demo:traffic` looks for it.
    const file = path.join(path.dirname(embedded.dataDir), 'demo-token');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${await ensureLocalDemoToken()}\n`, { mode: 0o600 });
  }
}

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  if (external) {
    env.UMPIRE_DATABASE_MODE = 'external';
    say('using the PostgreSQL database in DATABASE_URL');
  } else {
    const dataDir = path.resolve(UMPIRE_DATA_DIR ?? path.join(ROOT, '.umpire', 'pglite'));
    say(`starting the embedded database in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    embedded = await startEmbeddedDatabase(dataDir);
    env.DATABASE_URL = embedded.url;
    env.UMPIRE_DATABASE_MODE = 'embedded';
    // PGlite runs one query at a time; a small pool keeps the queue short.
    env.DATABASE_POOL_MAX ??= '4';
  }
  const key = secretKey(embedded?.dataDir);
  if (key) env.UMPIRE_SECRET_KEY = key;
  selfObservation(env);

  const stopDatabase = async () => {
    if (embedded) await embedded.stop().catch(() => undefined);
    embedded = undefined;
  };

  try {
    say('applying database migrations');
    await run(bin('prisma'), ['migrate', 'deploy'], env);

    // One database client for the seed and the first-run checks, closed before the server starts.
    // (process.env turns undefined into the string "undefined": only what is set is copied.)
    for (const name of ['DATABASE_URL', 'DATABASE_POOL_MAX', 'UMPIRE_SECRET_KEY'] as const) if (env[name] !== undefined) process.env[name] = env[name];
    process.env.UMPIRE_LOG_LEVEL ??= 'warn';
    reloadEnv();
    const { db } = await import('../lib/db/client');
    try {
      if (seedDemo === 'on') {
        const { seedDemo: seed, describeSeeded } = await import('../lib/use-cases/demo/seed-demo');
        say('checking for demo data');
        if (await seed({ onService: (seeded) => say(`  ${describeSeeded(seeded)}`) }))
          say('seeded the demo services and SLOs with 90 days of history, and Umpire\'s own SLOs (service "umpire")');
      }
      await firstRun(env, embedded);
    } finally {
      await db().$disconnect();
    }

    if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
      say('no production build yet: building (once; `npm run build` rebuilds)');
      await run(bin('next'), ['build'], env);
    }
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  say(`serving on http://localhost:${port}`);
  // A larger young generation: OTLP ingest allocates many short-lived objects per request, and V8's default
  // semi-space makes it collect far more often (bench:ingest: about 15% more points/s with 32 MiB).
  if (!/--max-semi-space-size/.test(env.NODE_OPTIONS ?? '')) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --max-semi-space-size=32`.trim();
  // Next's production server, with the connecting address always in X-Forwarded-For (scripts/server.ts).
  const server = start(process.execPath, ['--import', 'tsx', 'scripts/server.ts', '--port', String(port)], { ...env, NODE_ENV: 'production' });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    server.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', async (code, signal) => {
    // The embedded database is flushed and closed only after the app has let go of it.
    await stopDatabase();
    process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`umpire: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

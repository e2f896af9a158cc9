/**
 * `npm run demo:traffic`: a small shop instrumented with the OpenTelemetry SDK, and a load loop calling it, in
 * one process; its http.server.request.duration histograms go to Umpire over OTLP every 10 s. Inject an
 * incident (keys e, x, l, c, q in a terminal; --errors, --latency, --duration otherwise) and watch the
 * demo-shop SLOs' burn-rate alerts fire and clear. `npm run demo:traffic -- --help` lists the flags.
 * Talks to Umpire through its public API only; the parts live in scripts/demo-traffic/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './process';
import { parseOptions, OptionsError, USAGE, type Options } from './demo-traffic/options';
import { RecentTraffic, startLoad } from './demo-traffic/load';
import { applyKey, describeFaults, expectedErrorRatio, KEY_HELP, minutesToFire, NO_FAULTS, ROUTES, seededRandom, type Faults } from './demo-traffic/model';
import { startShop } from './demo-traffic/shop';
import { statusLine } from './demo-traffic/status';
import { startShopTelemetry } from './demo-traffic/telemetry';
import { retryWhileUnreachable, setUpUmpire, UmpireApiError, UmpireAuthError, type SetupResult } from './demo-traffic/umpire-api';

const RETRY_MS = 5_000;
/** The default page tier for a 30-day SLO (lib/slo/alerts.ts): 1h long window at 14.4x; objective 0.99. */
const PAGE = { burnRate: 14.4, longWindowMinutes: 60, objective: 0.99 };

const tty = Boolean(process.stdout.isTTY);
let statusShown = false;

function clearStatus(): void {
  if (tty && statusShown) process.stdout.write('\r\x1b[2K');
  statusShown = false;
}

function say(line: string): void {
  clearStatus();
  process.stdout.write(`demo-traffic: ${line}\n`);
}

function showStatus(line: string): void {
  if (tty) {
    const width = process.stdout.columns || 120;
    process.stdout.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
    statusShown = true;
  } else {
    process.stdout.write(`demo-traffic: ${line}\n`);
  }
}

function fail(message: string, code = 1): never {
  clearStatus();
  process.stderr.write(`demo-traffic: ${message}\n`);
  process.exit(code);
}

const SOONER = 'sooner while the shop has sent for less than an hour (a window holds only the data there is)';

/** What the availability SLO will do under these faults. */
function errorHint(faults: Faults): string | null {
  if (faults.errorRatio === 0) return null;
  const ratio = expectedErrorRatio(faults);
  const minutes = minutesToFire(ratio, PAGE.objective, PAGE.burnRate, PAGE.longWindowMinutes);
  const burn = ratio / (1 - PAGE.objective);
  const what = `availability: about ${(ratio * 100).toFixed(1)}% of all requests fail, a burn rate of ${burn.toFixed(1)}x`;
  if (minutes === null) return `${what}, under the page tier's ${PAGE.burnRate}x: no page, a ticket tier fires in time`;
  return `${what}: the 1h/5m page alert (${PAGE.burnRate}x) fires about ${Math.ceil(minutes)} min in after an hour of clean traffic, ${SOONER}`;
}

/** What the latency SLO will do under these faults. */
function latencyHint(faults: Faults): string | null {
  if (faults.addedLatencyMs + 25 <= 500) return null;
  const minutes = minutesToFire(1, PAGE.objective, PAGE.burnRate, PAGE.longWindowMinutes)!;
  return `latency: every request now takes over 500 ms, a burn rate of 100x: the page alert fires about ${Math.ceil(minutes)} min in after an hour of clean traffic, ${SOONER}`;
}

/** The API token: given, or the one `npm start` leaves for its embedded demo (write and ingest on team "shop"). */
function apiToken(options: Options): string | undefined {
  if (options.apiToken) return options.apiToken;
  const file = path.join(ROOT, '.umpire', 'demo-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

async function setUp(options: Options, abort: AbortSignal): Promise<SetupResult> {
  const client = { baseUrl: options.umpireUrl, fetch: (input: string, init?: RequestInit) => fetch(input, init), apiToken: apiToken(options) };
  let token = options.token;
  return retryWhileUnreachable(() => setUpUmpire(client, { service: options.service, token, onTokenCreated: (created) => (token = created) }, say), {
    delayMs: RETRY_MS,
    signal: abort,
    onRetry: (error, tries) => say(`${error.message} Retrying in ${RETRY_MS / 1000} s (attempt ${tries}; Ctrl-C stops).`),
  });
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof OptionsError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const setupAbort = new AbortController();
  const interruptSetup = () => {
    setupAbort.abort();
    fail('stopped before the shop started');
  };
  process.once('SIGINT', interruptSetup);
  say(`setting up ${options.service} in Umpire at ${options.umpireUrl}`);
  let setup: SetupResult;
  try {
    setup = await setUp(options, setupAbort.signal);
  } catch (error) {
    if (error instanceof UmpireAuthError || error instanceof UmpireApiError) fail(error.message);
    throw error;
  } finally {
    process.off('SIGINT', interruptSetup);
  }

  let faults: Faults = options.faults;
  const rand = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const telemetry = startShopTelemetry({
    umpireUrl: options.umpireUrl,
    token: setup.token,
    serviceName: options.service,
    exportIntervalMs: options.exportIntervalMs,
  });
  const shop = await startShop({ requestDuration: telemetry.requestDuration, faults: () => faults, rand, port: options.port });
  const traffic = new RecentTraffic();
  const load = startLoad({ shopUrl: shop.url, rate: options.rate, rand, onServed: (served) => traffic.add(served) });

  say(`shop (service.name=${options.service}) on ${shop.url}: ${ROUTES.map((r) => `${r.method} ${r.route}`).join(', ')}`);
  say(
    `calling it about ${options.rate} times a second; exporting http.server.request.duration to ${options.umpireUrl}/v1/metrics every ${options.exportIntervalMs / 1000} s`,
  );
  say(`watch the SLOs and their burn-rate alerts: ${setup.pageUrl}`);
  say(`faults: ${describeFaults(faults)}`);
  for (const hint of [errorHint(faults), latencyHint(faults)]) if (hint) say(hint);

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      say(`${reason}: stopping (sending the last export)`);
      clearInterval(ticker);
      clearTimeout(deadline);
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(false);
        process.stdin.pause();
      }
      await load.stop();
      await telemetry.shutdown().catch(() => undefined);
      await shop.close();
      say(
        `done: ${telemetry.status.ok} exports accepted, ${telemetry.status.failed} failed${telemetry.status.problem ? ` (${telemetry.status.problem})` : ''}`,
      );
      process.exit(telemetry.status.ok > 0 || telemetry.status.failed === 0 ? 0 : 1);
    })();
    return stopping;
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const deadline = options.durationMs === undefined ? undefined : setTimeout(() => void stop(`${options.durationMs! / 1000} s are up`), options.durationMs);

  let lastProblem: string | null = null;
  const ticker = setInterval(
    () => {
      const status = telemetry.status;
      // A new export problem is worth a line of its own (the status line is overwritten every second).
      if (status.problem !== lastProblem) {
        if (status.problem) say(status.problem);
        else if (lastProblem) say('exports are reaching Umpire again');
        lastProblem = status.problem;
      }
      showStatus(statusLine(faults, traffic.summary(), status));
    },
    tty ? 1000 : options.exportIntervalMs,
  );

  if (process.stdin.isTTY) {
    say(`keys:\n${KEY_HELP.replace(/^/gm, '  ')}`);
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      for (const key of chunk) {
        const action = applyKey(key.toLowerCase(), faults);
        if (action.kind === 'quit') void stop('quit');
        else if (action.kind === 'help') say(`keys:\n${KEY_HELP.replace(/^/gm, '  ')}`);
        else if (action.kind === 'faults') {
          const before = faults;
          faults = action.faults;
          say(action.message);
          if (faults.errorRatio !== before.errorRatio || faults.errorRoutes !== before.errorRoutes) {
            const hint = errorHint(faults);
            if (hint) say(hint);
          }
          if (faults.addedLatencyMs !== before.addedLatencyMs) {
            const hint = latencyHint(faults);
            if (hint) say(hint);
          }
          if (faults === NO_FAULTS) say('a firing page alert clears once its 5m window is back under the threshold: within about 5 minutes');
        }
      }
    });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));

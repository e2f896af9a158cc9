// Flags and environment of `npm run demo:traffic`, checked up front with messages that name the flag.
import { parseArgs } from 'node:util';
import { NO_FAULTS, type Faults } from './model';

export interface Options {
  /** Umpire's base URL. */
  umpireUrl: string;
  /** An ingest token to use; without it the API token pushes (ingest scope) or one is created. */
  token: string | undefined;
  /** The API token that sets the demo up (write scope; ingest or admin too). */
  apiToken: string | undefined;
  /** resource service.name, and the slug of the Umpire service it feeds. */
  service: string;
  /** Requests per second the load loop sends (on average). */
  rate: number;
  faults: Faults;
  /** Stop after this many milliseconds; undefined runs until quit. */
  durationMs: number | undefined;
  /** The shop's own port (0: any free one). */
  port: number;
  exportIntervalMs: number;
  seed: number | undefined;
  help: boolean;
}

export const USAGE = `npm run demo:traffic [-- flags]

A small shop (GET /products, GET /products/:id, GET /cart, POST /checkout) instrumented with the OpenTelemetry
SDK, called by a load loop in the same process; its http.server.request.duration histograms are exported to
Umpire over OTLP every 10 s. On start it creates what Umpire needs (the service and two SLOs) with an API token:
UMPIRE_API_TOKEN, or the one \`npm start\` leaves in .umpire/demo-token for its embedded demo.

Flags:
  --umpire URL        Umpire's base URL (env UMPIRE_URL, default http://127.0.0.1:3000)
  --api-token TOKEN   the API token that sets things up (env UMPIRE_API_TOKEN; default .umpire/demo-token)
  --token TOKEN       an ingest token (env UMPIRE_TOKEN); default: the API token if it may push, else a new one
  --service NAME      service.name and Umpire service slug (default demo-shop)
  --rate N            requests per second (default 20)
  --errors RATIO      share of requests that fail with 5xx, 0 to 1 (default 0)
  --error-route R     the route the errors hit, e.g. /checkout (repeatable; default every route)
  --latency MS        milliseconds added to every request (default 0)
  --duration D        stop after D, e.g. 90s, 10m, 2h (default: run until q or Ctrl-C)
  --port N            the shop's port (default any free port)
  --interval D        OTLP export interval (default 10s)
  --seed N            seed the random traffic (repeatable runs)
  -h, --help          this text

Keys (when stdin is a terminal): e incident (30% errors everywhere), x 30% errors on /checkout,
l +800 ms, c clear, q quit.`;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "90s", "10m", "2h", "500ms", or bare seconds ("30"). */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new OptionsError(`${flag} must be a duration such as 90s, 10m or 2h, got "${text}"`);
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']!;
  if (!(ms > 0)) throw new OptionsError(`${flag} must be longer than 0, got "${text}"`);
  return ms;
}

function number(text: string | undefined, flag: string, { min, max, integer = false }: { min: number; max: number; integer?: boolean }): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new OptionsError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        umpire: { type: 'string' },
        token: { type: 'string' },
        'api-token': { type: 'string' },
        service: { type: 'string' },
        rate: { type: 'string' },
        errors: { type: 'string' },
        'error-route': { type: 'string', multiple: true },
        latency: { type: 'string' },
        duration: { type: 'string' },
        port: { type: 'string' },
        interval: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  const umpireUrl = (values.umpire ?? env.UMPIRE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(umpireUrl);
  } catch {
    throw new OptionsError(`--umpire (or UMPIRE_URL) must be a URL such as http://127.0.0.1:3000, got "${umpireUrl}"`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new OptionsError(`--umpire must be an http(s) URL, got "${umpireUrl}"`);
  const service = values.service ?? 'demo-shop';
  if (!SLUG.test(service) || service.length > 63) {
    throw new OptionsError(`--service must be lowercase letters, digits and single hyphens (it is also the Umpire service slug), got "${service}"`);
  }
  const routes = values['error-route']?.map((r) => (r.startsWith('/') ? r : `/${r}`));
  const faults: Faults = {
    errorRatio: number(values.errors, '--errors', { min: 0, max: 1 }) ?? NO_FAULTS.errorRatio,
    errorRoutes: routes && routes.length > 0 ? routes : 'all',
    addedLatencyMs: number(values.latency, '--latency', { min: 0, max: 60_000 }) ?? NO_FAULTS.addedLatencyMs,
  };
  const token = values.token ?? env.UMPIRE_TOKEN;
  const apiToken = values['api-token'] ?? env.UMPIRE_API_TOKEN;
  return {
    umpireUrl,
    token: token === '' ? undefined : token,
    apiToken: apiToken === '' ? undefined : apiToken,
    service,
    rate: number(values.rate, '--rate', { min: 0.1, max: 1000 }) ?? 20,
    faults,
    durationMs: values.duration === undefined ? undefined : parseDuration(values.duration, '--duration'),
    port: number(values.port, '--port', { min: 0, max: 65535, integer: true }) ?? 0,
    exportIntervalMs: values.interval === undefined ? 10_000 : Math.max(1000, parseDuration(values.interval, '--interval')),
    seed: number(values.seed, '--seed', { min: 0, max: 2 ** 32 - 1, integer: true }),
    help: values.help ?? false,
  };
}

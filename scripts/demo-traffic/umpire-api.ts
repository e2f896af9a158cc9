// What the demo needs from Umpire, made through its public API only (as any user's script would), with an API
// token: the service and its two OpenTelemetry SLOs, and an ingest token unless the API token may push itself.
// Idempotent: 409 means it is already there.

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface UmpireClient {
  baseUrl: string;
  fetch: Fetch;
  /** Sent as Authorization: Bearer on every API call (the OTLP check sends the ingest token instead). */
  apiToken?: string | undefined;
}

/** What to do without an API token: said once, where it is needed. */
export const API_TOKEN_NEEDED =
  'demo:traffic needs an Umpire API token to set itself up: a service token with the write and ingest scopes ' +
  '(Tokens page, or POST /api/v1/tokens as an admin; with the admin scope too, it makes an ingest-only token to push with), ' +
  'passed as UMPIRE_API_TOKEN or --api-token. ' +
  "Next to `npm start`'s embedded demo it uses the one in .umpire/demo-token.";

/** Umpire could not be reached at all (refused, reset, DNS, timeout), or answered that it is not ready. */
export class UmpireUnreachableError extends Error {
  override readonly name = 'UmpireUnreachableError';
}

/** Umpire refused the credentials: for /v1/metrics, a wrong, revoked or expired ingest token. */
export class UmpireAuthError extends Error {
  override readonly name = 'UmpireAuthError';
}

/** Any other refusal, with Umpire's own message. */
export class UmpireApiError extends Error {
  override readonly name = 'UmpireApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;

/** The innermost cause's code or message: fetch wraps ECONNREFUSED in "fetch failed". */
function networkReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const cause = (e as { cause?: unknown }).cause;
    if (!cause) break;
    e = cause;
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return e instanceof Error ? e.message : String(e);
}

async function call(client: UmpireClient, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (client.apiToken && path.startsWith('/api/v1/') && !headers.has('authorization')) headers.set('authorization', `Bearer ${client.apiToken}`);
  try {
    return await client.fetch(`${client.baseUrl}${path}`, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const reason = (error as { name?: string } | null)?.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : networkReason(error);
    throw new UmpireUnreachableError(`Umpire is not reachable at ${client.baseUrl} (${reason}). Is it running? \`npm start\` starts it.`);
  }
}

/** Umpire's error message ({"error":{"message"}} on the API, {"message"} on /v1/metrics), or the status text. */
async function messageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; fields?: Record<string, string> }; message?: unknown };
    const fields = body.error?.fields
      ? ` (${Object.entries(body.error.fields)
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')})`
      : '';
    const message = body.error?.message ?? body.message;
    if (typeof message === 'string') return message + fields;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 300) || `${response.status} ${response.statusText}`;
}

async function postJson(client: UmpireClient, path: string, body: unknown): Promise<Response> {
  return call(client, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function refusal(c: UmpireClient, response: Response, what: string): Promise<Error> {
  const message = await messageOf(response);
  if (response.status === 401 || response.status === 403) return new UmpireAuthError(`Umpire refused to ${what} (${response.status}): ${message}`);
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new UmpireUnreachableError(`Umpire at ${c.baseUrl} is not ready (${response.status}): ${message}`);
  }
  return new UmpireApiError(`Umpire refused to ${what} (${response.status}): ${message}`, response.status);
}

/** Umpire answers and its database is reachable (GET /api/health). */
export async function checkHealth(c: UmpireClient): Promise<void> {
  const response = await call(c, '/api/health');
  if (response.status === 503) throw new UmpireUnreachableError(`Umpire at ${c.baseUrl} answers, but its database is not reachable yet`);
  if (!response.ok) throw await refusal(c, response, 'report its health');
  await response.body?.cancel();
}

/** GET /api/v1/me: what the API token may do (its scopes). */
export async function tokenScopes(c: UmpireClient): Promise<string[]> {
  const response = await call(c, '/api/v1/me');
  if (!response.ok) throw await refusal(c, response, 'say what the API token may do');
  const body = (await response.json()) as { kind?: unknown; scopes?: unknown };
  if (body.kind === 'anonymous') throw new UmpireAuthError(API_TOKEN_NEEDED);
  return Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
}

/** POST /api/v1/tokens with the ingest scope (a token with the admin and ingest scopes may); the token is in this answer only. */
export async function createIngestToken(c: UmpireClient, name: string): Promise<string> {
  const response = await postJson(c, '/api/v1/tokens', { name, scopes: ['ingest'] });
  if (response.status !== 201) throw await refusal(c, response, 'create an ingest token');
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new UmpireApiError('Umpire created a token but did not return it', response.status);
  return body.token;
}

/**
 * Presents the token to the OTLP receiver with an empty export request (zero bytes of protobuf): 200 when
 * Umpire accepts it; UmpireAuthError saying the token is wrong otherwise.
 */
export async function checkIngestToken(c: UmpireClient, token: string): Promise<void> {
  const response = await call(c, '/v1/metrics', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
  });
  if (response.status === 401) {
    throw new UmpireAuthError(
      `Umpire refused the ingest token (401: ${await messageOf(response)}). The token is wrong, revoked or expired: ` +
        'check UMPIRE_TOKEN, or unset it and a new one is created.',
    );
  }
  if (!response.ok) throw await refusal(c, response, 'accept OTLP metrics');
  await response.body?.cancel();
}

export type Ensured = 'created' | 'exists';

/** Creates a resource; 409 (its slug is taken) means it exists, and it is left as it is. */
async function ensure(c: UmpireClient, path: string, body: unknown, what: string): Promise<Ensured> {
  const response = await postJson(c, path, body);
  if (response.status === 201) {
    await response.body?.cancel();
    return 'created';
  }
  if (response.status === 409) {
    await response.body?.cancel();
    return 'exists';
  }
  throw await refusal(c, response, `create ${what}`);
}

export function ensureService(c: UmpireClient, service: Record<string, unknown> & { slug: string }): Promise<Ensured> {
  return ensure(c, '/api/v1/services', service, `service ${service.slug}`);
}

export function ensureSlo(c: UmpireClient, service: string, slo: Record<string, unknown> & { slug: string }): Promise<Ensured> {
  return ensure(c, `/api/v1/services/${encodeURIComponent(service)}/slos`, slo, `SLO ${service}/${slo.slug}`);
}

/** The histogram boundaries (seconds) the semantic conventions advise for http.server.request.duration. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The latency SLO's threshold: one of the boundaries above, as an OTLP latency SLI requires. */
export const LATENCY_THRESHOLD_SECONDS = 0.5;

export function demoService(slug: string): Record<string, unknown> & { slug: string } {
  return {
    slug,
    name: slug === 'demo-shop' ? 'Demo Shop' : slug,
    ownerTeam: 'shop',
    tier: 2,
    description: `A demo shop sending OpenTelemetry metrics to Umpire over OTLP (npm run demo:traffic, service.name=${slug}).`,
  };
}

/**
 * The HTTP templates of the SLO form (availability: status < 500; latency: at or under 0.5 s), read from this
 * service's resource only. Objective 99%: a 30% error incident burns about 30x, over the 14.4x of the default
 * 1h/5m page tier, so it pages within minutes.
 */
export function demoSlos(serviceName: string): Array<Record<string, unknown> & { slug: string }> {
  const filters = [{ kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: [serviceName] }];
  return [
    {
      slug: 'availability',
      name: 'Shop availability',
      description: 'Requests answered without a 5xx (OpenTelemetry http.server.request.duration).',
      objective: 0.99,
      sli: {
        source: 'otel',
        template: 'http_availability',
        metric: 'http.server.request.duration',
        filters,
        good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
      },
    },
    {
      slug: 'latency',
      name: 'Shop latency under 500 ms',
      description: 'Requests answered within 500 ms (OpenTelemetry http.server.request.duration).',
      objective: 0.99,
      sli: {
        source: 'otel',
        template: 'http_latency',
        metric: 'http.server.request.duration',
        filters,
        good: [{ kind: 'latency', threshold: LATENCY_THRESHOLD_SECONDS }],
      },
    },
  ];
}

export interface SetupResult {
  token: string;
  tokenCreated: boolean;
  /** What each step did, e.g. ["service demo-shop: created", "SLO demo-shop/availability: exists"]. */
  steps: string[];
  /** The service's page in Umpire's UI. */
  pageUrl: string;
}

/**
 * Everything the demo needs, in order: Umpire reachable, an ingest token (created unless given) that the OTLP
 * receiver accepts, the service and its SLOs. Throws UmpireUnreachableError (worth retrying), UmpireAuthError
 * or UmpireApiError.
 */
export async function setUpUmpire(
  c: UmpireClient,
  options: { service: string; token?: string | undefined; onTokenCreated?: (token: string) => void },
  say: (line: string) => void = () => undefined,
): Promise<SetupResult> {
  await checkHealth(c);
  if (!c.apiToken) throw new UmpireAuthError(API_TOKEN_NEEDED);
  let token = options.token;
  let tokenCreated = false;
  if (token === undefined) {
    const scopes = await tokenScopes(c);
    // A token mints only tokens within its own scopes: without ingest it can neither push nor make a token that does.
    if (!scopes.includes('ingest'))
      throw new UmpireAuthError(`The API token lacks the ingest scope (it has ${scopes.join(', ') || 'none'}). ${API_TOKEN_NEEDED}`);
    if (!scopes.includes('admin')) {
      token = c.apiToken;
      say('pushing metrics with the API token (it has the ingest scope)');
    } else {
      // An admin's token makes a narrower one to push with: the process that exports holds nothing but ingest.
      token = await createIngestToken(c, `demo-traffic (${options.service})`);
      tokenCreated = true;
      options.onTokenCreated?.(token);
      say(`created an ingest token (UMPIRE_TOKEN=${token} reuses it)`);
    }
  }
  await checkIngestToken(c, token);
  const steps: string[] = [];
  const step = (what: string, result: Ensured) => {
    const line = `${what}: ${result === 'created' ? 'created' : 'already there'}`;
    steps.push(line);
    say(line);
  };
  step(`service ${options.service}`, await ensureService(c, demoService(options.service)));
  for (const slo of demoSlos(options.service)) step(`SLO ${options.service}/${slo.slug}`, await ensureSlo(c, options.service, slo));
  return { token, tokenCreated, steps, pageUrl: `${c.baseUrl}/services/${encodeURIComponent(options.service)}` };
}

/**
 * Runs `attempt` until it does not throw UmpireUnreachableError, waiting `delayMs` between tries and telling
 * `onRetry`; other errors are thrown at once. Stops with the last error when `signal` aborts.
 */
export async function retryWhileUnreachable<T>(
  attempt: () => Promise<T>,
  { delayMs, onRetry, signal }: { delayMs: number; onRetry: (error: UmpireUnreachableError, tries: number) => void; signal?: AbortSignal },
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof UmpireUnreachableError) || signal?.aborted) throw error;
      onRetry(error, tries);
      if (signal?.aborted) throw error;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (signal?.aborted) throw error;
    }
  }
}

import { z } from 'zod';

/**
 * What went wrong talking to a Prometheus-compatible backend, as a state the UI can show:
 * unreachable (connection failed), timeout (ours or the server's), bad_query (Prometheus rejected the PromQL;
 * `message` is its own text), http (any other non-2xx answer), bad_response (2xx but not the API's JSON).
 */
export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'bad_query' | 'http' | 'bad_response';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number;
  /** Prometheus's errorType (bad_data, execution, timeout, ...), when it sent one. */
  readonly errorType?: string;

  constructor(kind: PrometheusErrorKind, message: string, options: { status?: number; errorType?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrometheusError';
    this.kind = kind;
    this.status = options.status;
    this.errorType = options.errorType;
  }
}

/** [unix seconds, value]; the value arrives as a string and "NaN", "+Inf", "-Inf" are real values. */
export type PromPoint = [time: number, value: number];
export type PromLabels = Record<string, string>;
export interface VectorSample {
  metric: PromLabels;
  value: PromPoint;
}
export interface MatrixSeries {
  metric: PromLabels;
  values: PromPoint[];
}
export type QueryData =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: PromPoint }
  | { resultType: 'string'; result: [time: number, value: string] };

export interface BuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  [key: string]: unknown;
}

export interface PrometheusClientOptions {
  /** e.g. http://prometheus:9090 or https://mimir.example.com/prometheus */
  baseUrl: string;
  /** Sent with every request (Authorization, X-Scope-OrgID, ...); never echoed in errors. */
  headers?: Record<string, string>;
  /** Per request, including reading the body; also sent to the server as its query timeout. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** Prometheus's limit on points per series in one query_range answer. */
export const MAX_POINTS_PER_SERIES = 11_000;

const FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL: Record<string, number> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };

const SampleValue = z.string().transform((text, ctx) => {
  if (Object.hasOwn(SPECIAL, text)) return SPECIAL[text]!;
  if (FLOAT.test(text)) return Number(text);
  ctx.addIssue({ code: 'custom', message: `not a sample value: ${JSON.stringify(text.slice(0, 40))}` });
  return z.NEVER;
});
const Point = z.tuple([z.number(), SampleValue]);
const Labels = z.record(z.string(), z.string());

const Data = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: Labels, value: Point })) }),
  z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: Labels, values: z.array(Point) })) }),
  z.object({ resultType: z.literal('scalar'), result: Point }),
  z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
]);

const Envelope = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data: z.unknown() }),
  z.object({ status: z.literal('error'), errorType: z.string().default(''), error: z.string() }),
]);

const BuildInfoData = z.looseObject({ version: z.string(), revision: z.string().optional(), branch: z.string().optional() });

/** Client for the Prometheus HTTP API (/api/v1), which Thanos, Mimir, Cortex and VictoriaMetrics also serve. */
export class PrometheusClient {
  /** Origin and path prefix, without credentials or query string. */
  readonly baseUrl: string;
  private readonly search: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('baseUrl must be an http(s) URL');
    this.headers = { ...options.headers };
    // fetch refuses URLs with credentials: user:password@ becomes Basic auth unless a header already says.
    if ((url.username || url.password) && !Object.keys(this.headers).some((h) => h.toLowerCase() === 'authorization')) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      this.headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.search = url.search;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new RangeError('timeoutMs must be above 0');
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  /** Instant query; POSTed as a form so long queries fit. */
  async query(expr: string, time: Date, options: { signal?: AbortSignal } = {}): Promise<QueryData> {
    const body = new URLSearchParams({ query: expr, time: unixSeconds(time), timeout: this.serverTimeout() });
    return this.parseData(await this.call('/api/v1/query', body, options.signal));
  }

  /** Range query: one point per `stepSeconds` from start to end inclusive, at most 11,000 per series. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number, options: { signal?: AbortSignal } = {}): Promise<MatrixSeries[]> {
    if (!(stepSeconds > 0)) throw new RangeError('stepSeconds must be above 0');
    if (end.getTime() < start.getTime()) throw new RangeError('end must not be before start');
    const points = Math.floor((end.getTime() - start.getTime()) / 1000 / stepSeconds) + 1;
    if (points > MAX_POINTS_PER_SERIES) throw new RangeError(`${points} points per series is above Prometheus's limit of ${MAX_POINTS_PER_SERIES}`);
    const body = new URLSearchParams({
      query: expr,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
      timeout: this.serverTimeout(),
    });
    const data = this.parseData(await this.call('/api/v1/query_range', body, options.signal));
    if (data.resultType !== 'matrix') throw new PrometheusError('bad_response', `query_range answered a ${data.resultType}, not a matrix`);
    return data.result;
  }

  /** Version and revision, or null when the backend does not serve /api/v1/status/buildinfo (404). */
  async buildInfo(options: { signal?: AbortSignal } = {}): Promise<BuildInfo | null> {
    const answer = await this.call('/api/v1/status/buildinfo', undefined, options.signal, [404]);
    if (answer === null) return null;
    const parsed = BuildInfoData.safeParse(answer);
    if (!parsed.success) throw new PrometheusError('bad_response', 'buildinfo answer has no version', { cause: parsed.error });
    return parsed.data;
  }

  private serverTimeout(): string {
    return `${Math.max(1, Math.ceil(this.timeoutMs / 1000))}s`;
  }

  /** The endpoint without credentials or query string, for messages. */
  private safeUrl(path: string): string {
    return this.baseUrl + path;
  }

  private parseData(data: unknown): QueryData {
    const parsed = Data.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? ` at ${issue.path.join('.') || 'data'}: ${issue.message}` : '';
      throw new PrometheusError('bad_response', `unexpected answer from Prometheus${where}`, { cause: parsed.error });
    }
    return parsed.data as QueryData;
  }

  /**
   * One request: GET without a body, else a form POST. Resolves to the envelope's `data`, or null for a status
   * in `nullOn`; throws PrometheusError for everything else.
   */
  private async call(path: string, body: URLSearchParams | undefined, signal: AbortSignal | undefined, nullOn: number[] = []): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    const headers: Record<string, string> = { ...this.headers, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';

    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.baseUrl + path + this.search, { method: body ? 'POST' : 'GET', headers, body, signal: combined });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new PrometheusError('timeout', `no answer from ${this.safeUrl(path)} within ${this.timeoutMs} ms`, { cause: error });
      }
      if (signal?.aborted) throw signal.reason;
      throw new PrometheusError('unreachable', `cannot reach ${this.safeUrl(path)}: ${describeNetworkError(error)}`, { cause: error });
    }

    if (nullOn.includes(response.status)) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = Envelope.safeParse(json);
    const envelope = parsed.success ? parsed.data : undefined;
    if (envelope?.status === 'error') {
      const { errorType, error } = envelope;
      const status = response.status;
      if (errorType === 'bad_data' || errorType === 'execution') throw new PrometheusError('bad_query', error, { status, errorType });
      if (errorType === 'timeout' || errorType === 'canceled') throw new PrometheusError('timeout', error, { status, errorType });
      throw new PrometheusError('http', `Prometheus answered HTTP ${status} (${errorType || 'error'}): ${error}`, { status, errorType });
    }
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? ': check the data source credentials'
          : response.status === 404
            ? ': check the data source URL'
            : '';
      throw new PrometheusError('http', `Prometheus answered HTTP ${response.status}${hint}`, { status: response.status });
    }
    if (envelope === undefined) {
      const type = response.headers.get('content-type') ?? 'no content type';
      const what = json === undefined ? `a body that is not JSON (${type})` : 'JSON that is not a Prometheus API answer';
      throw new PrometheusError('bad_response', `${this.safeUrl(path)} answered with ${what}`, { status: response.status });
    }
    return envelope.data;
  }
}

/** Seconds with millisecond precision, as the API takes them. */
function unixSeconds(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date');
  return (ms / 1000).toString();
}

/** "ECONNREFUSED" rather than undici's generic "fetch failed". */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause && typeof cause === 'object') {
      const code = (cause as { code?: unknown }).code;
      const message = (cause as { message?: unknown }).message;
      if (typeof code === 'string') return code;
      if (typeof message === 'string') return message;
    }
    return error.message;
  }
  return String(error);
}

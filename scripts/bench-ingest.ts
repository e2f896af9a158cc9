/**
 * `npm run bench:ingest`: OTLP ingest throughput, end to end (the POST /v1/metrics route handler: token check,
 * protobuf decode, ingestOtlp into PostgreSQL), on requests the OpenTelemetry JS SDK serializes, next to two
 * baselines measured in the same process: decode only, and the raw PostgreSQL cost of the same statements.
 * Creates its own database (PostgreSQL at TEST_ADMIN_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/
 * postgres), dropped on exit.
 * Options: --services N (200; 2 otel SLOs each), --rounds N (12), --concurrency N (3), --per-request N (1000),
 * --gzip (compress bodies, as an exporter with compression: 'gzip' would), --bound (the token is bound to the
 * services' team and pinned to their 200 service.names: every point checked against its binding), --keep (leave
 * the database).
 */
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Meter } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { DataPointType, type HistogramMetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import pg from 'pg';
import { POST as receive } from '../app/v1/metrics/route';
import { systemActor } from '../lib/auth/authorize';
import { db } from '../lib/db/client';
import { decodeMetricsBody } from '../lib/otlp/decode';
import type { MetricsRequest } from '../lib/otlp/model';
import { OtelSli, otelTemplate, TokenInput } from '../lib/schemas';
import { applyPlan, planIngest, type MinuteIncrease } from '../lib/sources/otel/plan';
import type { SeriesState } from '../lib/sources/otel/series';
import { encodeState } from '../lib/sources/otel/state-codec';
import { compileOtelSli, type CompiledOtelSli } from '../lib/sources/otel/sli-match';
import { createApiToken } from '../lib/use-cases/access/api-tokens';
import { createTestDatabase } from '../test/database';
import { collectSdkMetrics } from '../test/otel/sdk-payloads';

const SYSTEM = systemActor('bench-ingest');

const MIN = 60_000;
const TARGET_POINTS_PER_SECOND = 50_000;
/** The semantic conventions' boundaries for http.server.request.duration (seconds). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const THRESHOLD = 0.5;
/** A collector's batch: this many services' SDK exports in one request (one ResourceMetrics each). */
const SERVICES_PER_REQUEST = 5;
/** Of each service's points, this share is a metric no SLO reads (http.client.request.duration): dropped. */
const UNREAD_SHARE = 0.1;

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '3' },
    'per-request': { type: 'string', default: '1000' },
    gzip: { type: 'boolean', default: false },
    bound: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const SERVICES = Number(args.services);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);
const PER_REQUEST = Number(args['per-request']);
const POINTS_PER_SERVICE = PER_REQUEST / SERVICES_PER_REQUEST;
if (![SERVICES, ROUNDS, CONCURRENCY, POINTS_PER_SERVICE].every((n) => Number.isInteger(n) && n > 0) || SERVICES % SERVICES_PER_REQUEST !== 0 || ROUNDS < 2) {
  throw new Error(`--services must be a multiple of ${SERVICES_PER_REQUEST}, --per-request of ${SERVICES_PER_REQUEST}, --rounds at least 2`);
}

setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_TELEMETRY = 'off';
process.env.UMPIRE_LOG_LEVEL ??= 'error';

const log = (text = '') => process.stdout.write(`${text}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number) => `${fmt(bytes / 1_048_576)} MiB`;

/** Deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const serviceName = (i: number) => `bench-svc-${String(i).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------------------------------
// Payloads: each service's SDK records one minute of traffic once; round r re-times that export to minute r with
// every cumulative count multiplied by r + 1 (a steady rate), and serializes it as OTLPMetricExporter would.

interface ServiceTemplate {
  resourceMetrics: ResourceMetrics;
  /** Per data point of every histogram: its one-minute count, bucket counts and sum. */
  base: Array<{ count: number; counts: number[]; sum: number; min: number; max: number }>;
  /** One minute's events of the server metric: all, good for availability (status < 500), good for latency. */
  perMinute: { total: number; available: number; fast: number };
  /** Points per round: read by the SLOs, and not. */
  readPoints: number;
  unreadPoints: number;
}

const STATUSES = [200, 404, 503];

async function serviceTemplate(i: number): Promise<ServiceTemplate> {
  const rand = random(1000 + i);
  const serverSeries = Math.round(POINTS_PER_SERVICE * (1 - UNREAD_SHARE));
  const clientSeries = POINTS_PER_SERVICE - serverSeries;
  const routes = Math.ceil(serverSeries / (STATUSES.length * 2));
  const perMinute = { total: 0, available: 0, fast: 0 };
  const resourceMetrics = await collectSdkMetrics({
    resource: {
      'service.name': serviceName(i),
      'service.version': '2.7.1',
      'service.namespace': 'bench',
      'service.instance.id': randomUUID(),
      'deployment.environment.name': 'production',
      'host.name': `node-${i % 17}`,
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.12.0',
    },
    scope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
    record: (meter: Meter) => {
      const server = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
      const client = meter.createHistogram('http.client.request.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
      let made = 0;
      for (let r = 0; r < routes && made < serverSeries; r++) {
        for (const status of STATUSES) {
          for (const protocol of ['1.1', '2']) {
            if (made++ >= serverSeries) break;
            const attributes = {
              'http.request.method': r % 4 === 3 ? 'POST' : 'GET',
              'http.route': `/api/v2/resource-${r}/{id}`,
              'http.response.status_code': status,
              'url.scheme': 'https',
              'network.protocol.name': 'http',
              'network.protocol.version': protocol,
              'server.address': 'shop.example.com',
              'server.port': 443,
              ...(status >= 500 ? { 'error.type': String(status) } : {}),
            };
            const n = status === 200 ? 20 + Math.floor(rand() * 80) : status === 404 ? 1 + Math.floor(rand() * 4) : 1 + Math.floor(rand() * 2);
            for (let k = 0; k < n; k++) {
              const seconds = 0.02 * Math.exp(1.1 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
              server.record(seconds, attributes);
              perMinute.total++;
              if (status < 500) perMinute.available++;
              if (seconds <= THRESHOLD) perMinute.fast++;
            }
          }
        }
      }
      for (let c = 0; c < clientSeries; c++) {
        client.record(0.01 + rand() * 0.2, {
          'http.request.method': 'GET',
          'server.address': `dependency-${c}.internal`,
          'server.port': 8080,
          'http.response.status_code': 200,
          'url.scheme': 'http',
        });
      }
    },
  });
  const base: ServiceTemplate['base'] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`unexpected ${metric.descriptor.name}`);
      for (const p of (metric as HistogramMetricData).dataPoints) {
        base.push({ count: p.value.count, counts: [...p.value.buckets.counts], sum: p.value.sum ?? 0, min: p.value.min ?? 0, max: p.value.max ?? 0 });
      }
    }
  }
  return { resourceMetrics, base, perMinute, readPoints: serverSeries, unreadPoints: clientSeries };
}

const msToHr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

/** The body OTLPMetricExporter would send at minute `round`: cumulative counts since `startMs`. */
function serializeRound(template: ServiceTemplate, round: number, startMs: number, firstMs: number): Uint8Array {
  let k = 0;
  const factor = round + 1;
  const startTime = msToHr(startMs);
  const endTime = msToHr(firstMs + round * MIN);
  const resourceMetrics: ResourceMetrics = {
    resource: template.resourceMetrics.resource,
    scopeMetrics: template.resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: (scope.metrics as HistogramMetricData[]).map((metric) => ({
        ...metric,
        dataPoints: metric.dataPoints.map((p) => {
          const b = template.base[k++]!;
          const buckets = { boundaries: p.value.buckets.boundaries, counts: b.counts.map((c) => c * factor) };
          return { ...p, startTime, endTime, value: { ...p.value, count: b.count * factor, sum: b.sum * factor, buckets } };
        }),
      })),
    })),
  };
  const body = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (!body) throw new Error('the serializer produced no body');
  return body;
}

interface Body {
  bytes: Uint8Array;
  readPoints: number;
  points: number;
}

/** One round's requests: SERVICES_PER_REQUEST services each (repeated resource_metrics concatenate in protobuf). */
function roundBodies(templates: ServiceTemplate[], round: number, startMs: number, firstMs: number): Body[] {
  const bodies: Body[] = [];
  for (let i = 0; i < templates.length; i += SERVICES_PER_REQUEST) {
    const group = templates.slice(i, i + SERVICES_PER_REQUEST);
    const raw = Buffer.concat(group.map((t) => serializeRound(t, round, startMs, firstMs)));
    bodies.push({
      bytes: args.gzip ? gzipSync(raw) : raw,
      readPoints: group.reduce((n, t) => n + t.readPoints, 0),
      points: group.reduce((n, t) => n + t.readPoints + t.unreadPoints, 0),
    });
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------------------------

interface Run {
  label: string;
  requests: number;
  points: number;
  accepted: number;
  ms: number;
  latencies: number[];
  peakRss: number;
  peakHeap: number;
  /** This process's CPU time (user + system): above ms, more than one core's worth (libuv, GC threads). */
  cpuMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Runs `work` over `items` with `concurrency` workers; per-item latency, wall time and peak memory (50 ms samples). */
async function measure<T>(label: string, items: T[], concurrency: number, work: (item: T) => Promise<{ points: number; accepted: number }>): Promise<Run> {
  collectGarbage();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const latencies: number[] = [];
  let points = 0;
  let accepted = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, items.length) }, async () => {
        while (next < items.length) {
          const item = items[next++]!;
          const t = performance.now();
          const result = await work(item);
          latencies.push(performance.now() - t);
          points += result.points;
          accepted += result.accepted;
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const m = process.memoryUsage();
  return {
    label,
    requests: items.length,
    points,
    accepted,
    ms,
    latencies: latencies.sort((a, b) => a - b),
    peakRss: Math.max(peakRss, m.rss),
    peakHeap: Math.max(peakHeap, m.heapUsed),
    cpuMs: (used.user + used.system) / 1000,
  };
}

function merge(label: string, runs: Run[]): Run {
  return {
    label,
    requests: runs.reduce((n, r) => n + r.requests, 0),
    points: runs.reduce((n, r) => n + r.points, 0),
    accepted: runs.reduce((n, r) => n + r.accepted, 0),
    ms: runs.reduce((n, r) => n + r.ms, 0),
    latencies: runs.flatMap((r) => r.latencies).sort((a, b) => a - b),
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    peakHeap: Math.max(...runs.map((r) => r.peakHeap)),
    cpuMs: runs.reduce((n, r) => n + r.cpuMs, 0),
  };
}

const perSecond = (r: Run, key: 'points' | 'accepted' | 'requests') => (r[key] / r.ms) * 1000;

// ---------------------------------------------------------------------------------------------------------------
// The raw PostgreSQL baseline: the statements ingestOtlp runs per request (series rows, their states, the bucket
// and freshness upserts), through node-postgres without Prisma, on copies of the tables.

const RAW_TABLES = `
  CREATE TABLE bench_otel_series (LIKE otel_series INCLUDING ALL);
  CREATE TABLE bench_sli_buckets (LIKE sli_buckets INCLUDING ALL);
  CREATE TABLE bench_slo_evaluations (LIKE slo_evaluations INCLUDING ALL);`;

interface RawRequest {
  /** The round that creates the series. */
  first: boolean;
  ids: string[];
  metrics: string[];
  changed: Array<[string, SeriesState]>;
  increases: MinuteIncrease[];
  points: number;
}

/** Milliseconds spent in each raw statement, summed over requests (time waiting for a lock included). */
const statementMs = new Map<string, number>();

async function rawStore(pool: pg.Pool, r: RawRequest, at: string, bucketsOnly: boolean): Promise<void> {
  const client = await pool.connect();
  const run = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, params);
    statementMs.set(name, (statementMs.get(name) ?? 0) + performance.now() - t);
  };
  try {
    await client.query('BEGIN');
    if (!bucketsOnly && r.first) {
      // A request with new series: placeholders, then the rows locked, then their states (ingest's locking path).
      await run(
        'INSERT series placeholders',
        `INSERT INTO bench_otel_series (id, metric, version, state, updated_at)
         SELECT decode(u.h, 'hex'), u.m, 0, NULL, $3::timestamptz
         FROM unnest($1::text[], $2::text[]) AS u(h, m) ORDER BY u.h ON CONFLICT (id) DO NOTHING`,
        [r.ids, r.metrics, at],
      );
      await run(
        'SELECT series FOR UPDATE',
        `SELECT id, version, state FROM bench_otel_series WHERE id = ANY(SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h) ORDER BY id FOR UPDATE`,
        [r.ids],
      );
    }
    if (!bucketsOnly) {
      // Every request: the states written, guarded by version (ingest's steady state: series cached).
      await run(
        'UPDATE series states',
        `UPDATE bench_otel_series s SET state = u.st, version = s.version + 1, updated_at = $3::timestamptz
         FROM unnest($1::text[], $2::bytea[]) AS u(h, st)
         WHERE s.id = decode(u.h, 'hex') AND s.version = s.version`,
        [r.changed.map(([id]) => id), r.changed.map(([, state]) => encodeState(state)), at],
      );
    }
    const sorted = [...r.increases].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : a.minute - b.minute));
    await run(
      'INSERT sli_buckets upsert',
      `INSERT INTO bench_sli_buckets (slo_id, start, good, total)
       SELECT u.i, u.s, u.g, u.t FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::float8[]) WITH ORDINALITY AS u(i, s, g, t, n)
       WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i) ORDER BY u.n
       ON CONFLICT (slo_id, start) DO UPDATE SET good = bench_sli_buckets.good + EXCLUDED.good, total = bench_sli_buckets.total + EXCLUDED.total`,
      [sorted.map((i) => i.sloId), sorted.map((i) => new Date(i.minute).toISOString()), sorted.map((i) => i.good), sorted.map((i) => i.total)],
    );
    if (!bucketsOnly) {
      const span = new Map<string, { from: number; to: number }>();
      for (const i of sorted) {
        const s = span.get(i.sloId);
        if (!s) span.set(i.sloId, { from: i.minute, to: i.minute + MIN });
        else {
          s.from = Math.min(s.from, i.minute);
          s.to = Math.max(s.to, i.minute + MIN);
        }
      }
      const slos = [...span.keys()];
      await run(
        'INSERT slo_evaluations upsert',
        `INSERT INTO bench_slo_evaluations AS e (slo_id, history_from, complete_from, fresh_until, last_success_at, last_attempt_at, updated_at)
         SELECT u.i, u.f, u.f, u.t, $4::timestamptz, $4::timestamptz, $4::timestamptz
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(i, f, t)
         WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.i) ORDER BY u.i
         ON CONFLICT (slo_id) DO UPDATE SET
           history_from = LEAST(coalesce(e.history_from, EXCLUDED.history_from), EXCLUDED.history_from),
           complete_from = LEAST(coalesce(e.complete_from, EXCLUDED.complete_from), EXCLUDED.complete_from),
           fresh_until = GREATEST(coalesce(e.fresh_until, EXCLUDED.fresh_until), EXCLUDED.fresh_until),
           last_success_at = EXCLUDED.last_success_at, last_attempt_at = EXCLUDED.last_attempt_at,
           stale_since = NULL, last_error = NULL, last_error_kind = NULL, updated_at = EXCLUDED.updated_at`,
        [slos, slos.map((id) => new Date(span.get(id)!.from).toISOString()), slos.map((id) => new Date(span.get(id)!.to).toISOString()), at],
      );
    }
    await run('COMMIT', 'COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let pool: pg.Pool | undefined;
  const cleanup = async () => {
    await pool?.end().catch(() => undefined);
    await db()
      .$disconnect()
      .catch(() => undefined);
    if (database && !args.keep)
      await database.drop().catch((error: unknown) => process.stderr.write(`could not drop the benchmark database: ${String(error)}\n`));
    else if (database) log(`kept the database: ${database.url}`);
    database = undefined;
    pool = undefined;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const requestsPerRound = SERVICES / SERVICES_PER_REQUEST;
    log(
      `bench:ingest — ${SERVICES} services x 2 otel SLOs, ${ROUNDS} rounds of ${requestsPerRound} requests x ${PER_REQUEST} histogram points (${SERVICES_PER_REQUEST} services per request, ${Math.round(UNREAD_SHARE * 100)}% of points unread), ${CONCURRENCY} concurrent, ${args.gzip ? 'gzip' : 'uncompressed'} protobuf, ${args.bound ? 'a token bound to the team and pinned to the services' : 'a token of every team'}; node ${process.version} ${process.execArgv.filter((a) => a.startsWith('--max')).join(' ') || '(default V8 heap settings)'} (npm start runs the server with --max-semi-space-size=32 too)`,
    );
    let t = performance.now();
    database = await createTestDatabase('umpire_bench_ingest');
    process.env.DATABASE_URL = database.url; // read when the client is first used, just below
    log(`database ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Services and SLOs: the HTTP templates of the SLO form, each filtered to its service's resource.
    const services = Array.from({ length: SERVICES }, (_, i) => ({ id: randomUUID(), slug: serviceName(i), name: `Bench ${i}`, ownerTeam: 'bench', tier: 2 }));
    await db().service.createMany({ data: services });
    const sloRows = services.flatMap((s) => {
      const filters = [{ kind: 'match' as const, attribute: 'service.name', scope: 'resource' as const, operator: 'in' as const, values: [s.slug] }];
      return [
        {
          id: randomUUID(),
          serviceId: s.id,
          slug: 'availability',
          name: 'Availability',
          objective: 0.999,
          window: { kind: 'rolling', days: 30 },
          budgeting: { method: 'occurrences' },
          sli: OtelSli.parse({ source: 'otel', ...otelTemplate('http_availability'), filters }),
        },
        {
          id: randomUUID(),
          serviceId: s.id,
          slug: 'latency',
          name: 'Latency',
          objective: 0.99,
          window: { kind: 'rolling', days: 30 },
          budgeting: { method: 'occurrences' },
          sli: OtelSli.parse({ source: 'otel', ...otelTemplate('http_latency', THRESHOLD), filters }),
        },
      ];
    });
    await db().slo.createMany({ data: sloRows });
    const bindings = args.bound ? { teams: ['bench'], serviceNames: services.map((s) => s.slug) } : {};
    const { token } = await createApiToken({ actor: SYSTEM, input: TokenInput.parse({ name: 'bench', scopes: ['ingest'], ...bindings }) });

    t = performance.now();
    const templates: ServiceTemplate[] = [];
    for (let i = 0; i < SERVICES; i++) templates.push(await serviceTemplate(i));
    const firstMs = Math.floor(Date.now() / MIN) * MIN - (ROUNDS + 2) * MIN + 30_000;
    const startMs = firstMs - 90_000; // the services started 1.5 minutes before the first export: counted from zero
    const sample = roundBodies(templates, 0, startMs, firstMs);
    const bytes = sample.reduce((n, b) => n + b.bytes.byteLength, 0) / sample.length;
    log(
      `SDK exports recorded for ${SERVICES} services in ${((performance.now() - t) / 1000).toFixed(1)} s; a request is ${fmt(bytes / 1024)} KiB (${fmt(bytes / PER_REQUEST)} bytes per point)`,
    );

    // --- end to end, through the route handler, round by round (a round's requests run concurrently) ---------
    const headers = { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}`, ...(args.gzip ? { 'content-encoding': 'gzip' } : {}) };
    let refusedMessage = '';
    const post = async (body: Body) => {
      const response = await receive(new Request('http://umpire.bench/v1/metrics', { method: 'POST', headers, body: body.bytes as BodyInit }));
      const answer = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`POST /v1/metrics answered ${response.status}: ${Buffer.from(answer).toString()}`);
      const partial = answer.byteLength > 0 ? ProtobufMetricsSerializer.deserializeResponse(answer).partialSuccess : undefined;
      const rejected = Number(partial?.rejectedDataPoints ?? 0);
      if (rejected > 0) refusedMessage ||= partial?.errorMessage ?? '';
      return { points: body.points, accepted: body.readPoints - rejected };
    };
    const runs: Run[] = [];
    let generationMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      t = performance.now();
      const bodies = round === 0 ? sample : roundBodies(templates, round, startMs, firstMs);
      generationMs += performance.now() - t;
      const run = await measure(round === 0 ? 'round 1 (new series)' : `round ${round + 1}`, bodies, CONCURRENCY, post);
      runs.push(run);
      log(
        `  ${run.label.padEnd(22)} ${(run.ms / 1000).toFixed(2).padStart(6)} s  ${fmt(perSecond(run, 'accepted')).padStart(8)} points/s accepted  p50 ${fmt(percentile(run.latencies, 0.5)).padStart(4)} ms  p99 ${fmt(percentile(run.latencies, 0.99)).padStart(5)} ms`,
      );
    }
    if (refusedMessage) log(`  Umpire refused points: ${refusedMessage}`);
    const steady = merge('end to end, steady state', runs.slice(1));
    const first = runs[0]!;

    // --- correctness: every increase sent is in sli_buckets exactly once ---------------------------------------
    const expected = templates.reduce(
      (sum, tpl) => ({
        total: sum.total + tpl.perMinute.total * ROUNDS,
        available: sum.available + tpl.perMinute.available * ROUNDS,
        fast: sum.fast + tpl.perMinute.fast * ROUNDS,
      }),
      { total: 0, available: 0, fast: 0 },
    );
    const stored = await db().$queryRaw<Array<{ slug: string; good: number; total: number }>>`
      SELECT sl.slug, sum(b.good)::float8 AS good, sum(b.total)::float8 AS total
      FROM sli_buckets b JOIN slos sl ON sl.id = b.slo_id GROUP BY sl.slug`;
    const perService = await db().$queryRaw<Array<{ service: string; slug: string; good: number; total: number }>>`
      SELECT s.slug AS service, sl.slug, coalesce(sum(b.good), 0)::float8 AS good, coalesce(sum(b.total), 0)::float8 AS total
      FROM slos sl JOIN services s ON s.id = sl.service_id LEFT JOIN sli_buckets b ON b.slo_id = sl.id GROUP BY s.slug, sl.slug`;
    const byService = new Map(templates.map((tpl, i) => [serviceName(i), tpl.perMinute]));
    const wrong = perService.filter((row) => {
      const m = byService.get(row.service)!;
      const good = row.slug === 'availability' ? m.available * ROUNDS : m.fast * ROUNDS;
      return row.total !== m.total * ROUNDS || row.good !== good;
    });
    const availability = stored.find((r) => r.slug === 'availability');
    const latency = stored.find((r) => r.slug === 'latency');
    const seriesRows = Number((await db().$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM otel_series`)[0]!.n);
    const correct = wrong.length === 0 && availability?.total === expected.total && latency?.total === expected.total;

    // --- baselines in this process: decode only; plan only; the same SQL through node-postgres ----------------
    const decodeOpts = { contentType: 'application/x-protobuf', contentEncoding: args.gzip ? 'gzip' : null, maxDecodedBytes: 64 * 1024 * 1024 };
    const baselineRounds = Math.min(3, ROUNDS);
    const baselineBodies = Array.from({ length: baselineRounds }, (_, r) => roundBodies(templates, r, startMs, firstMs));
    const decodeRun = await measure('decode only (1 thread)', baselineBodies.flat(), 1, async (body) => {
      decodeMetricsBody(body.bytes, decodeOpts);
      return { points: body.points, accepted: body.readPoints };
    });
    const index = new Map<string, Array<CompiledOtelSli & { sloId: string }>>();
    for (const row of sloRows) {
      const compiled = { ...compileOtelSli(row.sli), sloId: row.id };
      index.set(compiled.metric, [...(index.get(compiled.metric) ?? []), compiled]);
    }
    const planRuns: Run[] = [];
    // The raw statements for each request, with the states ingest would have stored before it.
    const states = new Map<string, SeriesState>();
    const raw: RawRequest[][] = [];
    for (const [roundIndex, round] of baselineBodies.entries()) {
      const decoded = round.map((body) => ({ body, request: decodeMetricsBody(body.bytes, decodeOpts) as MetricsRequest }));
      planRuns.push(
        await measure('plan only (1 thread)', decoded, 1, async ({ body, request }) => {
          const plan = planIngest(request, index, new Date());
          applyPlan(plan.series, states);
          return { points: body.points, accepted: plan.accepted };
        }),
      );
      raw.push(
        decoded.map(({ request }) => {
          const plan = planIngest(request, index, new Date());
          const series = [...plan.series].sort((a, b) => Buffer.compare(a.id, b.id));
          const applied = applyPlan(series, states);
          const changed = [...applied.states].filter((e): e is [string, SeriesState] => e[1] !== null);
          for (const [id, state] of changed) states.set(id, state);
          return {
            first: roundIndex === 0,
            ids: series.map((s) => s.id.toString('hex')),
            metrics: series.map((s) => s.metric),
            changed,
            increases: applied.increases,
            points: plan.accepted,
          };
        }),
      );
    }
    const planRun = merge('plan only (1 thread)', planRuns);

    baselineBodies.length = 0;
    pool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY + 1 });
    await pool.query(RAW_TABLES);
    const at = new Date().toISOString();
    const rawRuns: Run[] = [];
    for (const [r, round] of raw.entries()) {
      if (r === 1) statementMs.clear(); // the breakdown is of the steady state
      const run = await measure(`raw SQL round ${r + 1}`, round, CONCURRENCY, async (req) => {
        await rawStore(pool!, req, at, false);
        return { points: req.points, accepted: req.points };
      });
      rawRuns.push(run);
    }
    const rawSteady = merge(`raw SQL (node-postgres, ${CONCURRENCY} concurrent), steady state`, rawRuns.slice(1));
    const statements = [...statementMs].map(([name, ms]) => `${name} ${fmt(ms / rawSteady.requests, 1)} ms`).join(', ');
    await pool.query('TRUNCATE bench_sli_buckets');
    const bucketRun = await measure(`bucket upserts only (${CONCURRENCY} concurrent)`, raw.slice(1).flat(), CONCURRENCY, async (req) => {
      await rawStore(pool!, req, at, true);
      return { points: req.points, accepted: req.points };
    });

    // --- report ------------------------------------------------------------------------------------------------
    const steadyRate = perSecond(steady, 'accepted');
    log('');
    log('| measured | requests | points/s accepted | requests/s | p50 | p99 | Node CPU | peak RSS | peak heap |');
    log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const row = (r: Run) =>
      log(
        `| ${r.label} | ${fmt(r.requests)} | ${fmt(perSecond(r, 'accepted'))} | ${fmt(perSecond(r, 'requests'), 1)} | ${fmt(percentile(r.latencies, 0.5), 1)} ms | ` +
          `${fmt(percentile(r.latencies, 0.99), 1)} ms | ${fmt((100 * r.cpuMs) / r.ms)}% | ${mib(r.peakRss)} | ${mib(r.peakHeap)} |`,
      );
    row(first);
    row(steady);
    row(decodeRun);
    row(planRun);
    row(merge(`raw SQL, round 1 (new series)`, rawRuns.slice(0, 1)));
    row(rawSteady);
    row(bucketRun);
    log('');
    log(
      `end to end, steady state: ${fmt(steadyRate)} accepted points/s (${fmt(perSecond(steady, 'points'))} points/s received, the unread ${Math.round(UNREAD_SHARE * 100)}% dropped) — target ${fmt(TARGET_POINTS_PER_SECOND)}: ${steadyRate >= TARGET_POINTS_PER_SECOND ? 'MET' : 'MISSED'}`,
    );
    log(
      `as ratios: decode alone is ${(perSecond(decodeRun, 'accepted') / steadyRate).toFixed(1)}x faster on one thread; plan alone ${(perSecond(planRun, 'accepted') / steadyRate).toFixed(1)}x; the database statements alone ${(perSecond(rawSteady, 'accepted') / steadyRate).toFixed(2)}x (${fmt(perSecond(rawSteady, 'accepted'))} points/s)`,
    );
    log(
      `per request of ${PER_REQUEST} points: decode ${fmt(decodeRun.ms / decodeRun.requests, 1)} ms, plan ${fmt(planRun.ms / planRun.requests, 1)} ms, raw SQL ${fmt(percentile(rawSteady.latencies, 0.5), 1)} ms (p50 at ${CONCURRENCY} concurrent), end to end ${fmt(percentile(steady.latencies, 0.5), 1)} ms (p50)`,
    );
    log(`raw SQL per request, steady state: ${statements}`);
    log(`payload generation (SDK serializer, not timed above): ${fmt(generationMs / (ROUNDS - 1), 0)} ms per round`);
    log(
      `correctness: ${fmt(expected.total)} events sent per SLO kind; sli_buckets hold ${fmt(availability?.total ?? 0)} (availability, good ${fmt(availability?.good ?? 0)} of ${fmt(expected.available)} expected) and ${fmt(latency?.total ?? 0)} (latency, good ${fmt(latency?.good ?? 0)} of ${fmt(expected.fast)}); ` +
        `${wrong.length} of ${perService.length} SLOs differ; ${fmt(seriesRows)} series stored — ${correct ? 'OK' : 'WRONG'}`,
    );
    if (!correct) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`bench:ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

/**
 * `npm run bench:evaluator`: evaluator cycles over 1,000 and then 10,000 Prometheus SLOs against a real
 * Prometheus, per cycle: wall time, PromQL requests, bucket rows written, peak memory; the per-SLO path on
 * the 1,000 SLOs as the baseline. Creates its own database (PostgreSQL at TEST_ADMIN_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres) and Prometheus (/usr/bin/prometheus), removed on exit.
 * Options: --cycles N (default 3), --baseline-cycles N (default 2), --jobs N (default 200).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { systemActor } from '../lib/auth/authorize';
import { db } from '../lib/db/client';
import { SliSpec } from '../lib/schemas';
import { createDataSource } from '../lib/use-cases/datasources/create-data-source';
import { evaluateAll } from '../lib/use-cases/evaluation/evaluate-all';
import { createTestDatabase } from '../test/database';
import { startPrometheus, type RunningPrometheus } from '../test/prometheus/harness';

const SYSTEM = systemActor('bench-evaluator');

const MIN = 60_000;
const SCRAPE_MS = 15_000;
const BLOCK_MS = 2 * 3_600_000;
const HISTORY_MINUTES = 100;
const DATASOURCES = ['bench-a', 'bench-b', 'bench-c'];
const INSTANCES = ['0', '1'];
const CODES = ['200', '404', '500', '503'];
const BOUNDARIES = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const THRESHOLDS = [0.1, 0.25, 0.5, 1];
/** One SLO in this many has advanced PromQL, which cannot be grouped: the per-SLO fallback is measured too. */
const ADVANCED_EVERY = 200;

const { values: args } = parseArgs({
  options: { cycles: { type: 'string', default: '3' }, 'baseline-cycles': { type: 'string', default: '2' }, jobs: { type: 'string', default: '200' } },
});
const CYCLES = Number(args.cycles);
const BASELINE_CYCLES = Number(args['baseline-cycles']);
const JOBS = Array.from({ length: Number(args.jobs) }, (_, i) => `svc-${String(i).padStart(3, '0')}`);

/** A full garbage collection before each cycle, so its peak heap is its own (and not the data generator's). */
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_LOG_LEVEL ??= 'error';

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

/**
 * OpenMetrics for every job: http_requests_total by instance and code, and a classic latency histogram;
 * scraped every 15 s (instance "1" 7 s later) for HISTORY_MINUTES up to `end`; every seventh job's
 * instance "1" restarts half-way (a counter reset). One text per 2-hour block, for promtool.
 */
function openMetrics(end: number): { parts: string[]; series: number; samples: number } {
  const rand = random(7);
  const start = end - HISTORY_MINUTES * MIN;
  const blocks = new Map<number, string[]>();
  const push = (t: number, line: string) => {
    const block = Math.floor(t / BLOCK_MS);
    const lines = blocks.get(block) ?? [];
    lines.push(line);
    blocks.set(block, lines);
  };
  let series = 0;
  let samples = 0;
  const counter = (name: string, labels: string, offsetMs: number, perScrape: () => number, resets: boolean) => {
    series++;
    let value = 0;
    for (let t = start + offsetMs; t <= end; t += SCRAPE_MS) {
      if (resets && t >= start + (HISTORY_MINUTES / 2) * MIN && t < start + (HISTORY_MINUTES / 2) * MIN + SCRAPE_MS) value = 0;
      value += perScrape();
      push(t, `${name}{${labels}} ${value} ${t / 1000}`);
      samples++;
    }
  };
  // Families must be contiguous in OpenMetrics: all requests first, then all histograms.
  const families: Array<[string, string, () => void]> = [
    [
      'http_requests',
      'counter',
      () => {
        JOBS.forEach((job, j) => {
          for (const [i, instance] of INSTANCES.entries()) {
            for (const code of CODES) {
              const rate = code === '200' ? 20 + j : code === '404' ? 1 : 0.2;
              counter(
                'http_requests_total',
                `job="${job}",instance="${instance}",code="${code}"`,
                i * 7000,
                () => Math.floor(rate * 15 * (0.5 + rand())),
                i === 1 && j % 7 === 0,
              );
            }
          }
        });
      },
    ],
    [
      'request_duration_seconds',
      'histogram',
      () => {
        JOBS.forEach((job, j) => {
          for (const [i, instance] of INSTANCES.entries()) {
            const total = Math.round((20 + j) * 15);
            // Cumulative buckets: a fixed share of requests at or under each boundary.
            const shares = [0.2, 0.45, 0.8, 0.93, 0.98, 0.995, 1];
            BOUNDARIES.forEach((le, b) => {
              counter(
                'request_duration_seconds_bucket',
                `job="${job}",instance="${instance}",le="${le}"`,
                i * 7000,
                () => Math.floor(total * shares[b]!),
                i === 1 && j % 7 === 0,
              );
            });
            counter('request_duration_seconds_count', `job="${job}",instance="${instance}"`, i * 7000, () => total, i === 1 && j % 7 === 0);
            counter('request_duration_seconds_sum', `job="${job}",instance="${instance}"`, i * 7000, () => Math.round(total / 5), i === 1 && j % 7 === 0);
          }
        });
      },
    ],
  ];
  const parts = new Map<number, string[]>();
  for (const [family, type, emit] of families) {
    blocks.clear();
    emit();
    for (const [block, lines] of blocks) {
      const part = parts.get(block) ?? [];
      part.push(`# HELP ${family} Generated by the evaluator benchmark.\n# TYPE ${family} ${type}`, lines.join('\n'));
      parts.set(block, part);
    }
  }
  return { parts: [...parts.values()].map((texts) => [...texts, '# EOF', ''].join('\n')), series, samples };
}

/** Every distinct SLI of one data source: five grouped shapes over the jobs; advanced ones are added apart. */
function sliCatalogue(datasource: string): unknown[] {
  const out: unknown[] = [];
  for (const job of JOBS) {
    out.push({
      source: 'prometheus',
      datasource,
      kind: 'ratio',
      badSelector: `http_requests_total{job="${job}",code="500"}`,
      totalSelector: `http_requests_total{job="${job}"}`,
    });
    out.push({
      source: 'prometheus',
      datasource,
      kind: 'ratio',
      badSelector: `http_requests_total{job="${job}",code=~"5.."}`,
      totalSelector: `http_requests_total{job="${job}"}`,
    });
    out.push({
      source: 'prometheus',
      datasource,
      kind: 'ratio',
      goodSelector: `http_requests_total{job="${job}",code="200"}`,
      totalSelector: `http_requests_total{job="${job}"}`,
    });
    for (const instance of INSTANCES) {
      out.push({
        source: 'prometheus',
        datasource,
        kind: 'ratio',
        badSelector: `http_requests_total{job="${job}",instance="${instance}",code="500"}`,
        totalSelector: `http_requests_total{job="${job}",instance="${instance}"}`,
      });
    }
    for (const thresholdSeconds of THRESHOLDS)
      out.push({ source: 'prometheus', datasource, kind: 'latency', metric: 'request_duration_seconds', thresholdSeconds, filters: { job } });
  }
  return out;
}

function advancedSli(datasource: string, job: string): unknown {
  const total = `sum(increase(http_requests_total{job="${job}"}[$__range]))`;
  return {
    source: 'prometheus',
    datasource,
    kind: 'advanced',
    goodQuery: `${total} - (sum(increase(http_requests_total{job="${job}",code=~"5.."}[$__range])) or vector(0))`,
    totalQuery: total,
  };
}

interface CycleFigures {
  label: string;
  slos: number;
  mode: string;
  ms: number;
  requests: number;
  groups: number;
  written: number;
  failed: number;
  peakRss: number;
  peakHeap: number;
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MiB`;

async function main(): Promise<void> {
  let prometheus: RunningPrometheus | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let disconnect: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    await disconnect?.().catch(() => undefined);
    await prometheus?.close().catch(() => undefined);
    await database?.drop().catch((error: unknown) => process.stderr.write(`could not drop the benchmark database: ${String(error)}\n`));
    prometheus = undefined;
    database = undefined;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const end = Math.floor(Date.now() / MIN) * MIN - 2 * MIN;
    const log = (text: string) => process.stdout.write(`${text}\n`);
    log(`bench:evaluator — ${JOBS.length} jobs, ${DATASOURCES.length} data sources (one Prometheus), ${CYCLES} cycles per size`);

    let t = performance.now();
    database = await createTestDatabase('umpire_bench');
    process.env.DATABASE_URL = database.url; // read when the client is first used, just below
    disconnect = () => db().$disconnect();
    log(`database ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const generated = openMetrics(end);
    log(
      `generated ${generated.series} series, ${generated.samples.toLocaleString('en')} samples (${HISTORY_MINUTES} min at 15 s) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    t = performance.now();
    prometheus = await startPrometheus({ openMetrics: generated.parts });
    generated.parts.length = 0;
    log(`Prometheus blocks built and server ready in ${((performance.now() - t) / 1000).toFixed(1)} s at ${prometheus.url}`);

    for (const slug of DATASOURCES) {
      await createDataSource({
        actor: SYSTEM,
        input: { slug, name: slug, kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 30 },
      });
    }
    const services = Array.from({ length: 100 }, (_, i) => ({ id: randomUUID(), slug: `bench-svc-${i}`, name: `Bench ${i}`, ownerTeam: 'bench', tier: 2 }));
    await db().service.createMany({ data: services });

    // SLO i reads data source i % 3 and an SLI from a shuffled catalogue; SLIs repeat (objectives differ).
    const shuffle = random(11);
    const catalogues = DATASOURCES.map((ds) => {
      const list = sliCatalogue(ds);
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    });
    let created = 0;
    const createSlos = async (upTo: number) => {
      const rows = [];
      for (let i = created; i < upTo; i++) {
        const ds = i % DATASOURCES.length;
        const catalogue = catalogues[ds]!;
        const n = Math.floor(i / DATASOURCES.length);
        const sli = SliSpec.parse(
          i % ADVANCED_EVERY === ADVANCED_EVERY - 1 ? advancedSli(DATASOURCES[ds]!, JOBS[n % JOBS.length]!) : catalogue[n % catalogue.length],
        );
        rows.push({
          id: randomUUID(),
          serviceId: services[i % services.length]!.id,
          slug: `slo-${i}`,
          name: `Bench SLO ${i}`,
          objective: [0.99, 0.995, 0.999][Math.floor(n / catalogue.length) % 3]!,
          window: { kind: 'rolling', days: 30 },
          budgeting: { method: 'occurrences' },
          sli,
        });
      }
      for (let i = 0; i < rows.length; i += 2000) await db().slo.createMany({ data: rows.slice(i, i + 2000) });
      created = upTo;
    };
    /** History complete (historyFrom = completeFrom) and fresh up to `freshUntil`: cycles measure steady-state catch-up. */
    const steadyState = async (freshUntil: Date) => {
      const from = new Date(freshUntil.getTime() - 60 * MIN).toISOString();
      const fresh = freshUntil.toISOString();
      await db().$executeRaw`
        INSERT INTO slo_evaluations (slo_id, history_from, complete_from, fresh_until, updated_at)
        SELECT id, ${from}::timestamptz, ${from}::timestamptz, ${fresh}::timestamptz, now() FROM slos
        ON CONFLICT (slo_id) DO UPDATE SET history_from = EXCLUDED.history_from, complete_from = EXCLUDED.complete_from,
          fresh_until = EXCLUDED.fresh_until, lease_owner = NULL, lease_until = NULL, stale_since = NULL, last_error = NULL, last_error_kind = NULL`;
    };

    const figures: CycleFigures[] = [];
    // Cycle k evaluates at `now` = first + k minutes: each reads its 6 newest minutes (1 new + 5 rechecked).
    let minute = end - (BASELINE_CYCLES + 2 * CYCLES + 1) * MIN;
    const cycle = async (label: string, mode: 'batched' | 'per-slo') => {
      minute += MIN;
      collectGarbage();
      let peakRss = process.memoryUsage().rss;
      let peakHeap = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 20);
      const started = performance.now();
      try {
        const run = await evaluateAll({ now: new Date(minute), mode });
        const ms = performance.now() - started;
        const m = process.memoryUsage();
        figures.push({
          label,
          slos: run.slos,
          mode,
          ms,
          requests: run.requests,
          groups: run.groups,
          written: run.written,
          failed: run.failed.length,
          peakRss: Math.max(peakRss, m.rss),
          peakHeap: Math.max(peakHeap, m.heapUsed),
        });
        const last = figures.at(-1)!;
        log(
          `  ${label.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${String(run.requests).padStart(6)} requests  ${String(run.written).padStart(7)} rows  ${run.failed.length} failed`,
        );
        if (run.failed.length > 0) log(`    first failure: ${JSON.stringify(run.failed[0])}`);
        return last;
      } finally {
        clearInterval(sampler);
      }
    };

    t = performance.now();
    await createSlos(1000);
    await steadyState(new Date(minute));
    log(`1,000 SLOs created in ${((performance.now() - t) / 1000).toFixed(1)} s; history marked complete, so cycles measure steady-state catch-up`);
    for (let i = 1; i <= BASELINE_CYCLES; i++) await cycle(`1k per-SLO #${i}`, 'per-slo');
    for (let i = 1; i <= CYCLES; i++) await cycle(`1k batched #${i}`, 'batched');

    t = performance.now();
    await createSlos(10_000);
    await steadyState(new Date(minute));
    log(`10,000 SLOs in all (9,000 more) in ${((performance.now() - t) / 1000).toFixed(1)} s; all marked complete and fresh`);
    for (let i = 1; i <= CYCLES; i++) await cycle(`10k batched #${i}`, 'batched');
    const rows = await db().sliBucket.count();

    log('');
    log('| cycle | SLOs | path | wall time | PromQL requests | requests/SLO | groups | rows written | failed | peak RSS | peak heap |');
    log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const f of figures) {
      log(
        `| ${f.label} | ${f.slos.toLocaleString('en')} | ${f.mode} | ${(f.ms / 1000).toFixed(2)} s | ${f.requests.toLocaleString('en')} | ${(f.requests / f.slos).toFixed(3)} | ${f.mode === 'batched' ? f.groups : '–'} | ${f.written.toLocaleString('en')} | ${f.failed} | ${mib(f.peakRss)} | ${mib(f.peakHeap)} |`,
      );
    }
    const mean = (list: CycleFigures[], key: 'ms' | 'requests') => list.reduce((s, f) => s + f[key], 0) / Math.max(1, list.length);
    const base = figures.filter((f) => f.mode === 'per-slo');
    const batched1k = figures.filter((f) => f.mode === 'batched' && f.slos === 1000);
    const batched10k = figures.filter((f) => f.mode === 'batched' && f.slos === 10_000);
    log('');
    log(
      `1,000 SLOs, per-SLO vs batched: ${(mean(base, 'requests') / mean(batched1k, 'requests')).toFixed(1)}x the requests, ${(mean(base, 'ms') / mean(batched1k, 'ms')).toFixed(1)}x the time`,
    );
    log(
      `10,000 SLOs batched: mean ${(mean(batched10k, 'ms') / 1000).toFixed(2)} s per cycle (target < 60 s), ${(mean(batched10k, 'requests') / 10_000).toFixed(3)} requests per SLO`,
    );
    log(`${rows.toLocaleString('en')} bucket rows in the database at the end; 1 SLO in ${ADVANCED_EVERY} has advanced PromQL (read per SLO)`);
    log(
      "peak heap: sampled every 20 ms from a full GC at the cycle start; peak RSS: the whole process, whose first cycle still holds the data generator's freed memory",
    );
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:evaluator failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

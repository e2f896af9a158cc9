/**
 * `npm run bench:services`: the services overview (GET /api/v1/services) over N services with 3 SLOs each and 30
 * days of minute buckets per SLO. Baseline: the same windows summed from the minute buckets alone (the overview's
 * cost before sli_bucket_hours). Creates its own database (PostgreSQL at TEST_ADMIN_DATABASE_URL), removed on
 * exit. Options: --services N (default 100), --runs N (default 3).
 */
import { parseArgs } from 'node:util';
import { systemActor } from '../lib/auth/authorize';
import { db, Prisma } from '../lib/db/client';
import { SloInput, ServiceInput } from '../lib/schemas';
import { createService } from '../lib/use-cases/services/create-service';
import { createSlo } from '../lib/use-cases/slos/create-slo';
import { getSloStatus } from '../lib/use-cases/slos/get-slo-status';
import { listServices } from '../lib/use-cases/services/list-services';
import { createTestDatabase } from '../test/database';

const SYSTEM = systemActor('bench-services');
const { values: args } = parseArgs({ options: { services: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
const SERVICES = Number(args.services);
const RUNS = Number(args.runs);
const SLOS_PER_SERVICE = 3;
const DAYS = 30;

process.env.UMPIRE_EVALUATOR = 'off';
process.env.UMPIRE_LOG_LEVEL ??= 'error';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The status's windows (30 d, 3 d, 6 h, 1 h, 30 m, 5 m) summed from the minute buckets alone, as before the hourly sums. */
async function sumFromMinutes(sloId: string): Promise<unknown> {
  const asOf = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const minutes = [43_200, 4_320, 360, 60, 30, 5];
  const starts = minutes.map((m) => new Date(asOf.getTime() - m * 60_000).toISOString());
  const keys = minutes.map(String);
  return db().$queryRaw(Prisma.sql`
    SELECT w.key, coalesce(sum(b.good) FILTER (WHERE b.good <> 'NaN'::float8 AND b.total <> 'NaN'::float8 AND abs(b.good) < 'Infinity'::float8 AND abs(b.total) < 'Infinity'::float8), 0)::float8 AS good,
           coalesce(sum(b.total) FILTER (WHERE b.good <> 'NaN'::float8 AND b.total <> 'NaN'::float8 AND abs(b.good) < 'Infinity'::float8 AND abs(b.total) < 'Infinity'::float8), 0)::float8 AS total,
           count(b.start)::float8 AS buckets
    FROM unnest(${keys}::text[], ${starts}::timestamptz[]) AS w(key, start)
    LEFT JOIN sli_buckets b ON b.slo_id = ${sloId}::uuid AND b.start >= w.start AND b.start < ${asOf.toISOString()}::timestamptz
    GROUP BY w.key`);
}

async function main(): Promise<void> {
  const database = await createTestDatabase('umpire_bench_services');
  process.env.DATABASE_URL = database.url;
  try {
    const seeded = await timed(async () => {
      for (let s = 0; s < SERVICES; s++) {
        const slug = `svc-${String(s).padStart(4, '0')}`;
        await createService({ actor: SYSTEM, input: ServiceInput.parse({ slug, name: `Service ${s}`, ownerTeam: `team-${s % 10}`, tier: 1 + (s % 3) }) });
        for (let k = 0; k < SLOS_PER_SERVICE; k++) {
          await createSlo({
            actor: SYSTEM,
            service: slug,
            input: SloInput.parse({
              slug: `slo-${k}`,
              name: `SLO ${k}`,
              objective: 0.999,
              sli: {
                source: 'otel',
                metric: 'http.server.request.duration',
                good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
              },
            }),
          });
        }
      }
      // 30 days of minute buckets for every SLO, written in SQL (the ingest path is measured elsewhere).
      await db().$executeRaw`
        INSERT INTO sli_buckets (slo_id, start, good, total)
        SELECT s.id, t, 1000 - (extract(epoch from t)::bigint % 7), 1000
        FROM slos s, generate_series(date_trunc('minute', now()) - make_interval(days => ${DAYS}::int), date_trunc('minute', now()) - interval '1 minute', interval '1 minute') AS t
        ON CONFLICT DO NOTHING`;
      await db().$executeRawUnsafe('ANALYZE sli_buckets');
    });
    const slos = SERVICES * SLOS_PER_SERVICE;
    console.log(`seeded ${SERVICES} services, ${slos} SLOs, ${DAYS} days of minute buckets each in ${(seeded.ms / 1000).toFixed(1)} s`);

    const one: number[] = [];
    for (let i = 0; i < RUNS; i++) one.push((await timed(() => getSloStatus({ service: 'svc-0000', slo: 'slo-0' }))).ms);
    const list: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await timed(() => listServices());
      if (run.value.length !== SERVICES) throw new Error(`listed ${run.value.length} services, expected ${SERVICES}`);
      list.push(run.ms);
    }
    const ids = (await db().slo.findMany({ select: { id: true } })).map((s) => s.id);
    const minutesOnly: number[] = [];
    for (let i = 0; i < RUNS; i++) minutesOnly.push((await timed(() => Promise.all(ids.map((id) => sumFromMinutes(id))))).ms);
    const baseline = median(minutesOnly);
    const overview = median(list);
    console.log(`one SLO's status: ${median(one).toFixed(1)} ms (median of ${RUNS})`);
    console.log(`baseline, the overview's windows summed from minute buckets only: ${baseline.toFixed(0)} ms`);
    console.log(
      `services overview: ${overview.toFixed(0)} ms (median of ${RUNS}), ${(overview / slos).toFixed(2)} ms per SLO = ${(overview / baseline).toFixed(3)}x the baseline`,
    );
  } finally {
    await db().$disconnect();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

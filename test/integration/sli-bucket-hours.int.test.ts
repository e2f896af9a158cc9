// sli_bucket_hours, the hourly sums the status reads whole hours from, kept by triggers on sli_buckets: after any
// write (insert, upsert, update, delete, NaN and infinities, concurrent writers, an SLO deleted) it equals the
// hours summed afresh from the minute buckets, and the status reads the same figures as from the minutes alone.
import { describe, expect, test } from 'vitest';
import { db, Prisma } from '../../lib/db/client';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { writeBuckets } from '../../lib/db/buckets';
import { seededRandom as random } from '../../scripts/demo-traffic/model';
import { makeSloWithBuckets } from '../factories';

const MIN = 60_000;
const HOUR = 60 * MIN;

interface Hour {
  hour: string;
  good: number;
  total: number;
  bad: number;
  buckets: number;
  faults: number;
  carried: number;
}

/** The rollup as the triggers kept it. */
async function kept(sloId: string): Promise<Hour[]> {
  const rows = await db().sliBucketHour.findMany({ where: { sloId }, orderBy: { hour: 'asc' } });
  return rows.map((r) => ({ hour: r.hour.toISOString(), good: r.good, total: r.total, bad: r.bad, buckets: r.buckets, faults: r.faults, carried: r.carried }));
}

/** The rollup summed afresh from the minute buckets, with the same fault rule the status uses (sli_bucket_fault). */
async function recomputed(sloId: string): Promise<Hour[]> {
  const rows = await db().$queryRaw<Array<Hour & { hour: Date }>>`
    SELECT date_bin('1 hour', start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS hour,
           coalesce(sum(good) FILTER (WHERE sli_bucket_fault(good, total, source_fault) IS NULL), 0)::float8 AS good,
           coalesce(sum(total) FILTER (WHERE sli_bucket_fault(good, total, source_fault) IS NULL), 0)::float8 AS total,
           coalesce(sum(total - good) FILTER (WHERE sli_bucket_fault(good, total, source_fault) IS NULL), 0)::float8 AS bad,
           (count(*) FILTER (WHERE sli_bucket_fault(good, total, source_fault) IS NULL))::int AS buckets,
           (count(*) FILTER (WHERE sli_bucket_fault(good, total, source_fault) IS NOT NULL))::int AS faults,
           (count(*) FILTER (WHERE carried_from IS NOT NULL))::int AS carried
    FROM sli_buckets WHERE slo_id = ${sloId}::uuid GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ hour: r.hour.toISOString(), good: r.good, total: r.total, bad: r.bad, buckets: r.buckets, faults: r.faults, carried: r.carried }));
}

const base = new Date(Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR);

describe('sli_bucket_hours', () => {
  test('follows every kind of write exactly: 200 random inserts, upserts, updates and deletes, faulty values included', async () => {
    const slo = await makeSloWithBuckets([]);
    const next = random(7);
    const minute = () => new Date(base.getTime() + Math.floor(next() * 6 * 60) * MIN);
    // Halves only: every sum is exact in binary floating point, so the comparison can be exact too.
    const count = () => Math.floor(next() * 2000) / 2;
    // Every kind of fault: NaN, infinities, negative counts, and (from two independent counts) good above total.
    const value = (): number => {
      const r = next();
      return r < 0.04 ? Number.NaN : r < 0.06 ? Number.POSITIVE_INFINITY : r < 0.07 ? Number.NEGATIVE_INFINITY : r < 0.1 ? -count() : count();
    };
    for (let step = 0; step < 200; step++) {
      const kind = next();
      if (kind < 0.4) {
        // The app's own upsert (ON CONFLICT DO UPDATE): new minutes and rewritten ones in one statement.
        const buckets = Array.from({ length: 1 + Math.floor(next() * 30) }, () => {
          const start = minute();
          const r = next();
          // Now and then a source fault, or the events of a gap carried into this minute.
          const extra = r < 0.05 ? { fault: 'histogram_bucket_missing' as const } : r < 0.1 ? { carriedFrom: new Date(start.getTime() - 90 * MIN) } : {};
          return { start, good: value(), total: value(), ...extra };
        });
        const unique = [...new Map(buckets.map((b) => [b.start.getTime(), b])).values()];
        await writeBuckets(slo.id, unique);
      } else if (kind < 0.6) {
        const start = minute();
        await db().sliBucket.updateMany({
          where: { sloId: slo.id, start: { gte: start, lt: new Date(start.getTime() + 20 * MIN) } },
          data: { good: count(), total: 2000 },
        });
      } else if (kind < 0.75) {
        await db().$executeRaw`UPDATE sli_buckets SET good = 'NaN'::float8 WHERE slo_id = ${slo.id}::uuid AND start = ${minute()}`;
      } else {
        const start = minute();
        await db().sliBucket.deleteMany({ where: { sloId: slo.id, start: { gte: start, lt: new Date(start.getTime() + Math.floor(next() * 90) * MIN) } } });
      }
    }
    const fresh = await recomputed(slo.id);
    expect(fresh.length).toBeGreaterThan(0);
    // The random writes did produce every kind of row the rollup tells apart.
    expect(fresh.some((h) => h.faults > 0) && fresh.some((h) => h.carried > 0) && fresh.some((h) => h.buckets > 0)).toBe(true);
    expect(await kept(slo.id)).toEqual(fresh);

    await db().sliBucket.deleteMany({ where: { sloId: slo.id } });
    expect(await kept(slo.id)).toEqual([]);
  });

  test('concurrent writers to the same hour never lose one another’s buckets', async () => {
    const slo = await makeSloWithBuckets([]);
    // Each writer holds its transaction open a while, so the two overlap.
    const writer = (offset: number) =>
      db().$transaction(async (tx) => {
        for (let i = 0; i < 10; i++) {
          await tx.$executeRaw`INSERT INTO sli_buckets (slo_id, start, good, total) VALUES (${slo.id}::uuid, ${new Date(base.getTime() + (offset + i * 2) * MIN)}, 9, 10)`;
        }
        await tx.$executeRaw`SELECT pg_sleep(0.2)`;
      });
    await Promise.all([writer(0), writer(1), writer(20), writer(21)]);
    expect(await kept(slo.id)).toEqual([{ hour: base.toISOString(), good: 360, total: 400, bad: 40, buckets: 40, faults: 0, carried: 0 }]);
  });

  test('goes with its SLO', async () => {
    const slo = await makeSloWithBuckets([{ start: base, good: 1, total: 1 }]);
    expect(await kept(slo.id)).toHaveLength(1);
    await db().slo.delete({ where: { id: slo.id } });
    expect(await db().sliBucketHour.count({ where: { sloId: slo.id } })).toBe(0);
  });
});

describe('the status over whole hours and the minutes at the edges', () => {
  test('every window reads what the minute buckets alone say, gaps and faulty minutes included', async () => {
    const now = new Date();
    const asOf = new Date(Math.floor(now.getTime() / MIN) * MIN);
    const next = random(11);
    const buckets: Array<{ start: Date; good: number; total: number }> = [];
    // 31 days of minutes with gaps, an outage and a few NaN minutes.
    for (let t = asOf.getTime() - 31 * 24 * HOUR; t < asOf.getTime(); t += MIN) {
      const r = next();
      if (r < 0.05) continue;
      const total = 100 + Math.floor(next() * 50);
      const bad = t > asOf.getTime() - 40 * MIN && t < asOf.getTime() - 10 * MIN ? total / 2 : r < 0.1 ? 3 : 0;
      buckets.push({ start: new Date(t), good: r > 0.999 ? Number.NaN : total - bad, total });
    }
    const slo = await makeSloWithBuckets(buckets, { objective: 0.99 });
    const status = await computeSloStatus(slo, { now, extraBurnWindows: ['5m', '30m', '2h', '1d', '3d'] });

    const sums = async (from: Date) => {
      const [row] = await db().$queryRaw<Array<{ good: number; total: number }>>(Prisma.sql`
        SELECT coalesce(sum(good) FILTER (WHERE good <> 'NaN'::float8), 0)::float8 AS good, coalesce(sum(total) FILTER (WHERE good <> 'NaN'::float8), 0)::float8 AS total
        FROM sli_buckets WHERE slo_id = ${slo.id}::uuid AND start >= ${from} AND start < ${asOf}`);
      return row!;
    };
    const window = await sums(new Date(status.window.from));
    expect(status.good).toBe(window.good);
    expect(status.total).toBe(window.total);
    for (const [w, minutes] of Object.entries({ '5m': 5, '30m': 30, '1h': 60, '2h': 120, '1d': 1440, '3d': 4320 })) {
      const { good, total } = await sums(new Date(asOf.getTime() - minutes * MIN));
      expect(total, w).toBeGreaterThan(0);
      expect(status.burnRates[w], w).toBeCloseTo((1 - good / total) / 0.01, 9);
    }
    expect(status.burnRates['30m']).toBeGreaterThan(10);
  });
});

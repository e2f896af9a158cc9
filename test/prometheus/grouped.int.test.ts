import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../lib/auth/authorize';
import { db } from '../../lib/db/client';
import { PrometheusSli, SloInput } from '../../lib/schemas';
import { PrometheusClient } from '../../lib/sources/prometheus/client';
import { fetchGroupedMinuteBuckets, planGroups, promqlString } from '../../lib/sources/prometheus/grouped';
import { fetchMinuteBuckets } from '../../lib/sources/prometheus/prometheus-source';
import type { MinuteBucket } from '../../lib/sources/types';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { createSlo } from '../../lib/use-cases/slos/create-slo';
import { evaluateAll } from '../../lib/use-cases/evaluation/evaluate-all';
import { acquireLeases } from '../../lib/db/slo-evaluations';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { findSloRecord, type SloRecord } from '../../lib/db/slos';
import { makeService, uniqueSlug } from '../factories';
import { freePort, startPrometheus, type RunningPrometheus } from './harness';
import { generateCounters, minuteIncreases, openMetricsParts, selectSeries, sumMinutes, type GeneratedSeries } from './generate-counters';

const SYSTEM = systemActor('test');

// Grouped catch-up must give every SLO exactly the buckets its own query gives: checked on a real Prometheus
// over counters with resets, a scrape gap, a quiet spell, NaN samples, label values that are regex
// metacharacters, a job that appears late and one that never does. Then the evaluator's batched pass.

const MIN = 60_000;
const history = generateCounters({ hours: 26 });
const { scenario } = history;
const END = new Date(Math.floor(scenario.end / MIN) * MIN);

/** Job values a careless regex would mix up ("a.b" matches "aXb") or break on. */
const TRICKY = ['a.b', 'aXb', 'a|b', 'x"y\\z', 'c+d', '(p)', 'ünï ☃'];
const extra: GeneratedSeries[] = [];
TRICKY.forEach((job, i) => {
  for (const s of selectSeries(history.series, 'http_requests_total', { job: 'offset' })) {
    extra.push({ name: s.name, labels: { ...s.labels, job }, samples: s.samples.map(([t, v]) => [t, v * (i + 2)]) });
  }
});
for (const s of selectSeries(history.series, 'http_requests_total', { job: 'aligned', code: '200' })) {
  extra.push({ name: s.name, labels: { ...s.labels, job: 'no-errors' }, samples: s.samples });
  extra.push({ name: s.name, labels: { ...s.labels, job: 'late' }, samples: s.samples.filter(([t]) => t >= scenario.end - 3 * 60 * MIN) });
}
const series = [...history.series, ...extra];
const JOBS = ['aligned', 'offset', ...TRICKY, 'no-errors', 'late', 'nope'];

let prometheus: RunningPrometheus;
let client: PrometheusClient;
let datasource: string;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsParts(series, 2) });
  client = new PrometheusClient({ baseUrl: prometheus.url, timeoutMs: 60_000 });
  datasource = uniqueSlug('prom');
  await createDataSource({
    actor: SYSTEM,
    input: { slug: datasource, name: 'Test Prometheus', kind: 'prometheus', url: prometheus.url, auth: { kind: 'none' }, timeoutSeconds: 60 },
  });
}, 120_000);
afterAll(async () => {
  await prometheus?.close();
});

const q = (value: string) => promqlString(value);
const sli = (fields: Record<string, unknown>, ds = () => datasource) => PrometheusSli.parse({ source: 'prometheus', datasource: ds(), ...fields });
/** SLIs of several shapes over every job: each shape one group, or a few. */
function slis(ds?: () => string) {
  return [
    ...JOBS.map((job) =>
      sli({ kind: 'ratio', badSelector: `http_requests_total{job=${q(job)},code="500"}`, totalSelector: `http_requests_total{job=${q(job)}}` }, ds),
    ),
    ...JOBS.map((job) =>
      sli({ kind: 'ratio', goodSelector: `http_requests_total{code="200",job=${q(job)}}`, totalSelector: `http_requests_total{job=${q(job)}}` }, ds),
    ),
    ...['aligned', 'offset', 'a.b'].flatMap((job) =>
      ['a', 'b'].map((instance) =>
        sli(
          {
            kind: 'ratio',
            badSelector: `http_requests_total{job=${q(job)},instance="${instance}",code="500"}`,
            totalSelector: `http_requests_total{instance="${instance}",job=${q(job)}}`,
          },
          ds,
        ),
      ),
    ),
    ...['a', 'b'].flatMap((instance) =>
      [0.3, 1].map((t) => sli({ kind: 'latency', metric: 'request_duration_seconds', thresholdSeconds: t, filters: { job: 'latency', instance } }, ds)),
    ),
    sli({ kind: 'ratio', goodSelector: 'weird_requests_total{job="weird"}', totalSelector: 'weird_requests_total{job="weird"}' }, ds),
  ];
}

describe('grouped queries on a real Prometheus', () => {
  test('every SLO gets exactly the buckets of its own query, over two day-chunks with resets, gaps and NaN', async () => {
    const all = slis(() => 'prom');
    const range = { from: new Date(scenario.start + 60 * MIN), to: END }; // 25 h: two query_range chunks
    const plan = planGroups(all.map((s, i) => ({ key: i, sli: s })));
    expect(plan.single).toEqual([]);
    // 12 jobs x 2 shapes, instance-level ratios by instance (2), latency by threshold (2), weird: 7 groups.
    expect(plan.groups.map((g) => [g.label, g.members.length])).toEqual([
      ['job', 12],
      ['job', 12],
      ['job', 3],
      ['job', 3],
      ['instance', 2],
      ['instance', 2],
      ['job', 1],
    ]);
    const grouped = new Map<number, MinuteBucket[]>();
    for (const group of plan.groups) for (const [key, buckets] of await fetchGroupedMinuteBuckets(client, group, range)) grouped.set(key, buckets);

    const own = await Promise.all(all.map((s) => fetchMinuteBuckets(client, s, range)));
    own.forEach((buckets, i) => expect(grouped.get(i), JSON.stringify(all[i])).toEqual(buckets));

    // Not vacuous: the cases meant to be covered are there.
    const at = (job: string) => own[JOBS.indexOf(job)]!;
    expect(at('aligned').length).toBeGreaterThan(1400);
    expect(at('nope')).toEqual([]); // no series: no data, not zeros
    expect(at('late').length).toBeGreaterThan(170);
    expect(at('late').length).toBeLessThan(190);
    expect(own[JOBS.length + JOBS.indexOf('no-errors')]!.every((b) => b.good === b.total)).toBe(true);
    expect(own.at(-1)!.some((b) => Number.isNaN(b.good) || Number.isNaN(b.total))).toBe(true);
    // "a.b" is read alone, not mixed with "aXb": its totals are its own counters'.
    const truth = minuteIncreases(selectSeries(series, 'http_requests_total', { job: 'a.b' }));
    const sum = at('a.b').reduce((acc, b) => acc + b.total, 0);
    expect(sum).toBe(sumMinutes(truth, range.from.getTime(), range.to.getTime()));
  }, 120_000);
});

describe('the batched evaluator pass', () => {
  async function makeSlos(list: PrometheusSli[], ds?: string): Promise<SloRecord[]> {
    const service = await makeService();
    const out: SloRecord[] = [];
    for (const s of list) {
      const slug = uniqueSlug('slo');
      await createSlo({
        actor: SYSTEM,
        service: service.slug,
        input: SloInput.parse({
          slug,
          name: 'Grouped',
          objective: 0.995,
          window: { kind: 'rolling', days: 3 },
          sli: { ...s, ...(ds ? { datasource: ds } : {}) },
        }),
      });
      out.push(await findSloRecord(service.slug, slug));
    }
    return out;
  }
  /** History complete, fresh up to `freshUntil`: the next pass only catches up, the steady state. */
  async function steadyState(slos: SloRecord[], freshUntil: Date) {
    const historyFrom = new Date(freshUntil.getTime() - 60 * MIN);
    for (const slo of slos) {
      await db().sloEvaluation.upsert({
        where: { sloId: slo.id },
        create: { sloId: slo.id, historyFrom, completeFrom: historyFrom, freshUntil },
        update: { historyFrom, completeFrom: historyFrom, freshUntil },
      });
    }
  }
  const bucketsOf = (slo: SloRecord) =>
    db().sliBucket.findMany({ where: { sloId: slo.id }, orderBy: { start: 'asc' }, select: { start: true, good: true, total: true } });
  const evaluationOf = (slo: SloRecord) =>
    db().sloEvaluation.findUniqueOrThrow({
      where: { sloId: slo.id },
      select: {
        historyFrom: true,
        completeFrom: true,
        freshUntil: true,
        staleSince: true,
        lastError: true,
        lastErrorKind: true,
        rereadUntil: true,
        leaseOwner: true,
        leaseUntil: true,
        lastSuccessAt: true,
      },
    });

  test('writes what the per-SLO pass writes, with one request per side per group instead of per SLO', async () => {
    const list = slis();
    const batched = await makeSlos(list);
    const single = await makeSlos(list);
    const freshUntil = new Date(END.getTime() - 150 * MIN); // spans the NaN samples 2 h before the end
    await steadyState([...batched, ...single], freshUntil);

    const a = await evaluateAll({ sloIds: batched.map((s) => s.id), now: END });
    const b = await evaluateAll({ sloIds: single.map((s) => s.id), now: END, mode: 'per-slo' });
    expect(a.failed).toEqual([]);
    expect(b.failed).toEqual([]);
    expect([a.evaluated, a.batched, b.evaluated]).toEqual([list.length, list.length, list.length]);
    expect(a.groups).toBe(7);
    expect(a.requests).toBe(2 * a.groups);
    expect(b.requests).toBe(2 * list.length);
    expect(a.written).toBe(b.written);
    expect(a.written).toBeGreaterThan(100 * list.length);

    for (let i = 0; i < list.length; i++) {
      expect(await bucketsOf(batched[i]!), JSON.stringify(list[i])).toEqual(await bucketsOf(single[i]!));
      const [ea, eb] = [await evaluationOf(batched[i]!), await evaluationOf(single[i]!)];
      expect(ea).toEqual(eb);
      expect(ea).toMatchObject({ freshUntil: END, staleSince: null, lastError: null, leaseOwner: null, lastSuccessAt: END });
    }
    // The weird counter's NaN minutes are faults in both, left out of both.
    const [fa, fb] = [await computeSloStatus(batched.at(-1)!, { now: END }), await computeSloStatus(single.at(-1)!, { now: END })];
    expect(fa.dataQuality.faultCount).toBeGreaterThan(0);
    expect(fa.dataQuality).toEqual(fb.dataQuality);
  }, 180_000);

  test('a failing group leaves each of its SLOs stale with the error, the other groups are written; once back, the gap is filled', async () => {
    const down = uniqueSlug('down');
    await createDataSource({
      actor: SYSTEM,
      input: { slug: down, name: 'Down', kind: 'prometheus', url: `http://127.0.0.1:${await freePort()}`, auth: { kind: 'none' }, timeoutSeconds: 5 },
    });
    const jobs = ['aligned', 'offset', 'a.b'];
    const ratio = (ds: string) =>
      jobs.map((job) =>
        sli({ kind: 'ratio', badSelector: `http_requests_total{job=${q(job)},code="500"}`, totalSelector: `http_requests_total{job=${q(job)}}` }, () => ds),
      );
    const broken = await makeSlos(ratio(down));
    const healthy = await makeSlos(ratio(datasource));
    const freshUntil = new Date(END.getTime() - 30 * MIN);
    await steadyState([...broken, ...healthy], freshUntil);

    const run = await evaluateAll({ sloIds: [...broken, ...healthy].map((s) => s.id), now: END });
    expect(run.groups).toBe(2);
    expect(run.evaluated).toBe(healthy.length);
    expect(run.failed.map((f) => [f.slo, f.kind]).sort()).toEqual(broken.map((s) => [s.slug, 'unreachable']).sort());
    for (const slo of broken) {
      const status = await computeSloStatus(slo, { now: END });
      expect(status.evaluation.staleSince).toBe(freshUntil.toISOString());
      expect(status.evaluation.lastError).toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/cannot reach/) });
      expect((await evaluationOf(slo)).leaseOwner).toBeNull();
    }
    for (const slo of healthy) {
      expect((await computeSloStatus(slo, { now: END })).evaluation.staleSince).toBeNull();
      expect(await bucketsOf(slo)).toHaveLength(35);
    }

    // Still failing a minute later: stale since the first failure, not since the latest attempt.
    await evaluateAll({ sloIds: broken.map((s) => s.id), now: new Date(END.getTime() + MIN) });
    expect((await computeSloStatus(broken[0]!, { now: END })).evaluation.staleSince).toBe(freshUntil.toISOString());

    // The backend is back: the whole gap is read, the state clears, and the buckets are the healthy twins'.
    await db().dataSource.update({ where: { slug: down }, data: { url: prometheus.url } });
    const back = await evaluateAll({ sloIds: broken.map((s) => s.id), now: new Date(END.getTime() + 2 * MIN) });
    expect(back).toMatchObject({ evaluated: broken.length, failed: [], groups: 1 });
    for (const [i, slo] of broken.entries()) {
      const status = await computeSloStatus(slo, { now: END });
      expect(status.evaluation.staleSince).toBeNull();
      expect(status.evaluation.lastError).toBeNull();
      expect(await bucketsOf(slo)).toEqual(await bucketsOf(healthy[i]!));
    }
  }, 120_000);

  test('SLOs another evaluator holds are left alone, without a request; once its lease expires they are taken', async () => {
    const slos = await makeSlos(slis().slice(0, 4));
    await steadyState(slos, new Date(END.getTime() - 10 * MIN));
    const held = await acquireLeases(
      slos.map((s) => s.id),
      'other-evaluator',
      END,
    );
    expect(held.size).toBe(slos.length);

    const turnedAway = await evaluateAll({ sloIds: slos.map((s) => s.id), now: END, owner: 'this-evaluator' });
    expect(turnedAway).toMatchObject({ skipped: slos.length, evaluated: 0, requests: 0 });
    expect(await bucketsOf(slos[0]!)).toEqual([]);

    const later = new Date(END.getTime() + 4 * MIN); // the other's lease (3 min) has expired
    const takenOver = await evaluateAll({ sloIds: slos.map((s) => s.id), now: later, owner: 'this-evaluator' });
    expect(takenOver).toMatchObject({ skipped: 0, evaluated: slos.length, failed: [] });
    expect((await evaluationOf(slos[0]!)).freshUntil).toEqual(later);
  }, 60_000);

  test.each(['refuses', 'times out on'])(
    'a group the backend %s as a whole (too many samples, one huge member) is read SLO by SLO instead',
    async (behaviour) => {
      // A stand-in that refuses (as Prometheus past --query.max-samples) or never answers queries over several values.
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const grouped = (new URLSearchParams(body).get('query') ?? '').includes('|');
          if (grouped && behaviour === 'times out on') return; // the client gives up after the data source timeout
          res.writeHead(grouped ? 422 : 200, { 'content-type': 'application/json' });
          res.end(
            grouped
              ? '{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}'
              : `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[${END.getTime() / 1000},"5"]]}]}}`,
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const strict = uniqueSlug('strict');
        await createDataSource({
          actor: SYSTEM,
          input: {
            slug: strict,
            name: 'Strict',
            kind: 'prometheus',
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            auth: { kind: 'none' },
            timeoutSeconds: 1,
          },
        });
        const slos = await makeSlos(slis().slice(0, 3), strict);
        await steadyState(slos, new Date(END.getTime() - 10 * MIN));
        const run = await evaluateAll({ sloIds: slos.map((s) => s.id), now: END });
        expect(run).toMatchObject({ groups: 1, evaluated: 3, failed: [], requests: 2 + 2 * 3 });
        for (const slo of slos) expect(await bucketsOf(slo)).toEqual([{ start: new Date(END.getTime() - MIN), good: 5, total: 5 }]);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    60_000,
  );

  test('history is filled for at most backfillSlos SLOs per pass, least history first; the others are still caught up', async () => {
    const slos = await makeSlos(slis().slice(0, 3));
    await steadyState(slos, new Date(END.getTime() - 10 * MIN));
    // The first two have history to fill; the first has less of it so far, so it goes first. The third is complete.
    await db().sloEvaluation.update({ where: { sloId: slos[0]!.id }, data: { historyFrom: new Date(END.getTime() - 2 * 1440 * MIN) } });
    await db().sloEvaluation.update({
      where: { sloId: slos[1]!.id },
      data: { historyFrom: new Date(END.getTime() - 2 * 1440 * MIN), completeFrom: new Date(END.getTime() - 1440 * MIN) },
    });
    const run = await evaluateAll({ sloIds: slos.map((s) => s.id), now: END, backfillSlos: 1, backfillDays: 1 });
    expect(run).toMatchObject({ evaluated: 3, failed: [], batched: 3 });
    const [first, second, third] = await Promise.all(slos.map(evaluationOf));
    expect(first).toMatchObject({ completeFrom: new Date(END.getTime() - 70 * MIN - 1440 * MIN), freshUntil: END, leaseOwner: null });
    expect(second).toMatchObject({ completeFrom: new Date(END.getTime() - 1440 * MIN), freshUntil: END, leaseOwner: null });
    expect(third).toMatchObject({ freshUntil: END, leaseOwner: null });
  }, 60_000);

  test("two batched evaluators at once: every SLO evaluated, none failed, and the buckets are a single pass's", async () => {
    const list = slis().slice(0, 13);
    const slos = await makeSlos(list);
    await steadyState(slos, new Date(END.getTime() - 20 * MIN));
    const ids = slos.map((s) => s.id);
    const [a, b] = await Promise.all([
      evaluateAll({ sloIds: ids, now: END, owner: 'evaluator-a' }),
      evaluateAll({ sloIds: ids, now: END, owner: 'evaluator-b' }),
    ]);
    expect([...a.failed, ...b.failed]).toEqual([]);
    expect(a.evaluated + b.evaluated + a.skipped + b.skipped).toBe(2 * slos.length);
    expect(a.evaluated + b.evaluated).toBeGreaterThanOrEqual(slos.length);
    const range = { from: new Date(END.getTime() - 25 * MIN), to: END };
    for (let i = 0; i < slos.length; i++) {
      const own = await fetchMinuteBuckets(client, list[i]!, range);
      expect(await bucketsOf(slos[i]!)).toEqual(own);
    }
  }, 60_000);
});

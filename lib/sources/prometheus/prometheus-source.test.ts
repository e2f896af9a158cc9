import { describe, expect, test } from 'vitest';
import { PrometheusSli } from '../../schemas/prometheus';
import { PrometheusClient, PrometheusError } from './client';
import { dataQualityFaults } from '../../slo/data-quality';
import { carriedByRead, carriedRead, fetchCarriedBucket, fetchMinuteBuckets, listHistogramBoundaries, previewSli } from './prometheus-source';
import { plainIncrease, ratioQueries, steppedIncrease } from './promql';

const sli = PrometheusSli.parse({ source: 'prometheus', datasource: 'prom', kind: 'ratio', goodSelector: 'ok_total', totalSelector: 'all_total' });
if (sli.kind !== 'ratio') throw new Error('unreachable');
const queries = ratioQueries(sli, '1m', plainIncrease);
const latency = PrometheusSli.parse({
  source: 'prometheus',
  datasource: 'prom',
  kind: 'latency',
  metric: 'request_duration_seconds',
  thresholdSeconds: 0.3,
  filters: {},
});
const MIN = 60_000;
const T0 = Date.parse('2026-11-26T00:00:00Z');

type Series = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

/** A backend answering range queries from functions of (side, evaluation time in s); records the requests. */
function backend(values: { good: (t: number) => string | null; total: (t: number) => string | null }, extraSeries = false) {
  const requests: Array<{ side: string; start: number; end: number; step: number }> = [];
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    const body = new URLSearchParams(String(init?.body));
    const side = body.get('query') === queries.good ? 'good' : body.get('query') === queries.total ? 'total' : 'other';
    const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(body.get(k))) as [number, number, number];
    requests.push({ side, start, end, step });
    const f = side === 'good' ? values.good : values.total;
    const points: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) {
      const v = f(t);
      if (v !== null) points.push([t, v]);
    }
    const result: Series = points.length ? [{ metric: {}, values: points }] : [];
    if (extraSeries) result.push({ metric: { code: '500' }, values: points });
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  }) as typeof fetch;
  return { client: new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl }), requests };
}

describe('fetchMinuteBuckets', () => {
  test('asks a day per request, good and total at the same minute ends, step 60 s', async () => {
    const { client, requests } = backend({ good: () => '9', total: () => '10' });
    const buckets = await fetchMinuteBuckets(client, sli, { from: new Date(T0), to: new Date(T0 + 3 * 1440 * MIN) }, { increase: plainIncrease });
    expect(buckets).toHaveLength(3 * 1440);
    expect(buckets[0]).toEqual({ start: new Date(T0), good: 9, total: 10 });
    expect(buckets.at(-1)!.start).toEqual(new Date(T0 + (3 * 1440 - 1) * MIN));
    const days = [0, 1, 2].map((d) => ({ start: (T0 + d * 1440 * MIN + MIN) / 1000, end: (T0 + (d + 1) * 1440 * MIN) / 1000, step: 60 }));
    expect(requests.filter((r) => r.side === 'good').map(({ side: _, ...r }) => r)).toEqual(days);
    expect(requests.filter((r) => r.side === 'total').map(({ side: _, ...r }) => r)).toEqual(days);
  });

  test('whole minutes only: a partial minute at either end is left out', async () => {
    const { client } = backend({ good: () => '1', total: () => '1' });
    const buckets = await fetchMinuteBuckets(client, sli, { from: new Date(T0 + 30_000), to: new Date(T0 + 5 * MIN + 30_000) }, { increase: plainIncrease });
    expect(buckets.map((b) => (b.start.getTime() - T0) / MIN)).toEqual([1, 2, 3, 4]);
    expect(await fetchMinuteBuckets(client, sli, { from: new Date(T0), to: new Date(T0 + 59_000) }, { increase: plainIncrease })).toEqual([]);
  });

  test('no total sample: no bucket; total 0: a quiet bucket; no good series: 0 good; NaN and good > total kept', async () => {
    const minute = (t: number) => (t * 1000 - T0) / MIN - 1; // bucket index of an evaluation time
    const { client } = backend({
      good: (t) => (minute(t) === 0 ? '0' : minute(t) === 2 ? null : minute(t) === 3 ? 'NaN' : minute(t) === 4 ? '12' : '5'),
      total: (t) => (minute(t) === 1 ? null : minute(t) === 0 ? '0' : '10'),
    });
    const buckets = await fetchMinuteBuckets(client, sli, { from: new Date(T0), to: new Date(T0 + 6 * MIN) }, { increase: plainIncrease });
    expect(buckets.map((b) => [(b.start.getTime() - T0) / MIN, b.good, b.total])).toEqual([
      [0, 0, 0],
      [2, 0, 10],
      [3, NaN, 10],
      [4, 12, 10],
      [5, 5, 10],
    ]);
    expect(dataQualityFaults(buckets)).toEqual([
      { start: new Date(T0 + 3 * MIN).toISOString(), good: 'NaN', total: 10, reason: 'not_a_number' },
      { start: new Date(T0 + 4 * MIN).toISOString(), good: 12, total: 10, reason: 'good_above_total' },
    ]);
  });

  test('latency: a missing good side next to a present total is a histogram_bucket_missing fault, not 0 good', async () => {
    const minute = (t: number) => (t * 1000 - T0) / MIN - 1;
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      const body = new URLSearchParams(String(init?.body));
      const good = body.get('query')!.includes('_bucket');
      const values: Array<[number, string]> = [];
      // The bucket at the threshold is there for minutes 0 and 1, then gone (re-bucketed); _count goes on.
      for (let t = Number(body.get('start')); t <= Number(body.get('end')); t += 60) if (!good || minute(t) < 2) values.push([t, good ? '9' : '10']);
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
    }) as typeof fetch;
    const client = new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl });
    const buckets = await fetchMinuteBuckets(client, latency, { from: new Date(T0), to: new Date(T0 + 4 * MIN) });
    expect(buckets).toEqual([
      { start: new Date(T0), good: 9, total: 10 },
      { start: new Date(T0 + MIN), good: 9, total: 10 },
      { start: new Date(T0 + 2 * MIN), good: 0, total: 10, fault: 'histogram_bucket_missing' },
      { start: new Date(T0 + 3 * MIN), good: 0, total: 10, fault: 'histogram_bucket_missing' },
    ]);
    expect(dataQualityFaults(buckets).map((f) => f.reason)).toEqual(['histogram_bucket_missing', 'histogram_bucket_missing']);
  });

  test('a query returning several series is refused, not silently summed', async () => {
    const { client } = backend({ good: () => '1', total: () => '1' }, true);
    await expect(fetchMinuteBuckets(client, sli, { from: new Date(T0), to: new Date(T0 + 5 * MIN) }, { increase: plainIncrease })).rejects.toMatchObject({
      kind: 'bad_query',
      message: expect.stringMatching(/returns 2 series.*sum\(\)/),
    });
  });
});

describe('carrying a gap in the samples', () => {
  const bucket = { start: new Date(T0 + 200 * MIN), good: 40, total: 50 };
  /** A backend answering instant queries from `answer(query)`; records the queries and their times. */
  function instant(answer: (query: string) => string | null) {
    const asked: Array<{ query: string; time: number }> = [];
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      const body = new URLSearchParams(String(init?.body));
      const query = body.get('query')!;
      asked.push({ query, time: Number(body.get('time')) * 1000 });
      const value = answer(query);
      const result = value === null ? [] : [{ metric: {}, value: [0, value] }];
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    }) as typeof fetch;
    return { client: new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl }), asked };
  }

  test.each([
    [2, true],
    [58, true], // the first step after the gap looks back at most 59 min 45 s: within the hour
    [59, false],
    [180, false],
  ])('a gap of %i minutes is carried by the read: %s', (missing, byRead) => {
    const start = new Date(T0 + 200 * MIN);
    expect(carriedByRead({ gapStart: new Date(start.getTime() - missing * MIN), start })).toBe(byRead);
  });

  test('the read again: at the end of the minute, over it and up to 9 minutes of the gap, holding back past its start', () => {
    const start = new Date(T0 + 200 * MIN);
    const long = carriedRead({ gapStart: new Date(start.getTime() - 180 * MIN), start });
    expect(long.at).toEqual(new Date(start.getTime() + MIN));
    expect(long.range).toBe('10m');
    expect(long.increase('x', '10m')).toBe(steppedIncrease({ stepSeconds: 15, hold: '3h2m' })('x', '10m'));
    expect(carriedRead({ gapStart: new Date(start.getTime() - 3 * MIN), start }).range).toBe('4m');
    expect(() => carriedRead({ gapStart: start, start })).toThrow(/at least one/);
  });

  test('a gap within the hold: the bucket as read, marked, without a request', async () => {
    const { client, asked } = instant(() => '1');
    const gapStart = new Date(bucket.start.getTime() - 20 * MIN);
    expect(await fetchCarriedBucket(client, sli, { gapStart, bucket })).toEqual({ ...bucket, carriedFrom: gapStart });
    expect(asked).toEqual([]);
  });

  test('a longer gap: both sides read again at the same time with the longer hold, the bucket replaced', async () => {
    const gapStart = new Date(bucket.start.getTime() - 180 * MIN);
    const read = carriedRead({ gapStart, start: bucket.start });
    const again = ratioQueries(sli, read.range, read.increase);
    const { client, asked } = instant((query) => (query === again.good ? '9000' : query === again.total ? '9100' : null));
    expect(await fetchCarriedBucket(client, sli, { gapStart, bucket })).toEqual({ start: bucket.start, good: 9000, total: 9100, carriedFrom: gapStart });
    expect(asked.map((a) => a.time)).toEqual([bucket.start.getTime() + MIN, bucket.start.getTime() + MIN]);
    expect(asked.map((a) => a.query).sort()).toEqual([again.good, again.total].sort());
  });

  test('a longer gap of a latency SLI whose bucket went meanwhile: a fault, carried', async () => {
    const gapStart = new Date(bucket.start.getTime() - 180 * MIN);
    const { client } = instant((query) => (query.includes('_bucket') ? null : '9100'));
    expect(await fetchCarriedBucket(client, latency, { gapStart, bucket })).toEqual({
      start: bucket.start,
      good: 0,
      total: 9100,
      fault: 'histogram_bucket_missing',
      carriedFrom: gapStart,
    });
  });

  test('nothing to carry after all (no total), or an advanced SLI: the bucket as it was', async () => {
    const gapStart = new Date(bucket.start.getTime() - 180 * MIN);
    const { client, asked } = instant(() => null);
    expect(await fetchCarriedBucket(client, sli, { gapStart, bucket })).toEqual(bucket);
    const advanced = PrometheusSli.parse({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(increase(a[$__range]))',
      totalQuery: 'sum(increase(b[$__range]))',
    });
    expect(await fetchCarriedBucket(client, advanced, { gapStart, bucket })).toEqual(bucket);
    expect(asked).toHaveLength(2);
  });
});

describe('previewSli', () => {
  test('last hour, last day and 24 hourly points, SLI null where there is no traffic', async () => {
    const at = T0 + 5 * 86_400_000 + 30_000; // floored to the minute
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      const body = new URLSearchParams(String(init?.body));
      const query = body.get('query')!;
      const good = query.includes('ok_total');
      const day = query.includes('[1d]');
      if (url.endsWith('/query')) {
        expect(Number(body.get('time'))).toBe((at - 30_000) / 1000);
        const value = day ? (good ? '23800' : '24000') : good ? '990' : '1000';
        return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, value] }] } }));
      }
      const values: Array<[number, string]> = [];
      for (let t = Number(body.get('start')); t <= Number(body.get('end')); t += Number(body.get('step'))) {
        values.push([t, t === Number(body.get('end')) ? '0' : good ? '99' : '100']);
      }
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
    }) as typeof fetch;
    const preview = await previewSli(new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl }), sli, new Date(at), { increase: plainIncrease });
    expect(preview).toMatchObject({ good: 990, total: 1000, sliLastHour: 0.99, sliLastDay: 23800 / 24000 });
    expect(preview.sparkline).toHaveLength(24);
    expect(preview.sparkline[0]).toEqual({ time: new Date(at - 30_000 - 23 * 3_600_000), good: 99, total: 100, sli: 0.99 });
    expect(preview.sparkline[23]).toEqual({ time: new Date(at - 30_000), good: 0, total: 0, sli: null });
  });

  test('latency: where the bucket at the threshold is missing, good and SLI are no data, not 0%', async () => {
    const at = T0 + 5 * 86_400_000;
    const gone = at - 3 * 3_600_000; // the bucket series stopped 3 hours ago; _count goes on
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      const body = new URLSearchParams(String(init?.body));
      const good = body.get('query')!.includes('_bucket');
      if (url.endsWith('/query')) {
        const result = good ? [] : [{ metric: {}, value: [0, '1000'] }];
        return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
      }
      const values: Array<[number, string]> = [];
      for (let t = Number(body.get('start')); t <= Number(body.get('end')); t += Number(body.get('step'))) {
        if (!good || t * 1000 <= gone) values.push([t, good ? '95' : '100']);
      }
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
    }) as typeof fetch;
    const preview = await previewSli(new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl }), latency, new Date(at));
    expect(preview).toMatchObject({ good: null, total: 1000, sliLastHour: null, sliLastDay: null });
    expect(preview.sparkline.map((p) => p.sli)).toEqual([...Array<number>(21).fill(0.95), null, null, null]);
    expect(preview.sparkline.at(-1)).toMatchObject({ good: null, total: 100 });
  });

  test("Prometheus's error text reaches the caller", async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' }), {
        status: 400,
      })) as typeof fetch;
    const advanced = PrometheusSli.parse({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(rate(x[$__range]',
      totalQuery: 'x[$__range]',
    });
    const error = await previewSli(new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl }), advanced, new Date(T0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error).toMatchObject({ kind: 'bad_query', message: '1:5: parse error: unexpected end of input' });
  });
});

describe('listHistogramBoundaries', () => {
  test('distinct le values as numbers, "1" and "1.0" once, +Inf last', async () => {
    let asked = '';
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      asked = new URLSearchParams(String(init?.body)).get('query')!;
      const result = ['0.5', '1', '1.0', '+Inf', '0.25', '1e-05'].map((le) => ({ metric: { le }, value: [0, '2'] }));
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    }) as typeof fetch;
    const client = new PrometheusClient({ baseUrl: 'http://prom.test', fetchImpl });
    expect(await listHistogramBoundaries(client, 'http_request_duration_seconds', { job: 'a"pi' })).toEqual([0.00001, 0.25, 0.5, 1, Infinity]);
    expect(asked).toBe('count by (le) (last_over_time(http_request_duration_seconds_bucket{job="a\\"pi"}[1d]))');
  });
});

import { describe, expect, test } from 'vitest';
import { parseCounterSelector, PrometheusSli } from '../../schemas/prometheus';
import { PrometheusClient } from './client';
import {
  escapeRegex,
  fetchGroupedCarried,
  fetchGroupedMinuteBuckets,
  groupableLabels,
  groupQueries,
  planGroups,
  promqlString,
  renderSelector,
  sliSelectors,
  type SliGroup,
} from './grouped';
import { carriedRead } from './prometheus-source';
import { missingBucketSeries, plainIncrease } from './promql';

const ratio = (bad: string, total: string, datasource = 'prom') =>
  PrometheusSli.parse({ source: 'prometheus', datasource, kind: 'ratio', badSelector: bad, totalSelector: total });
const good = (goodSelector: string, total: string) =>
  PrometheusSli.parse({ source: 'prometheus', datasource: 'prom', kind: 'ratio', goodSelector, totalSelector: total });
const latency = (filters: Record<string, string>, thresholdSeconds = 0.3) =>
  PrometheusSli.parse({ source: 'prometheus', datasource: 'prom', kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds, filters });
const byJob = (job: string, code = '500', datasource = 'prom') =>
  ratio(`http_requests_total{job="${job}",code="${code}"}`, `http_requests_total{job="${job}"}`, datasource);

/** The plan as [label, values] per group and the keys left single, for compact expectations. */
function shape<K>(plan: { groups: Array<SliGroup<K>>; single: K[] }) {
  return { groups: plan.groups.map((g) => [g.label, g.members.map((m) => m.key)]), single: plan.single };
}

describe('groupableLabels', () => {
  test.each([
    ['in every selector with one value', byJob('api'), { job: 'api' }],
    ['only in the bad selector: not groupable', ratio('http_requests_total{code="500"}', 'http_requests_total'), {}],
    ['a regex matcher on it', ratio('http_requests_total{job=~"api",code="500"}', 'http_requests_total{job=~"api"}'), {}],
    ['equality plus another matcher on it', ratio('http_requests_total{job="api",job!="x"}', 'http_requests_total{job="api"}'), {}],
    ['different values per side', ratio('http_requests_total{job="a"}', 'http_requests_total{job="b"}'), {}],
    [
      'internal labels never',
      ratio('http_requests_total{__name__="http_requests_total",job="a"}', 'http_requests_total{__name__="http_requests_total",job="a"}'),
      { job: 'a' },
    ],
    ["latency filters (le is Umpire's, on one side only)", latency({ job: 'api', route: '/x' }), { job: 'api', route: '/x' }],
  ])('%s', (_name, sli, want) => {
    expect(Object.fromEntries(groupableLabels(sliSelectors(sli)!))).toEqual(want);
  });

  test('advanced PromQL has no selectors to group by', () => {
    const sli = PrometheusSli.parse({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(rate(a[$__range]))',
      totalQuery: 'sum(rate(b[$__range]))',
    });
    expect(sliSelectors(sli)).toBeNull();
  });
});

describe('planGroups', () => {
  test('SLIs differing only in one label value share a group; the rest of the shape must match exactly', () => {
    const plan = planGroups([
      { key: 'a', sli: byJob('a') },
      { key: 'b', sli: byJob('b') },
      { key: 'c', sli: byJob('c') },
      { key: 'a-503', sli: byJob('a', '503') }, // another code: another shape
      { key: 'b-503', sli: byJob('b', '503') },
      { key: 'a-other-source', sli: byJob('a', '500', 'other') },
      { key: 'good-form', sli: good('http_requests_total{job="a",code="500"}', 'http_requests_total{job="a"}') },
    ]);
    expect(shape(plan)).toEqual({
      groups: [
        ['job', ['a', 'b', 'c']],
        ['job', ['a-503', 'b-503']],
        ['job', ['a-other-source']],
        ['job', ['good-form']],
      ],
      single: [],
    });
  });

  test('advanced SLIs and regex matchers on the varying label fall back or stay alone', () => {
    const advanced = PrometheusSli.parse({
      source: 'prometheus',
      datasource: 'prom',
      kind: 'advanced',
      goodQuery: 'sum(rate(a[$__range]))',
      totalQuery: 'sum(rate(b[$__range]))',
    });
    const regex = (job: string) => ratio(`http_requests_total{job=~"${job}",code="500"}`, `http_requests_total{job=~"${job}"}`);
    const plan = planGroups([
      { key: 'adv', sli: advanced },
      { key: 're-a', sli: regex('a.*') },
      { key: 're-b', sli: regex('b.*') },
    ]);
    expect(shape(plan)).toEqual({
      groups: [
        [null, ['re-a']],
        [null, ['re-b']],
      ],
      single: ['adv'],
    });
  });

  test('identical SLIs (say two objectives on one SLI) are read once, whatever their matcher order', () => {
    const plan = planGroups([
      { key: 'x', sli: ratio('http_requests_total{code="500",job="a"}', 'http_requests_total{job="a"}') },
      { key: 'y', sli: byJob('a') },
      { key: 'z', sli: byJob('b') },
    ]);
    expect(shape(plan)).toEqual({ groups: [['job', ['x', 'y', 'z']]], single: [] });
    expect(plan.groups[0]!.members.map((m) => m.value)).toEqual(['a', 'a', 'b']);
  });

  test('several groupable labels: the one leaving the fewest groups varies', () => {
    const sli = (job: string, instance: string) =>
      ratio(`http_requests_total{job="${job}",instance="${instance}",code="500"}`, `http_requests_total{job="${job}",instance="${instance}"}`);
    const plan = planGroups([
      { key: 'a/x', sli: sli('a', 'x') },
      { key: 'b/x', sli: sli('b', 'x') },
      { key: 'c/x', sli: sli('c', 'x') },
      { key: 'a/y', sli: sli('a', 'y') },
    ]);
    // Varying job: {x: a b c} {y: a} = 2 groups; varying instance would leave 3.
    expect(shape(plan)).toEqual({
      groups: [
        ['job', ['a/x', 'b/x', 'c/x']],
        ['job', ['a/y']],
      ],
      single: [],
    });
    expect(plan.groups[0]!.template.total.matchers).toEqual([{ label: 'instance', op: '=', value: 'x' }]);
  });

  test('latency SLIs group by a filter; other thresholds are other shapes', () => {
    const plan = planGroups([
      { key: 'a', sli: latency({ job: 'a' }) },
      { key: 'b', sli: latency({ job: 'b' }) },
      { key: 'a-1s', sli: latency({ job: 'a' }, 1) },
    ]);
    expect(shape(plan)).toEqual({
      groups: [
        ['job', ['a', 'b']],
        ['job', ['a-1s']],
      ],
      single: [],
    });
  });

  test('large groups are split by value count and by regex length; SLOs sharing a value stay together', () => {
    const items = ['a', 'b', 'c', 'c', 'd', 'e'].map((job, i) => ({ key: `${job}${i}`, sli: byJob(job) }));
    expect(shape(planGroups(items, { maxValues: 2 })).groups).toEqual([
      ['job', ['a0', 'b1']],
      ['job', ['c2', 'c3', 'd4']],
      ['job', ['e5']],
    ]);
    const long = ['x'.repeat(10), 'y'.repeat(10), 'z'.repeat(10)].map((job) => ({ key: job[0], sli: byJob(job) }));
    expect(shape(planGroups(long, { maxRegexChars: 25 })).groups).toEqual([
      ['job', ['x', 'y']],
      ['job', ['z']],
    ]);
  });
});

describe('escaping user values', () => {
  const nasty = ['a.b', 'a|b', '(x)', '[0-9]+', 'x{2}', '^$', 'back\\slash', 'quo"te', 'new\nline', 'tab\tand\x07bell', 'ünï ☃', '', '.*'];

  test.each(nasty)('escapeRegex(%j) matches exactly itself, anchored as PromQL anchors it', (value) => {
    const re = new RegExp(`^(?:${escapeRegex(value)})$`, 'u');
    expect(re.test(value)).toBe(true);
    for (const other of ['aXb', 'a', 'b', 'x', '00', 'xx', 'anything', value + 'x']) if (other !== value) expect(re.test(other)).toBe(false);
  });

  test('an alternation of escaped values matches the values and nothing else', () => {
    const re = new RegExp(`^(?:${nasty.map(escapeRegex).join('|')})$`, 'u');
    for (const value of nasty) expect(re.test(value)).toBe(true);
    for (const other of ['aXb', 'ab', 'x', 'xx', 'anything']) expect(re.test(other)).toBe(false);
  });

  test.each(nasty)('promqlString(%j) decodes back to the value as PromQL reads it', (value) => {
    const parsed = parseCounterSelector(`m{l=${promqlString(value)}}`);
    expect(parsed).toEqual({ ok: true, selector: { metric: 'm', matchers: [{ label: 'l', op: '=', value }] } });
  });

  test('the grouped selector carries the escaped alternation, sorted and without duplicates', () => {
    const sel = { metric: 'http_requests_total', matchers: [{ label: 'code', op: '=' as const, value: '500' }] };
    expect(renderSelector(sel, { label: 'job', values: ['b.c', 'a"q', 'b.c'] })).toBe(String.raw`http_requests_total{code="500",job=~"a\"q|b\\.c"}`);
    expect(renderSelector(sel, { label: 'job', values: ['b.c'] })).toBe('http_requests_total{code="500",job="b.c"}');
  });
});

describe('groupQueries', () => {
  test('sum by the varying label of the counter formulation on each raw counter; bad stays a side of its own', () => {
    const [group] = planGroups([
      { key: 1, sli: byJob('a') },
      { key: 2, sli: byJob('b') },
    ]).groups;
    expect(groupQueries(group!, '1m', plainIncrease)).toEqual({
      bad: 'sum by (job) (increase(http_requests_total{code="500",job=~"a|b"}[1m]))',
      total: 'sum by (job) (increase(http_requests_total{job=~"a|b"}[1m]))',
    });
  });

  const le = String.raw`le=~"0\\.30*|3(\\.0+)?[eE]-0*1"`;

  test('identical SLIs: a plain sum() with the equality matcher, as the per-SLO query', () => {
    const sli = latency({ route: '/x', job: 'api' });
    const [group] = planGroups([
      { key: 1, sli },
      { key: 2, sli },
    ]).groups;
    expect(group!.members).toHaveLength(2);
    const bucket = `http_request_duration_seconds_bucket{route="/x",${le},job="api"}`;
    const count = 'http_request_duration_seconds_count{route="/x",job="api"}';
    expect(groupQueries(group!, '1m', plainIncrease)).toEqual({
      good: `(sum(increase(${bucket}[1m])) unless on() ${missingBucketSeries(bucket, count, '1m')})`,
      total: `sum(increase(${count}[1m]))`,
    });
  });

  test('latency SLIs over several values: no good value for a value whose _count lacks its bucket, by that value', () => {
    const [group] = planGroups([
      { key: 1, sli: latency({ job: 'a' }) },
      { key: 2, sli: latency({ job: 'b' }) },
    ]).groups;
    const bucket = `http_request_duration_seconds_bucket{${le},job=~"a|b"}`;
    const count = 'http_request_duration_seconds_count{job=~"a|b"}';
    expect(groupQueries(group!, '1m', plainIncrease).good).toBe(
      `(sum by (job) (increase(${bucket}[1m])) unless on(job) ${missingBucketSeries(bucket, count, '1m')})`,
    );
  });
});

describe('fetchGroupedMinuteBuckets', () => {
  const T = Date.UTC(2026, 10, 26, 12, 0, 0) / 1000; // end of the first minute read
  /** A client whose backend answers each query from `answers` by the side it asks for. */
  function fakeClient(answers: {
    side: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
    total: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
  }) {
    const asked: string[] = [];
    const client = new PrometheusClient({
      baseUrl: 'http://prometheus.test',
      fetchImpl: async (_url, init) => {
        const query = new URLSearchParams(String(init?.body)).get('query')!;
        asked.push(query);
        const result = query.includes('code=') || query.includes('_bucket') ? answers.side : answers.total;
        return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
      },
    });
    return { client, asked };
  }

  test('splits by label value: absent total is no bucket, absent bad is 0 bad; SLOs sharing a value get the same buckets', async () => {
    const { client, asked } = fakeClient({
      side: [{ metric: { job: 'a' }, values: [[T, '2']] }],
      total: [
        {
          metric: { job: 'a' },
          values: [
            [T, '10'],
            [T + 60, '12'],
          ],
        },
        { metric: { job: 'b' }, values: [[T + 60, '5']] },
      ],
    });
    const [group] = planGroups([
      { key: 'a1', sli: byJob('a') },
      { key: 'a2', sli: byJob('a') },
      { key: 'b', sli: byJob('b') },
      { key: 'c', sli: byJob('c') },
    ]).groups;
    const from = new Date((T - 60) * 1000);
    const got = await fetchGroupedMinuteBuckets(client, group!, { from, to: new Date((T + 60) * 1000) });
    const at = (s: number) => new Date(s * 1000);
    expect(Object.fromEntries(got)).toEqual({
      a1: [
        { start: at(T - 60), good: 8, total: 10 },
        { start: at(T), good: 12, total: 12 },
      ],
      a2: [
        { start: at(T - 60), good: 8, total: 10 },
        { start: at(T), good: 12, total: 12 },
      ],
      b: [{ start: at(T), good: 5, total: 5 }],
      c: [],
    });
    expect(asked).toHaveLength(2);
  });

  test('a latency SLI: absent good with a present total is a histogram_bucket_missing fault, per value', async () => {
    const { client } = fakeClient({
      side: [{ metric: { job: 'a' }, values: [[T, '6']] }],
      total: [
        {
          metric: { job: 'a' },
          values: [
            [T, '7'],
            [T + 60, '8'],
          ],
        },
        { metric: { job: 'b' }, values: [[T, '9']] },
      ],
    });
    const [group] = planGroups([
      { key: 'a', sli: latency({ job: 'a' }) },
      { key: 'b', sli: latency({ job: 'b' }) },
    ]).groups;
    const got = await fetchGroupedMinuteBuckets(client, group!, { from: new Date((T - 60) * 1000), to: new Date((T + 60) * 1000) });
    const at = (s: number) => new Date(s * 1000);
    expect(Object.fromEntries(got)).toEqual({
      a: [
        { start: at(T - 60), good: 6, total: 7 },
        { start: at(T), good: 0, total: 8, fault: 'histogram_bucket_missing' },
      ],
      b: [{ start: at(T - 60), good: 0, total: 9, fault: 'histogram_bucket_missing' }],
    });
  });

  test('a good selector: absent good with a present total is 0 good, not total', async () => {
    const { client } = fakeClient({ side: [], total: [{ metric: { job: 'a' }, values: [[T, '7']] }] });
    const [group] = planGroups([
      { key: 'a', sli: good('http_requests_total{job="a",code="200"}', 'http_requests_total{job="a"}') },
      { key: 'b', sli: good('http_requests_total{job="b",code="200"}', 'http_requests_total{job="b"}') },
    ]).groups;
    const got = await fetchGroupedMinuteBuckets(client, group!, { from: new Date((T - 60) * 1000), to: new Date(T * 1000) });
    expect(got.get('a')).toEqual([{ start: new Date((T - 60) * 1000), good: 0, total: 7 }]);
  });
});

describe('fetchGroupedCarried', () => {
  test("reads a long gap's carried minute once for the group, as each member alone would: by value, null without a total", async () => {
    const start = new Date(Date.UTC(2026, 10, 26, 15, 0, 0));
    const gapStart = new Date(start.getTime() - 3 * 3_600_000);
    const asked: Array<{ query: string; time: number }> = [];
    const client = new PrometheusClient({
      baseUrl: 'http://prometheus.test',
      fetchImpl: async (_url, init) => {
        const body = new URLSearchParams(String(init?.body));
        const query = body.get('query')!;
        asked.push({ query, time: Number(body.get('time')) });
        const result = query.includes('code=')
          ? [{ metric: { job: 'a' }, value: [0, '30'] }]
          : [
              { metric: { job: 'a' }, value: [0, '900'] },
              { metric: { job: 'b' }, value: [0, '500'] },
            ];
        return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
      },
    });
    const [group] = planGroups([
      { key: 'a', sli: byJob('a') },
      { key: 'b', sli: byJob('b') },
      { key: 'c', sli: byJob('c') },
    ]).groups;
    const got = await fetchGroupedCarried(client, group!, { gapStart, start });
    expect(Object.fromEntries(got)).toEqual({
      a: { start, good: 870, total: 900, carriedFrom: gapStart },
      b: { start, good: 500, total: 500, carriedFrom: gapStart },
      c: null,
    });
    const read = carriedRead({ gapStart, start });
    const queries = groupQueries(group!, read.range, read.increase);
    expect(asked.map((a) => a.query).sort()).toEqual([queries.bad, queries.total].sort());
    expect(asked.map((a) => a.time)).toEqual([start.getTime() / 1000 + 60, start.getTime() / 1000 + 60]);
  });
});

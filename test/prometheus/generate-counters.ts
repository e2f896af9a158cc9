/**
 * Known counter history for a real Prometheus: per-second synthetic traffic, scraped every 15 s into the
 * counters an instrumented service would expose, written as OpenMetrics for `promtool tsdb
 * create-blocks-from openmetrics`. The samples are also returned, so tests compute what the answers must be
 * from the very same counters.
 *
 * Series (job, instance, scrape offset):
 *   http_requests_total{job="aligned",instance="a"|"b",code="200"|"500"}  scraped at :00, :15, :30, :45
 *   http_requests_total{job="offset",instance="a"|"b",code="200"|"500"}   scraped 7 s and 11 s later
 *     (same traffic; real Prometheus spreads scrapes over the interval, so this is the realistic case)
 *   request_duration_seconds_{bucket,count,sum}{job="latency",instance="a"|"b"}  a classic histogram; "a"
 *     writes le="1" like Go clients, "b" writes le="1.0" like Python and Java clients
 *   weird_requests_total{job="weird"}  a counter with NaN samples during scenario.nanPeriod
 *   special_values{kind="nan"|"inf"|"minus_inf"|"one_half"}  gauges holding NaN, +Inf, -Inf and 1.5
 * Events in the scenario (all jobs alike):
 *   reset: instance "b" restarts right after its own first scrape at or after resetAt; its counters drop to 0
 *   gap: no scrapes and no traffic in [gap.from, gap.to) (the whole zone unreachable)
 *   quiet: scrapes continue, no traffic in [quiet.from, quiet.to)
 *   incident: a higher error ratio (and slower requests) in [incident.from, incident.to)
 */

const SCRAPE_S = 15;
const MINUTE_MS = 60_000;

export interface GeneratedSeries {
  name: string;
  labels: Record<string, string>;
  /** [time in ms, value], in time order. */
  samples: Array<[number, number]>;
}

export interface Scenario {
  /** First and last scrape of the aligned job (ms). */
  start: number;
  end: number;
  resetAt: number;
  gap: { from: number; to: number };
  quiet: { from: number; to: number };
  incident: { from: number; to: number };
  nanPeriod: { from: number; to: number };
}

export interface GeneratedCounters {
  openMetrics: string;
  series: GeneratedSeries[];
  scenario: Scenario;
  /** Bucket boundaries of request_duration_seconds, without +Inf. */
  boundaries: number[];
}

export interface GenerateOptions {
  /** Last scrape, rounded down to a minute; default 5 minutes before now. */
  end?: Date;
  /** History length; default 3 days and 2 hours (so 3-day windows fit with room to move). */
  hours?: number;
  seed?: number;
  /** Requests per second per instance at the daily peak. */
  peakPerSecond?: number;
}

/** Deterministic PRNG (mulberry32). */
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

function poisson(lambda: number, rand: () => number): number {
  if (lambda <= 0) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

const BOUNDARIES = [0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5];

export function generateCounters(options: GenerateOptions = {}): GeneratedCounters {
  const endMs = Math.floor((options.end ?? new Date(Date.now() - 5 * MINUTE_MS)).getTime() / MINUTE_MS) * MINUTE_MS;
  const hours = options.hours ?? 74;
  const startMs = endMs - hours * 3_600_000;
  const rand = random(options.seed ?? 42);
  const peak = options.peakPerSecond ?? 10;
  const seconds = (endMs - startMs) / 1000 + 60; // traffic beyond the last scrape is never read
  const at = (hoursBeforeEnd: number) => endMs - Math.round(hoursBeforeEnd * 3_600_000);
  const scenario: Scenario = {
    start: startMs,
    end: endMs,
    resetAt: at(20) + 3_000, // not on a scrape: the restart follows each series' own next scrape
    gap: { from: at(9) + 5_000, to: at(9) + 5_000 + 20 * MINUTE_MS },
    quiet: { from: at(14), to: at(14) + 30 * MINUTE_MS },
    incident: { from: at(5.5), to: at(5.5) + 40 * MINUTE_MS },
    nanPeriod: { from: at(2), to: at(2) + 5 * MINUTE_MS },
  };
  const within = (t: number, span: { from: number; to: number }) => t >= span.from && t < span.to;

  // Per-second events per instance: total requests, failed requests, and the latency histogram's buckets.
  const instances = ['a', 'b'] as const;
  const traffic = instances.map(() => ({
    total: new Float64Array(seconds),
    bad: new Float64Array(seconds),
    buckets: BOUNDARIES.map(() => new Float64Array(seconds)),
    latencySum: new Float64Array(seconds),
  }));
  for (let s = 0; s < seconds; s++) {
    const t = startMs + s * 1000;
    if (within(t, scenario.gap) || within(t, scenario.quiet)) continue;
    const dayFraction = (t % 86_400_000) / 86_400_000;
    const shape = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos(2 * Math.PI * (dayFraction - 1 / 6)));
    const incident = within(t, scenario.incident);
    const errorRatio = incident ? 0.05 : 0.003;
    const median = incident ? 0.35 : 0.12;
    for (const tr of traffic) {
      const n = poisson(peak * shape, rand);
      tr.total[s] = n;
      let bad = 0;
      for (let e = 0; e < n; e++) {
        if (rand() < errorRatio) bad++;
        // Log-normal latency: median `median`, sigma 0.7 (Box-Muller).
        const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        const latency = median * Math.exp(0.7 * z);
        tr.latencySum[s]! += latency;
        for (let b = 0; b < BOUNDARIES.length; b++) if (latency <= BOUNDARIES[b]!) tr.buckets[b]![s]! += 1;
      }
      tr.bad[s] = bad;
    }
  }

  /** Scrape times (ms) of a series with this offset: every 15 s, none inside the gap. */
  const scrapeTimes = (offsetS: number) => {
    const times: number[] = [];
    for (let t = startMs + offsetS * 1000; t <= endMs; t += SCRAPE_S * 1000) if (!within(t, scenario.gap)) times.push(t);
    return times;
  };
  /**
   * Samples of a counter over per-second events: each scrape reads the events since the process started.
   * The process of instance "b" restarts right after its first scrape at or after resetAt.
   */
  const counter = (events: Float64Array, times: number[], restarts: boolean): Array<[number, number]> => {
    const restartAt = restarts ? times.find((t) => t >= scenario.resetAt) : undefined;
    const out: Array<[number, number]> = [];
    let value = 0;
    let second = 0;
    for (const t of times) {
      const upTo = (t - startMs) / 1000;
      for (; second < upTo; second++) value += events[second]!;
      out.push([t, value]);
      if (t === restartAt) value = 0;
    }
    return out;
  };

  const series: GeneratedSeries[] = [];
  const jobs = [
    { job: 'aligned', offsets: { a: 0, b: 0 } },
    { job: 'offset', offsets: { a: 7, b: 11 } },
  ];
  for (const { job, offsets } of jobs) {
    instances.forEach((instance, i) => {
      const tr = traffic[i]!;
      const times = scrapeTimes(offsets[instance]);
      const good = tr.total.map((n, s) => n - tr.bad[s]!);
      series.push({ name: 'http_requests_total', labels: { job, instance, code: '200' }, samples: counter(good, times, instance === 'b') });
      series.push({ name: 'http_requests_total', labels: { job, instance, code: '500' }, samples: counter(tr.bad, times, instance === 'b') });
    });
  }
  instances.forEach((instance, i) => {
    const tr = traffic[i]!;
    const times = scrapeTimes(0);
    const restarts = instance === 'b';
    const le = (b: number) => (instance === 'b' && Number.isInteger(b) ? b.toFixed(1) : String(b));
    BOUNDARIES.forEach((boundary, b) => {
      series.push({
        name: 'request_duration_seconds_bucket',
        labels: { job: 'latency', instance, le: le(boundary) },
        samples: counter(tr.buckets[b]!, times, restarts),
      });
    });
    series.push({ name: 'request_duration_seconds_bucket', labels: { job: 'latency', instance, le: '+Inf' }, samples: counter(tr.total, times, restarts) });
    series.push({ name: 'request_duration_seconds_count', labels: { job: 'latency', instance }, samples: counter(tr.total, times, restarts) });
    series.push({ name: 'request_duration_seconds_sum', labels: { job: 'latency', instance }, samples: counter(tr.latencySum, times, restarts) });
  });
  const weird = counter(traffic[0]!.total, scrapeTimes(0), false).map(([t, v]): [number, number] => [t, within(t, scenario.nanPeriod) ? NaN : v]);
  series.push({ name: 'weird_requests_total', labels: { job: 'weird' }, samples: weird });
  const specials: Array<[string, number]> = [
    ['nan', NaN],
    ['inf', Infinity],
    ['minus_inf', -Infinity],
    ['one_half', 1.5],
  ];
  for (const [kind, value] of specials) {
    series.push({
      name: 'special_values',
      labels: { kind },
      samples: scrapeTimes(0)
        .filter((t) => t >= endMs - 3_600_000)
        .map((t) => [t, value]),
    });
  }

  return { openMetrics: toOpenMetrics(series), series, scenario, boundaries: BOUNDARIES };
}

const FAMILIES: Array<{ family: string; type: string; names: string[] }> = [
  { family: 'http_requests', type: 'counter', names: ['http_requests_total'] },
  {
    family: 'request_duration_seconds',
    type: 'histogram',
    names: ['request_duration_seconds_bucket', 'request_duration_seconds_count', 'request_duration_seconds_sum'],
  },
  { family: 'weird_requests', type: 'counter', names: ['weird_requests_total'] },
  { family: 'special_values', type: 'gauge', names: ['special_values'] },
];

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isInteger(v) ? String(v) : v.toFixed(6);
}

/**
 * OpenMetrics text as promtool reads it: # TYPE per family, timestamps in seconds, # EOF at the end.
 * With `span`, only the samples in [from, to).
 */
export function toOpenMetrics(series: GeneratedSeries[], span?: { from: number; to: number }): string {
  const lines: string[] = [];
  for (const { family, type, names } of FAMILIES) {
    const members = series.filter((s) => names.includes(s.name));
    if (members.length === 0) continue;
    lines.push(`# HELP ${family} Generated by Umpire's tests.`, `# TYPE ${family} ${type}`);
    for (const s of members) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      const prefix = `${s.name}{${labels}} `;
      for (const [t, v] of s.samples) if (!span || (t >= span.from && t < span.to)) lines.push(`${prefix}${formatValue(v)} ${t / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

const BLOCK_MS = 2 * 3_600_000;

/**
 * The history as `parts` OpenMetrics texts over disjoint spans aligned to promtool's 2-hour blocks, so they
 * convert in parallel into blocks that do not overlap (promtool re-reads its whole input for every block).
 */
export function openMetricsParts(series: GeneratedSeries[], parts: number): string[] {
  const times = series.flatMap((s) => [s.samples[0]?.[0], s.samples.at(-1)?.[0]]).filter((t): t is number => t !== undefined);
  const first = Math.floor(Math.min(...times) / BLOCK_MS);
  const last = Math.floor(Math.max(...times) / BLOCK_MS) + 1;
  const perPart = Math.ceil((last - first) / parts);
  const out: string[] = [];
  for (let b = first; b < last; b += perPart) out.push(toOpenMetrics(series, { from: b * BLOCK_MS, to: Math.min(b + perPart, last) * BLOCK_MS }));
  return out;
}

/** Series whose labels include all of `match`. */
export function selectSeries(series: GeneratedSeries[], name: string, match: Record<string, string | ((v: string) => boolean)> = {}): GeneratedSeries[] {
  return series.filter(
    (s) =>
      s.name === name &&
      Object.entries(match).every(([k, want]) => {
        const have = s.labels[k];
        return have !== undefined && (typeof want === 'function' ? want(have) : have === want);
      }),
  );
}

/**
 * The test's own per-minute increases: for each pair of consecutive samples, the increase (the new value after
 * a reset, as Prometheus counts it) goes to the minute holding the later sample, minute m covering (m, m + 60 s].
 * A minute is present when any of the series has a sample in it; present with 0 when nothing moved.
 */
export function minuteIncreases(series: GeneratedSeries[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) {
    let prev: number | undefined;
    for (const [t, v] of s.samples) {
      const minute = Math.ceil(t / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
      const increase = prev === undefined ? 0 : v >= prev ? v - prev : v;
      out.set(minute, (out.get(minute) ?? 0) + increase);
      prev = v;
    }
  }
  return out;
}

/** Sum of per-minute values for minutes starting in [from, to). */
export function sumMinutes(minutes: Map<number, number>, from: number, to: number): number {
  let sum = 0;
  for (let m = from; m < to; m += MINUTE_MS) sum += minutes.get(m) ?? 0;
  return sum;
}

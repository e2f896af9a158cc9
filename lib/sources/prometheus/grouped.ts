import { parseCounterSelector, type LabelMatcher, type ParsedSelector, type PrometheusSli } from '../../schemas/prometheus';
import type { MinuteBucket } from '../types';
import { PrometheusError, type MatrixSeries, type PrometheusClient, type QueryData } from './client';
import { leRegex, unlessBucketMissing, type CounterIncrease } from './promql';
import { BUCKET_INCREASE, carriedRead, minuteBucket } from './prometheus-source';

// SLOs whose SLIs differ only in the value of one label (job="a" vs job="b") are read with one query per side,
// `sum by (job) (...{job=~"a|b"})`, and the answer split per SLO. Per series the counter formulation is the
// same as the per-SLO query's, and the series of one value are summed in the same order, so each SLO gets
// exactly the buckets its own query would give (test/prometheus/grouped.int.test.ts checks this).

const MINUTE_MS = 60_000;

/** Values per grouped query: keeps the regex and the answer reasonable (Prometheus handles far more). */
export const MAX_GROUP_VALUES = 200;
/** Characters of escaped values per grouped query, for groups of long label values. */
export const MAX_GROUP_REGEX_CHARS = 16_000;

/** The counter selectors of a ratio or latency SLI by side, parsed: what grouping compares. */
export interface SliSelectors {
  datasource: string;
  kind: 'ratio' | 'latency';
  /** Exactly one of good and bad is set. */
  good?: ParsedSelector;
  bad?: ParsedSelector;
  total: ParsedSelector;
}

type Side = 'good' | 'bad' | 'total';
const SIDES: readonly Side[] = ['good', 'bad', 'total'];

/**
 * The SLI's selectors as the per-SLO queries use them (promql.ts sliQueries), or null for SLIs Umpire does
 * not write the PromQL of (advanced) and selectors that do not parse (the per-SLO path reports those).
 */
export function sliSelectors(sli: PrometheusSli): SliSelectors | null {
  switch (sli.kind) {
    case 'advanced':
      return null;
    case 'latency': {
      if ('le' in sli.filters) return null;
      const filters: LabelMatcher[] = Object.entries(sli.filters).map(([label, value]) => ({ label, op: '=', value }));
      return {
        datasource: sli.datasource,
        kind: 'latency',
        good: { metric: `${sli.metric}_bucket`, matchers: [...filters, { label: 'le', op: '=~', value: leRegex(sli.thresholdSeconds) }] },
        total: { metric: `${sli.metric}_count`, matchers: filters },
      };
    }
    case 'ratio': {
      const parse = (text: string | undefined) => {
        if (text === undefined) return undefined;
        const parsed = parseCounterSelector(text.trim());
        return parsed.ok ? parsed.selector : null;
      };
      const good = parse(sli.goodSelector);
      const bad = parse(sli.badSelector);
      const total = parse(sli.totalSelector);
      if (good === null || bad === null || !total || (good === undefined) === (bad === undefined)) return null;
      return { datasource: sli.datasource, kind: 'ratio', ...(good ? { good } : { bad: bad! }), total };
    }
  }
}

function selectorsOf(s: SliSelectors): ParsedSelector[] {
  return SIDES.flatMap((side) => (s[side] ? [s[side]] : []));
}

/**
 * Labels the SLO can be told apart by: matched by exactly one equality matcher, with the same value, in every
 * selector of the SLI (and by no other matcher), as label -> value. Internal labels (__name__) never are.
 */
export function groupableLabels(s: SliSelectors): Map<string, string> {
  const selectors = selectorsOf(s);
  const out = new Map<string, string>();
  const first = selectors[0]!;
  for (const m of first.matchers) {
    if (m.op !== '=' || m.label.startsWith('__') || out.has(m.label)) continue;
    const everywhere = selectors.every((sel) => {
      const on = sel.matchers.filter((o) => o.label === m.label);
      return on.length === 1 && on[0]!.op === '=' && on[0]!.value === m.value;
    });
    if (everywhere) out.set(m.label, m.value);
  }
  return out;
}

/** Everything about the SLI but the values of its groupable labels: SLIs with equal skeletons may share queries. */
export function skeletonKey(s: SliSelectors, labels: ReadonlyMap<string, string>): string {
  const side = (sel: ParsedSelector | undefined) =>
    sel && {
      metric: sel.metric,
      fixed: sel.matchers
        .filter((m) => !labels.has(m.label))
        .map((m) => [m.label, m.op, m.value])
        .sort((a, b) => compare(a.join('\u0000'), b.join('\u0000'))),
    };
  return JSON.stringify([s.datasource, s.kind, [...labels.keys()].sort(compare), side(s.good), side(s.bad), side(s.total)]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A set of SLIs read with one query per side: they differ only in the value of `label`. */
export interface SliGroup<K> {
  datasource: string;
  /** Selectors with `label`'s matcher left out; every other matcher is common to the members. */
  template: SliSelectors;
  /** The label whose values tell the members apart; null when all members have the very same SLI. */
  label: string | null;
  /** Each member's value of `label` ('' when label is null); several members may share a value. */
  members: Array<{ key: K; value: string }>;
}

export interface GroupPlan<K> {
  groups: Array<SliGroup<K>>;
  /** Members that cannot be grouped (advanced PromQL, unparsable selectors): for the per-SLO path. */
  single: K[];
}

/**
 * Groups SLIs by query shape: same data source, kind, metrics and matchers, except equality matchers on
 * one label whose values differ. Where several labels could vary (job and instance), the one that leaves
 * the fewest groups is chosen per shape. Groups are split to at most `maxValues` values (and
 * `maxRegexChars` of escaped values) per query. Singletons are groups too: one query, the per-SLO cost.
 */
export function planGroups<K>(
  items: ReadonlyArray<{ key: K; sli: PrometheusSli }>,
  options: { maxValues?: number; maxRegexChars?: number } = {},
): GroupPlan<K> {
  const maxValues = options.maxValues ?? MAX_GROUP_VALUES;
  const maxChars = options.maxRegexChars ?? MAX_GROUP_REGEX_CHARS;
  const single: K[] = [];
  const skeletons = new Map<string, Array<{ key: K; selectors: SliSelectors; labels: Map<string, string> }>>();
  for (const { key, sli } of items) {
    let selectors: SliSelectors | null;
    try {
      selectors = sliSelectors(sli);
    } catch {
      selectors = null; // e.g. a threshold leRegex refuses: the per-SLO path reports it
    }
    if (!selectors) {
      single.push(key);
      continue;
    }
    const labels = groupableLabels(selectors);
    const skeleton = skeletonKey(selectors, labels);
    const members = skeletons.get(skeleton);
    if (members) members.push({ key, selectors, labels });
    else skeletons.set(skeleton, [{ key, selectors, labels }]);
  }

  const groups: Array<SliGroup<K>> = [];
  for (const members of skeletons.values()) {
    const names = [...members[0]!.labels.keys()].sort(compare);
    // Vary the label that leaves the fewest partitions; the other groupable labels are fixed per partition.
    let best: { label: string | null; partitions: Map<string, typeof members> } | null = null;
    for (const label of names.length > 0 ? names : [null]) {
      const partitions = new Map<string, typeof members>();
      for (const member of members) {
        const rest = JSON.stringify(names.filter((n) => n !== label).map((n) => member.labels.get(n)));
        const partition = partitions.get(rest);
        if (partition) partition.push(member);
        else partitions.set(rest, [member]);
      }
      if (!best || partitions.size < best.partitions.size) best = { label, partitions };
    }
    const { label, partitions } = best!;
    for (const partition of partitions.values()) {
      const template = withoutLabel(partition[0]!.selectors, label);
      const byValue = new Map<string, K[]>();
      for (const member of partition) {
        const value = label === null ? '' : member.labels.get(label)!;
        const keys = byValue.get(value);
        if (keys) keys.push(member.key);
        else byValue.set(value, [member.key]);
      }
      let batch: Array<{ key: K; value: string }> = [];
      let values = 0;
      let chars = 0;
      for (const [value, keys] of byValue) {
        const size = escapeRegex(value).length + 1;
        if (values > 0 && (values + 1 > maxValues || chars + size > maxChars)) {
          groups.push({ datasource: template.datasource, template, label, members: batch });
          batch = [];
          values = 0;
          chars = 0;
        }
        for (const key of keys) batch.push({ key, value });
        values++;
        chars += size;
      }
      if (batch.length > 0) groups.push({ datasource: template.datasource, template, label, members: batch });
    }
  }
  return { groups, single };
}

function withoutLabel(s: SliSelectors, label: string | null): SliSelectors {
  if (label === null) return s;
  const strip = (sel: ParsedSelector | undefined) => sel && { metric: sel.metric, matchers: sel.matchers.filter((m) => m.label !== label) };
  return { datasource: s.datasource, kind: s.kind, ...(s.good ? { good: strip(s.good) } : { bad: strip(s.bad) }), total: strip(s.total)! };
}

/** A literal for RE2 (Go's regexp.QuoteMeta): every character that means something in a regex is escaped. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A PromQL double-quoted string whose decoded value is exactly `value`; control characters as \x escapes. */
export function promqlString(value: string): string {
  const escaped = value.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `"${escaped}"`;
}

/** A selector as PromQL text; `vary` adds the group's matcher: equality for one value, an exact alternation for more. */
export function renderSelector(sel: ParsedSelector, vary?: { label: string; values: readonly string[] }): string {
  const parts = sel.matchers.map((m) => `${m.label}${m.op}${promqlString(m.value)}`);
  if (vary) {
    const values = [...new Set(vary.values)].sort(compare);
    if (values.length === 1) parts.push(`${vary.label}=${promqlString(values[0]!)}`);
    else parts.push(`${vary.label}=~${promqlString(values.map(escapeRegex).join('|'))}`);
  }
  return `${sel.metric}{${parts.join(',')}}`;
}

/** The label and values a group's queries split by; null when its members have one SLI (one value, or no label). */
function varying<K>(group: SliGroup<K>): { label: string; values: string[] } | null {
  if (group.label === null) return null;
  const values = [...new Set(group.members.map((m) => m.value))].sort(compare);
  return values.length > 1 ? { label: group.label, values } : null;
}

/**
 * The group's PromQL per side over `range`: `sum by (label)` of the counter formulation applied to each raw
 * counter (so resets are handled per series, before the sum); for one SLI, the plain `sum` the per-SLO query
 * uses. With a bad selector, good is total - bad, computed by the caller, as the per-SLO query's
 * `total - (bad or vector(0))` does.
 */
export function groupQueries<K>(group: SliGroup<K>, range: string, increase: CounterIncrease = BUCKET_INCREASE): Partial<Record<Side, string>> {
  const vary = varying(group);
  const onlyValue = group.label !== null && !vary ? { label: group.label, values: [group.members[0]!.value] } : undefined;
  const sum = vary ? `sum by (${vary.label}) ` : 'sum';
  const out: Partial<Record<Side, string>> = {};
  for (const side of SIDES) {
    const sel = group.template[side];
    if (sel) out[side] = `${sum}(${increase(renderSelector(sel, vary ?? onlyValue), range)})`;
  }
  if (group.template.kind === 'latency') {
    // As latencyQueries: no good value for a member whose _count series lacks its bucket at the threshold.
    const render = (sel: ParsedSelector) => renderSelector(sel, vary ?? onlyValue);
    out.good = unlessBucketMissing(out.good!, render(group.template.good!), render(group.template.total), range, vary?.label ?? null);
  }
  return out;
}

/** time (ms) -> value per label value; a value without a series has no entry (no data, not 0). */
function pointsByValue(series: MatrixSeries[], label: string | null): Map<string, Map<number, number>> {
  if (label === null && series.length > 1) throw new PrometheusError('bad_query', `a sum() answered ${series.length} series`);
  const out = new Map<string, Map<number, number>>();
  for (const s of series) {
    const value = label === null ? '' : (s.metric[label] ?? '');
    const points = out.get(value) ?? new Map<number, number>();
    for (const [time, v] of s.values) points.set(Math.round(time * 1000), v);
    out.set(value, points);
  }
  return out;
}

/**
 * One-minute buckets for the whole minutes in [from, to) of every member of the group, as
 * fetchMinuteBuckets gives them for each member alone: a minute is present when the member's total has a
 * point (no series, no bucket); a missing good point with a present total is as minuteBucket says, a missing
 * bad point 0 bad.
 */
export async function fetchGroupedMinuteBuckets<K>(
  client: PrometheusClient,
  group: SliGroup<K>,
  range: { from: Date; to: Date },
  options: { signal?: AbortSignal; chunkMinutes?: number; increase?: CounterIncrease } = {},
): Promise<Map<K, MinuteBucket[]>> {
  const chunkMinutes = options.chunkMinutes ?? 1440;
  const queries = groupQueries(group, '1m', options.increase ?? BUCKET_INCREASE);
  const label = varying(group)?.label ?? null;
  const firstMinute = Math.ceil(range.from.getTime() / MINUTE_MS);
  const endMinute = Math.floor(range.to.getTime() / MINUTE_MS);
  const byValue = new Map<string, MinuteBucket[]>();
  for (let chunkStart = firstMinute; chunkStart < endMinute; chunkStart += chunkMinutes) {
    const chunkEnd = Math.min(chunkStart + chunkMinutes, endMinute);
    const start = new Date((chunkStart + 1) * MINUTE_MS);
    const end = new Date(chunkEnd * MINUTE_MS);
    const sideQuery = (queries.good ?? queries.bad)!;
    const [side, total] = await Promise.all([
      client.queryRange(sideQuery, start, end, 60, { signal: options.signal }),
      client.queryRange(queries.total!, start, end, 60, { signal: options.signal }),
    ]);
    const sideByValue = pointsByValue(side, label);
    for (const [value, totals] of pointsByValue(total, label)) {
      const sidePoints = sideByValue.get(value);
      const buckets = byValue.get(value) ?? [];
      for (const [time, totalValue] of totals) {
        const other = sidePoints?.get(time) ?? null;
        const start = new Date(time - MINUTE_MS);
        buckets.push(
          queries.good ? minuteBucket(group.template.kind, start, other, totalValue) : { start, good: totalValue - (other ?? 0), total: totalValue },
        );
      }
      byValue.set(value, buckets);
    }
  }
  const out = new Map<K, MinuteBucket[]>();
  for (const { key, value } of group.members) out.set(key, byValue.get(label === null ? '' : value) ?? []);
  return out;
}

/** value per label value of an instant answer; a value without a series has no entry. */
function valuesByLabel(data: QueryData, label: string | null): Map<string, number> {
  if (data.resultType !== 'vector') throw new PrometheusError('bad_response', `an instant query answered a ${data.resultType}, not a vector`);
  if (label === null && data.result.length > 1) throw new PrometheusError('bad_query', `a sum() answered ${data.result.length} series`);
  return new Map(data.result.map((s) => [label === null ? '' : (s.metric[label] ?? ''), s.value[1]]));
}

/**
 * The carried minute of a gap longer than the hold for every member of the group, which all had it at the same
 * minutes: as fetchCarriedBucket reads it for each member alone (prometheus-source.ts carriedRead), with one
 * instant query per side for the lot. Null for a member whose total has no value (nothing to carry).
 */
export async function fetchGroupedCarried<K>(
  client: PrometheusClient,
  group: SliGroup<K>,
  gap: { gapStart: Date; start: Date },
  options: { signal?: AbortSignal } = {},
): Promise<Map<K, MinuteBucket | null>> {
  const read = carriedRead(gap);
  const queries = groupQueries(group, read.range, read.increase);
  const label = varying(group)?.label ?? null;
  const [side, total] = await Promise.all([
    client.query((queries.good ?? queries.bad)!, read.at, { signal: options.signal }),
    client.query(queries.total!, read.at, { signal: options.signal }),
  ]);
  const sides = valuesByLabel(side, label);
  const totals = valuesByLabel(total, label);
  const out = new Map<K, MinuteBucket | null>();
  for (const { key, value } of group.members) {
    const v = label === null ? '' : value;
    const totalValue = totals.get(v);
    const other = sides.get(v) ?? null;
    if (totalValue === undefined) out.set(key, null);
    else {
      const bucket = queries.good
        ? minuteBucket(group.template.kind, gap.start, other, totalValue)
        : { start: gap.start, good: totalValue - (other ?? 0), total: totalValue };
      out.set(key, { ...bucket, carriedFrom: gap.gapStart });
    }
  }
  return out;
}

import { parseCounterSelector, type LabelMatcher, type ParsedSelector, type PrometheusSli } from '../schemas/prometheus';
import { escapeLabelValue } from '../sources/prometheus/promql';

/**
 * Synthetic counters for promtool tests: series whose labels make the SLI's own selectors count them as good or
 * failed events. Found by trying candidate label values against the matchers; regular expressions are tried with
 * JavaScript's engine, which agrees with Go's RE2 on the patterns selectors use (classes, alternations, repeats).
 */

/** A counter and which events it counts: all of them, only the good ones, or only the failed ones. */
export interface TestSeries {
  series: string;
  counts: 'all' | 'good' | 'bad';
}

export type SeriesResult = { ok: true; series: TestSeries[] } | { ok: false; reason: string };

function matches(matcher: LabelMatcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
    case '!~': {
      let hit: boolean;
      try {
        hit = new RegExp(`^(?:${matcher.value})$`, 'u').test(value);
      } catch {
        hit = false;
      }
      return matcher.op === '=~' ? hit : !hit;
    }
  }
}

/** Strings a regular expression probably matches: each alternative with `.` as 0, classes as their first member. */
function regexCandidates(pattern: string): string[] {
  return pattern.split('|').map((alternative) =>
    alternative
      .replace(/\\d/g, '0')
      .replace(/\\w/g, 'a')
      .replace(/\\(.)/g, '$1')
      .replace(/\[\^?([^\]])[^\]]*\]/g, '$1')
      .replace(/(?<!\\)\./g, '0')
      .replace(/[()^$*+?]|\{\d*,?\d*\}/g, ''),
  );
}

const GENERIC_VALUES = ['', 'umpire-test', '200', '500', '0', 'x'];

function candidates(matchers: LabelMatcher[]): string[] {
  const out = new Set<string>();
  for (const m of matchers) {
    if (m.op === '=' || m.op === '!=') out.add(m.value);
    else for (const c of regexCandidates(m.value)) out.add(c);
  }
  for (const v of GENERIC_VALUES) out.add(v);
  return [...out];
}

/** Labels (absent = "") satisfying every matcher of `include` and failing at least one of `exclude`; null if none found. */
export function labelsFor(include: LabelMatcher[], exclude: LabelMatcher[] | null): Record<string, string> | null {
  const names = [...new Set([...include, ...(exclude ?? [])].map((m) => m.label))].sort();
  const options = new Map<string, string[]>();
  for (const name of names) {
    const required = include.filter((m) => m.label === name);
    const all = [...required, ...(exclude ?? []).filter((m) => m.label === name)];
    const ok = candidates(all).filter((value) => required.every((m) => matches(m, value)));
    if (ok.length === 0) return null;
    options.set(name, ok);
  }
  const chosen = new Map(names.map((name) => [name, options.get(name)![0]!]));
  if (exclude !== null && exclude.length > 0) {
    const failsExclude = () => exclude.some((m) => !matches(m, chosen.get(m.label) ?? ''));
    if (!failsExclude()) {
      // Change one label to a value the include matchers allow and some exclude matcher refuses.
      const swap = exclude.map((m) => ({ label: m.label, value: options.get(m.label)!.find((v) => !matches(m, v)) })).find((s) => s.value !== undefined);
      if (!swap) return null;
      chosen.set(swap.label, swap.value!);
    }
    if (!failsExclude()) return null;
  }
  return Object.fromEntries([...chosen].filter(([, value]) => value !== ''));
}

/** `metric{a="x"}` in the notation promtool reads for input_series. */
export function seriesText(metric: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${escapeLabelValue(labels[label]!)}"`);
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

function parsed(text: string): ParsedSelector {
  const result = parseCounterSelector(text.trim());
  if (!result.ok) throw new RangeError(`invalid selector ${JSON.stringify(text)}: ${result.error}`);
  return result.selector;
}

/**
 * Counters for a ratio SLI. On one metric, good and failed events are two series: each matches the total selector,
 * and only one the good (or bad) selector. On two metrics, the total counter counts all events and the other counter
 * its own side.
 */
function ratioSeries(total: ParsedSelector, side: ParsedSelector, sideCounts: 'good' | 'bad'): SeriesResult {
  const other = sideCounts === 'good' ? 'bad' : 'good';
  const fail = { ok: false as const, reason: 'could not find labels that the selectors count as good and as failed events' };
  if (side.metric !== total.metric) {
    const totalLabels = labelsFor(total.matchers, null);
    const sideLabels = labelsFor(side.matchers, null);
    if (!totalLabels || !sideLabels) return fail;
    return {
      ok: true,
      series: [
        { series: seriesText(total.metric, totalLabels), counts: 'all' },
        { series: seriesText(side.metric, sideLabels), counts: sideCounts },
      ],
    };
  }
  const inSide = labelsFor([...total.matchers, ...side.matchers], null);
  const outOfSide = labelsFor(total.matchers, side.matchers);
  if (!inSide || !outOfSide) return fail;
  return {
    ok: true,
    series: [
      { series: seriesText(total.metric, inSide), counts: sideCounts },
      { series: seriesText(total.metric, outOfSide), counts: other },
    ],
  };
}

/** Input counters a promtool test can drive this SLI with, or why it cannot have generated tests. */
export function testSeries(sli: PrometheusSli): SeriesResult {
  switch (sli.kind) {
    case 'ratio': {
      const total = parsed(sli.totalSelector);
      if (sli.goodSelector !== undefined) return ratioSeries(total, parsed(sli.goodSelector), 'good');
      if (sli.badSelector !== undefined) return ratioSeries(total, parsed(sli.badSelector), 'bad');
      return { ok: false, reason: 'a ratio SLI needs goodSelector or badSelector' };
    }
    case 'latency': {
      // Good requests fall in the bucket at the threshold; every request in +Inf and _count.
      const labels = sli.filters;
      return {
        ok: true,
        series: [
          { series: seriesText(`${sli.metric}_bucket`, { ...labels, le: String(sli.thresholdSeconds) }), counts: 'good' },
          { series: seriesText(`${sli.metric}_bucket`, { ...labels, le: '+Inf' }), counts: 'all' },
          { series: seriesText(`${sli.metric}_count`, labels), counts: 'all' },
        ],
      };
    }
    case 'advanced':
      return { ok: false, reason: 'its SLI is raw PromQL, so no input series can be derived from it; write its tests by hand' };
  }
}

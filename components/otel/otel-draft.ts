/** The OpenTelemetry part of the SLO form as typed, and its conversions to and from the OtelSli schema. Pure. */
import { otelTemplate, type OtelAttributeScope, type OtelCondition, type OtelMetricSummary, type OtelSli, type OtelTemplate } from '@/lib/schemas';
import type { FieldErrors } from '@/lib/schemas/field-errors';
import { numberOf } from '../form/values';

export type MatchOperator = 'in' | 'not_in';
export type CompareOperator = 'lt' | 'lte' | 'gt' | 'gte';

interface AttributeFields {
  scope: OtelAttributeScope;
  /** As typed or picked: service.name, http.route. */
  attribute: string;
  /** The attribute is typed rather than picked from the catalog (the UI shows a text box). */
  typed: boolean;
}

/** A filter: only events whose attribute is (or is not) one of `values` count. */
export interface OtelFilterRow extends AttributeFields {
  key: number;
  operator: MatchOperator;
  values: string[];
}

export type OtelGoodRow =
  | ({ key: number; kind: 'match'; operator: MatchOperator; values: string[] } & AttributeFields)
  | ({ key: number; kind: 'compare'; operator: CompareOperator; value: string } & AttributeFields)
  | { key: number; kind: 'latency'; threshold: string };

export interface OtelDraft {
  template: OtelTemplate;
  metric: string;
  filters: OtelFilterRow[];
  good: OtelGoodRow[];
  /** Next row key; part of the state so server and client render the same ids. */
  seq: number;
}

export const SERVICE_NAME = 'service.name';
/** What a latency template proposes when the metric's boundaries are not known (otelTemplate's default). */
const DEFAULT_THRESHOLD = 0.5;

function goodRowOf(condition: OtelCondition, key: number): OtelGoodRow {
  switch (condition.kind) {
    case 'match':
      return {
        key,
        kind: 'match',
        scope: condition.scope,
        attribute: condition.attribute,
        typed: false,
        operator: condition.operator,
        values: [...condition.values],
      };
    case 'compare':
      return {
        key,
        kind: 'compare',
        scope: condition.scope,
        attribute: condition.attribute,
        typed: false,
        operator: condition.operator,
        value: String(condition.value),
      };
    case 'latency':
      return { key, kind: 'latency', threshold: String(condition.threshold) };
  }
}

/** The catalog entry of the metric named (as typed), if Umpire has received it. */
export function metricInfo(catalog: readonly OtelMetricSummary[] | undefined, metric: string): OtelMetricSummary | undefined {
  const name = metric.trim();
  return catalog?.find((m) => m.name === name);
}

/** Explicit histogram boundaries a latency threshold must be one of; empty when Umpire does not know them. */
export function boundsOf(info: OtelMetricSummary | undefined): number[] {
  return info?.type === 'histogram' ? info.bounds.filter((b) => Number.isFinite(b)) : [];
}

/**
 * The draft with a template's metric and good conditions. Filters are kept, and a service.name resource filter
 * (values still to pick) is added if there is none: an SLO is nearly always about one service.
 */
export function applyTemplate(d: OtelDraft, template: OtelTemplate, catalog?: readonly OtelMetricSummary[]): OtelDraft {
  if (template === 'custom') return { ...d, template };
  const base = otelTemplate(template);
  const bounds = boundsOf(metricInfo(catalog, base.metric));
  let seq = d.seq;
  const good = base.good.map((condition) => {
    const row = goodRowOf(condition, seq++);
    // Boundaries known and 0.5 not among them: the user picks one rather than saving a threshold that is refused.
    if (row.kind === 'latency' && bounds.length > 0 && !bounds.includes(DEFAULT_THRESHOLD)) return { ...row, threshold: '' };
    return row;
  });
  const hasService = d.filters.some((f) => f.scope === 'resource' && f.attribute.trim() === SERVICE_NAME);
  const filters = hasService
    ? d.filters
    : [{ key: seq++, scope: 'resource' as const, attribute: SERVICE_NAME, typed: false, operator: 'in' as const, values: [] }, ...d.filters];
  return { ...d, template, metric: base.metric, good, filters, seq };
}

/** A new SLO's OpenTelemetry fields start from the most common SLI, HTTP availability; an existing one's as saved. */
export function otelDraftOf(sli: OtelSli | null): OtelDraft {
  if (!sli) return applyTemplate({ template: 'custom', metric: '', filters: [], good: [], seq: 100 }, 'http_availability');
  let seq = 0;
  return {
    template: sli.template,
    metric: sli.metric,
    filters: sli.filters.map((f) => ({ key: seq++, scope: f.scope, attribute: f.attribute, typed: false, operator: f.operator, values: [...f.values] })),
    good: sli.good.map((c) => goodRowOf(c, seq++)),
    seq: 100,
  };
}

/** The draft as the schema's input; the schema (client and server) says what is wrong with it. */
export function otelSliOf(d: OtelDraft): Record<string, unknown> {
  return {
    source: 'otel',
    metric: d.metric.trim(),
    filters: d.filters.map((f) => ({ kind: 'match', attribute: f.attribute.trim(), scope: f.scope, operator: f.operator, values: f.values })),
    good: d.good.map((row) => {
      switch (row.kind) {
        case 'match':
          return { kind: 'match', attribute: row.attribute.trim(), scope: row.scope, operator: row.operator, values: row.values };
        case 'compare':
          return { kind: 'compare', attribute: row.attribute.trim(), scope: row.scope, operator: row.operator, value: numberOf(row.value) };
        case 'latency':
          return { kind: 'latency', threshold: numberOf(row.threshold) };
      }
    }),
    template: d.template,
  };
}

/** A good-condition row of another kind, keeping the attribute when the new kind has one. */
export function withKind(row: OtelGoodRow, kind: OtelGoodRow['kind']): OtelGoodRow {
  if (row.kind === kind) return row;
  const attr =
    row.kind === 'latency' ? { scope: 'datapoint' as const, attribute: '', typed: false } : { scope: row.scope, attribute: row.attribute, typed: row.typed };
  switch (kind) {
    case 'match':
      return { key: row.key, kind, ...attr, operator: 'in', values: [] };
    case 'compare':
      return { key: row.key, kind, ...attr, operator: 'lt', value: '' };
    case 'latency':
      return { key: row.key, kind, threshold: '' };
  }
}

/**
 * Checks the schema cannot make, against what Umpire has received (the server makes them again on save): a
 * metric that cannot count events, a latency condition on a metric that is not an explicit-bucket histogram.
 */
export function otelLocalErrors(d: OtelDraft, catalog: readonly OtelMetricSummary[] | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const info = metricInfo(catalog, d.metric);
  const unusable = info ? unusableReason(info) : null;
  if (unusable) errors['sli.metric'] = `is ${unusable}`;
  d.good.forEach((row, i) => {
    if (row.kind !== 'latency' || !info) return;
    if (info.type !== 'histogram') errors[`sli.good.${i}.threshold`] = `needs an explicit-bucket histogram; ${info.name} is ${articled(TYPE_WORDS[info.type])}`;
  });
  return errors;
}

export const TYPE_WORDS: Record<OtelMetricSummary['type'], string> = {
  sum: 'sum',
  gauge: 'gauge',
  histogram: 'histogram',
  exponential_histogram: 'exponential histogram',
  summary: 'summary',
};

function articled(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** Why a metric cannot be an SLI, in words; null when it can. */
export function unusableReason(m: Pick<OtelMetricSummary, 'type' | 'monotonic' | 'usable'>): string | null {
  if (m.usable) return null;
  if (m.type === 'sum') return 'a non-monotonic sum (an up-down counter): it does not count events';
  if (m.type === 'gauge') return 'a gauge: it measures a value, it does not count events';
  if (m.type === 'summary') return 'a summary: its quantiles cannot be added up into good and total events';
  return `${articled(TYPE_WORDS[m.type])}: it cannot count events`;
}

const TEMPLATE_LABELS: Record<OtelTemplate, string> = {
  http_availability: 'HTTP availability',
  http_latency: 'HTTP latency',
  grpc_availability: 'gRPC availability',
  grpc_latency: 'gRPC latency',
  custom: 'Custom',
};

export function templateLabel(template: OtelTemplate): string {
  return TEMPLATE_LABELS[template];
}

/** Where an `sli.*` error path of an OpenTelemetry SLI is shown. */
export function otelLocate(path: string, d: OtelDraft): { id: string; label: string } | null {
  const fixed: Record<string, { id: string; label: string }> = {
    'sli.metric': { id: 'slo-otel-metric', label: 'Metric' },
    'sli.template': { id: `slo-otel-template-${d.template}`, label: 'Template' },
    'sli.filters': { id: 'slo-otel-filters-add', label: 'Filters' },
    'sli.good': { id: 'slo-otel-good-add', label: 'Good events' },
  };
  if (fixed[path]) return fixed[path];
  const filter = /^sli\.filters\.(\d+)(?:\.([a-z]+))?/i.exec(path);
  if (filter) {
    const i = Number(filter[1]);
    const row = d.filters[i];
    if (!row) return fixed['sli.filters']!;
    const field = filter[2] === 'values' || filter[2] === 'operator' ? filter[2] : 'attribute';
    // Values messages read "needs at least one value": after the row's name, not after "values".
    return { id: `slo-otel-filter-${row.key}-${field}`, label: field === 'values' ? `Filter ${i + 1}` : `Filter ${i + 1} ${field}` };
  }
  const good = /^sli\.good\.(\d+)(?:\.([a-z]+))?/i.exec(path);
  if (good) {
    const i = Number(good[1]);
    const row = d.good[i];
    if (!row) return fixed['sli.good']!;
    const field = good[2] ?? 'kind';
    if (row.kind === 'latency') return { id: `slo-otel-good-${row.key}-threshold`, label: 'Latency threshold' };
    const known = ['attribute', 'operator', 'values', 'value'].includes(field) ? field : 'kind';
    const label = { attribute: ' attribute', operator: ' operator', values: '', value: ' number', kind: '' }[known]!;
    return { id: `slo-otel-good-${row.key}-${known}`, label: `Condition ${i + 1}${label}` };
  }
  return null;
}

const COMPARE_SYMBOL: Record<CompareOperator, string> = { lt: '<', lte: '≤', gt: '>', gte: '≥' };

export function compareSymbol(operator: CompareOperator): string {
  return COMPARE_SYMBOL[operator];
}

/** A boundary with the metric's unit: 0.25 and "s" -> "0.25 s"; UCUM annotations ({request}) are not units. */
export function formatWithUnit(value: number | string, unit: string | undefined): string {
  const u = (unit ?? '').trim();
  return u === '' || u === '1' || /^\{.*\}$/.test(u) ? String(value) : `${value} ${u}`;
}

type MatchLike = { attribute: string; operator: MatchOperator; values: readonly string[]; scope?: OtelAttributeScope };

function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `“${v}”`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** service.name is “shop”; http.route is not “/health” or “/ready”. */
export function matchWords(m: MatchLike): string {
  const name = m.attribute.trim() || '(attribute)';
  if (m.values.length === 0) return `${name} ${m.operator === 'in' ? 'is' : 'is not'} (no value picked yet)`;
  if (m.operator === 'in') return `${name} is ${m.values.length === 1 ? '' : 'one of '}${quoteList(m.values)}`;
  return `${name} is not ${quoteList(m.values)}`;
}

/** One good condition in words: "http.response.status_code < 500", "took at most 0.25 s". */
export function conditionWords(c: OtelCondition | OtelGoodRow, unit?: string): string {
  switch (c.kind) {
    case 'match':
      return matchWords(c);
    case 'compare':
      return `${c.attribute.trim() || '(attribute)'} ${COMPARE_SYMBOL[c.operator]} ${typeof c.value === 'string' ? c.value.trim() || '?' : c.value}`;
    case 'latency': {
      const threshold = typeof c.threshold === 'string' ? c.threshold.trim() || '?' : c.threshold;
      return unit === undefined ? `took at most ${threshold} (in the metric’s unit)` : `took at most ${formatWithUnit(threshold, unit)}`;
    }
  }
}

/** What is counted, one sentence each for total and good events, for an SLI as saved or as typed. */
export function otelSentences(
  sli: { metric: string; filters: readonly MatchLike[]; good: ReadonlyArray<OtelCondition | OtelGoodRow> },
  info?: Pick<OtelMetricSummary, 'type' | 'unit'>,
): { total: string; good: string } {
  const metric = sli.metric.trim() || '(no metric chosen)';
  const what =
    info?.type === 'sum'
      ? `everything added to ${metric}`
      : info?.type === 'histogram' || info?.type === 'exponential_histogram'
        ? `every measurement recorded in ${metric} (the histogram’s count)`
        : `every event of ${metric} (a histogram’s count or a counter’s increase)`;
  const where = sli.filters.length > 0 ? ` where ${sli.filters.map(matchWords).join(' and ')}` : ', from every service and series';
  const attributes = sli.good.filter((c) => c.kind !== 'latency').map((c) => conditionWords(c));
  const latency = sli.good.filter((c) => c.kind === 'latency').map((c) => conditionWords(c, info?.unit));
  let good = 'none yet: add a condition.';
  if (attributes.length > 0 && latency.length > 0) good = `those where ${attributes.join(' and ')}, and that ${latency.join(' and ')}.`;
  else if (attributes.length > 0) good = `those where ${attributes.join(' and ')}.`;
  else if (latency.length > 0) good = `those that ${latency.join(' and ')}.`;
  return { total: `${what}${where}.`, good };
}

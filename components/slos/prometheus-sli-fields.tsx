'use client';

import Link from 'next/link';
import type { DataSource, PrometheusSli } from '@/lib/schemas';
import { Field, fieldMessage, InlineError, type FieldErrors } from '../form/form-kit';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { RowsTable } from '../form/rows-table';
import { numberOf } from '../form/values';

export type PrometheusKind = PrometheusSli['kind'];

interface FilterRow {
  key: number;
  label: string;
  value: string;
}

/** The Prometheus part of the SLO form, as typed. */
export interface PromDraft {
  datasource: string;
  kind: PrometheusKind;
  /** Ratio: whether the first selector counts good or bad events. */
  ratioMode: 'good' | 'bad';
  eventSelector: string;
  totalSelector: string;
  metric: string;
  thresholdSeconds: string;
  filters: FilterRow[];
  goodQuery: string;
  totalQuery: string;
  /** Next filter row key; part of the state so server and client render the same ids. */
  seq: number;
}

export function promDraftOf(sli: PrometheusSli | null, datasources: readonly DataSource[]): PromDraft {
  const draft: PromDraft = {
    datasource: sli?.datasource ?? datasources[0]?.slug ?? '',
    kind: sli?.kind ?? 'ratio',
    ratioMode: 'good',
    eventSelector: '',
    totalSelector: '',
    metric: '',
    thresholdSeconds: '',
    filters: [],
    goodQuery: '',
    totalQuery: '',
    seq: 100,
  };
  if (sli?.kind === 'ratio') {
    draft.ratioMode = sli.badSelector !== undefined ? 'bad' : 'good';
    draft.eventSelector = sli.badSelector ?? sli.goodSelector ?? '';
    draft.totalSelector = sli.totalSelector;
  } else if (sli?.kind === 'latency') {
    draft.metric = sli.metric;
    draft.thresholdSeconds = String(sli.thresholdSeconds);
    draft.filters = Object.entries(sli.filters).map(([label, value], i) => ({ key: i, label, value }));
  } else if (sli?.kind === 'advanced') {
    draft.goodQuery = sli.goodQuery;
    draft.totalQuery = sli.totalQuery;
  }
  return draft;
}

/** The draft as the schema's input; the schema (client and server) says what is wrong with it. */
export function promSliOf(d: PromDraft): Record<string, unknown> {
  const base = { source: 'prometheus', datasource: d.datasource };
  switch (d.kind) {
    case 'ratio':
      return { ...base, kind: 'ratio', [d.ratioMode === 'good' ? 'goodSelector' : 'badSelector']: d.eventSelector, totalSelector: d.totalSelector };
    case 'latency':
      return {
        ...base,
        kind: 'latency',
        metric: d.metric.trim(),
        thresholdSeconds: numberOf(d.thresholdSeconds),
        filters: Object.fromEntries(d.filters.filter((f) => f.label.trim() !== '' || f.value !== '').map((f) => [f.label.trim(), f.value])),
      };
    case 'advanced':
      return { ...base, kind: 'advanced', goodQuery: d.goodQuery, totalQuery: d.totalQuery };
  }
}

/** A label filtered twice would silently keep only the last value. */
export function promLocalErrors(d: PromDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (d.kind !== 'latency') return errors;
  const seen = new Set<string>();
  for (const row of d.filters) {
    const label = row.label.trim();
    if (label === '' && row.value !== '') errors[`sli.filters.#${row.key}`] = 'needs a label name';
    if (label !== '' && seen.has(label)) errors[`sli.filters.${label}`] = 'is used twice';
    seen.add(label);
  }
  return errors;
}

/** Where an `sli.*` error path of a Prometheus SLI is shown. */
export function promLocate(path: string, d: PromDraft): { id: string; label: string } | null {
  const eventLabel = d.ratioMode === 'good' ? 'Good events' : 'Bad events';
  const fixed: Record<string, { id: string; label: string }> = {
    'sli.datasource': { id: 'slo-datasource', label: 'Data source' },
    'sli.kind': { id: `slo-prom-kind-${d.kind}`, label: 'SLI kind' },
    'sli.goodSelector': { id: 'slo-event-selector', label: eventLabel },
    'sli.badSelector': { id: 'slo-event-selector', label: eventLabel },
    'sli.totalSelector': { id: 'slo-total-selector', label: 'Total events' },
    'sli.metric': { id: 'slo-metric', label: 'Histogram' },
    'sli.thresholdSeconds': { id: 'slo-threshold', label: 'Threshold' },
    'sli.filters': { id: 'slo-filters-add', label: 'Label filters' },
    'sli.goodQuery': { id: 'slo-good-query', label: 'Good events query' },
    'sli.totalQuery': { id: 'slo-total-query', label: 'Total events query' },
  };
  if (fixed[path]) return fixed[path];
  const byKey = /^sli\.filters\.#(\d+)$/.exec(path);
  if (byKey) return { id: `slo-filter-${byKey[1]}-label`, label: 'Filter' };
  const filter = /^sli\.filters\.(.+)$/.exec(path);
  if (filter) {
    const row = d.filters.find((f) => f.label.trim() === filter[1]);
    if (row) return { id: `slo-filter-${row.key}-label`, label: `Filter “${row.label.trim()}”` };
    return fixed['sli.filters']!;
  }
  return null;
}

const KINDS: Array<{ kind: PrometheusKind; title: string; detail: string }> = [
  { kind: 'ratio', title: 'Ratio', detail: 'Good (or bad) events over all events, from two counters.' },
  { kind: 'latency', title: 'Latency (histogram)', detail: 'Requests at or under a bucket boundary of a classic histogram.' },
  { kind: 'advanced', title: 'Advanced PromQL', detail: 'Your own good and total queries, for what the builders cannot say.' },
];

const SELECTOR_HINT = 'A counter selector: a metric name and label matchers, no functions. Umpire applies increase() itself.';

export interface PrometheusSliFieldsProps {
  value: PromDraft;
  onChange: (update: (d: PromDraft) => PromDraft) => void;
  datasources: readonly DataSource[];
  /** The error shown at a control id, if any. */
  err: (id: string) => string | undefined;
}

/** Data source, SLI kind and the kind's own fields. */
export function PrometheusSliFields({ value: d, onChange, datasources, err }: PrometheusSliFieldsProps) {
  const set = <K extends keyof PromDraft>(key: K, v: PromDraft[K]) => onChange((p) => ({ ...p, [key]: v }));
  const kindError = err(`slo-prom-kind-${d.kind}`);
  const known = datasources.some((ds) => ds.slug === d.datasource);

  return (
    <>
      {datasources.length === 0 ? (
        <div className="callout callout-warning" style={{ marginTop: 14 }} role="note">
          <span>
            <strong>No data source yet.</strong> An SLO reads Prometheus through a registered data source.{' '}
            <Link href="/datasources/new" target="_blank" rel="noopener">
              Add a data source (opens a new tab)
            </Link>
            ; this list updates when you come back.
          </span>
        </div>
      ) : null}
      <div className="field-row two" style={{ marginTop: 14 }}>
        <Field
          id="slo-datasource"
          label="Data source"
          error={err('slo-datasource')}
          hint={
            <>
              Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics. <Link href="/datasources">Manage data sources</Link>
            </>
          }
        >
          {(a) => (
            <select {...a} value={d.datasource} onChange={(e) => set('datasource', e.target.value)}>
              {d.datasource === '' ? <option value="">Choose a data source</option> : null}
              {!known && d.datasource !== '' ? <option value={d.datasource}>{d.datasource} (not registered)</option> : null}
              {datasources.map((ds) => (
                <option key={ds.slug} value={ds.slug}>
                  {ds.name} ({ds.slug})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="choice-group" style={{ marginTop: 14 }} aria-describedby={kindError ? 'slo-prom-kind-error' : undefined}>
        <legend>SLI kind</legend>
        <div className="choices">
          {KINDS.map((k) => (
            <label key={k.kind} className="choice">
              <input id={`slo-prom-kind-${k.kind}`} type="radio" name="prom-kind" checked={d.kind === k.kind} onChange={() => set('kind', k.kind)} />
              <span>
                <strong>{k.title}</strong>
                <small>{k.detail}</small>
              </span>
            </label>
          ))}
        </div>
        <InlineError id="slo-prom-kind-error" message={kindError ? fieldMessage('SLI kind', kindError) : undefined} />
      </fieldset>

      {d.kind === 'ratio' ? (
        <>
          <fieldset className="choice-group" style={{ marginTop: 14 }}>
            <legend>The first selector counts</legend>
            <div className="choices">
              <label className="choice">
                <input id="slo-ratio-good" type="radio" name="ratio-mode" checked={d.ratioMode === 'good'} onChange={() => set('ratioMode', 'good')} />
                <span>
                  <strong>Good events</strong>
                  <small>SLI = good / total</small>
                </span>
              </label>
              <label className="choice">
                <input id="slo-ratio-bad" type="radio" name="ratio-mode" checked={d.ratioMode === 'bad'} onChange={() => set('ratioMode', 'bad')} />
                <span>
                  <strong>Bad events</strong>
                  <small>SLI = 1 − bad / total</small>
                </span>
              </label>
            </div>
          </fieldset>
          <Field id="slo-event-selector" label={d.ratioMode === 'good' ? 'Good events' : 'Bad events'} error={err('slo-event-selector')} hint={SELECTOR_HINT}>
            {(a) => (
              <input
                {...a}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                value={d.eventSelector}
                placeholder={d.ratioMode === 'good' ? 'http_requests_total{job="api",code!~"5.."}' : 'http_requests_total{job="api",code=~"5.."}'}
                onChange={(e) => set('eventSelector', e.target.value)}
              />
            )}
          </Field>
          <Field
            id="slo-total-selector"
            label="Total events"
            error={err('slo-total-selector')}
            hint="Every event, good or bad: usually the same metric without the status matcher."
          >
            {(a) => (
              <input
                {...a}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                value={d.totalSelector}
                placeholder='http_requests_total{job="api"}'
                onChange={(e) => set('totalSelector', e.target.value)}
              />
            )}
          </Field>
        </>
      ) : null}

      {d.kind === 'latency' ? (
        <>
          <div className="field-row two" style={{ marginTop: 14 }}>
            <Field id="slo-metric" label="Histogram" error={err('slo-metric')} hint="The classic histogram’s name, without _bucket, _count or _sum.">
              {(a) => (
                <input
                  {...a}
                  type="text"
                  className="mono"
                  autoComplete="off"
                  spellCheck={false}
                  value={d.metric}
                  placeholder="http_request_duration_seconds"
                  onChange={(e) => set('metric', e.target.value)}
                />
              )}
            </Field>
            <Field
              id="slo-threshold"
              label="Threshold"
              error={err('slo-threshold')}
              hint="Good means at or under this; it must be one of the histogram’s bucket boundaries (le)."
            >
              {(a) => (
                <div className="input-suffix">
                  <input
                    {...a}
                    type="text"
                    inputMode="decimal"
                    value={d.thresholdSeconds}
                    placeholder="0.25"
                    onChange={(e) => set('thresholdSeconds', e.target.value)}
                  />
                  <span aria-hidden="true">s</span>
                </div>
              )}
            </Field>
          </div>
          <div className="field" style={{ marginTop: 14 }}>
            <span className="field-label">Label filters</span>
            <p className="field-hint">Equality matchers on the histogram’s series, e.g. job = api. le is set by Umpire.</p>
            {d.filters.length > 0 ? (
              <RowsTable
                label="Label filters"
                columns={['Label', 'Value']}
                rows={d.filters}
                rowName="filter"
                onRemove={(key) => onChange((p) => ({ ...p, filters: rowRemoved(p.filters, key) }))}
                cells={(row, i) => {
                  const labelId = `slo-filter-${row.key}-label`;
                  const setRow = (patch: Partial<FilterRow>) => onChange((p) => ({ ...p, filters: rowChanged(p.filters, row.key, patch) }));
                  return (
                    <>
                      <td>
                        <input
                          id={labelId}
                          aria-label={`Filter ${i + 1} label`}
                          aria-invalid={err(labelId) ? true : undefined}
                          aria-describedby={err(labelId) ? `${labelId}-error` : undefined}
                          type="text"
                          className="mono"
                          autoComplete="off"
                          spellCheck={false}
                          value={row.label}
                          placeholder="job"
                          onChange={(e) => setRow({ label: e.target.value })}
                        />
                        <InlineError id={`${labelId}-error`} message={err(labelId) ? `Label ${err(labelId)}` : undefined} />
                      </td>
                      <td>
                        <input
                          id={`slo-filter-${row.key}-value`}
                          aria-label={`Filter ${i + 1} value`}
                          type="text"
                          className="mono"
                          autoComplete="off"
                          spellCheck={false}
                          value={row.value}
                          placeholder="api"
                          onChange={(e) => setRow({ value: e.target.value })}
                        />
                      </td>
                    </>
                  );
                }}
              />
            ) : null}
            <div className="form-actions" style={{ marginTop: 6 }}>
              <button
                id="slo-filters-add"
                type="button"
                className="btn btn-secondary btn-sm"
                aria-describedby={err('slo-filters-add') ? 'slo-filters-add-error' : undefined}
                onClick={() => onChange((p) => ({ ...p, seq: p.seq + 1, filters: rowAdded(p.filters, { key: p.seq, label: '', value: '' }) }))}
              >
                Add filter
              </button>
            </div>
            <InlineError id="slo-filters-add-error" message={err('slo-filters-add') ? fieldMessage('Label filters', err('slo-filters-add')!) : undefined} />
          </div>
        </>
      ) : null}

      {d.kind === 'advanced' ? (
        <>
          <Field
            id="slo-good-query"
            label="Good events query"
            error={err('slo-good-query')}
            hint={
              <>
                PromQL giving one number: the good events in <code>$__range</code>, which Umpire replaces with each bucket’s range.
              </>
            }
          >
            {(a) => (
              <textarea
                {...a}
                rows={3}
                className="mono"
                spellCheck={false}
                value={d.goodQuery}
                placeholder='sum(increase(http_requests_total{job="api",code!~"5.."}[$__range]))'
                onChange={(e) => set('goodQuery', e.target.value)}
              />
            )}
          </Field>
          <Field
            id="slo-total-query"
            label="Total events query"
            error={err('slo-total-query')}
            hint={
              <>
                All events in <code>$__range</code>.
              </>
            }
          >
            {(a) => (
              <textarea
                {...a}
                rows={3}
                className="mono"
                spellCheck={false}
                value={d.totalQuery}
                placeholder='sum(increase(http_requests_total{job="api"}[$__range]))'
                onChange={(e) => set('totalQuery', e.target.value)}
              />
            )}
          </Field>
        </>
      ) : null}
    </>
  );
}

'use client';

import { useState } from 'react';
import type { OtelAttributeScope, OtelMetricSummary, OtelTemplate } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { Field, fieldMessage, InlineError } from '../form/form-kit';
import { rowChanged, rowRemoved } from '../form/rows';
import { LocalTime } from '../local-time';
import { ExporterHowTo } from './exporter-howto';
import {
  applyTemplate,
  boundsOf,
  compareSymbol,
  formatWithUnit,
  metricInfo,
  otelSentences,
  templateLabel,
  TYPE_WORDS,
  unusableReason,
  withKind,
  type CompareOperator,
  type MatchOperator,
  type OtelDraft,
  type OtelFilterRow,
  type OtelGoodRow,
} from './otel-draft';
import { useOtelCatalog } from './use-otel-catalog';
import './otel.css';

const TEMPLATES: Array<{ template: OtelTemplate; detail: string }> = [
  { template: 'http_availability', detail: 'http.server.request.duration; good: status code below 500.' },
  { template: 'http_latency', detail: 'http.server.request.duration; good: at most a duration.' },
  { template: 'grpc_availability', detail: 'rpc.server.duration; good: no server-side gRPC error.' },
  { template: 'grpc_latency', detail: 'rpc.server.duration; good: at most a duration.' },
  { template: 'custom', detail: 'Any counter or histogram, with your own conditions.' },
];

const TEMPORALITY_WORDS: Record<OtelMetricSummary['temporality'], string> = {
  cumulative: 'cumulative',
  delta: 'delta',
  unspecified: 'temporality unspecified',
};

/** "histogram · s · cumulative": what the catalog knows about a metric, short. */
function metricFacts(m: OtelMetricSummary): string {
  const type = m.type === 'sum' ? (m.monotonic ? 'counter (monotonic sum)' : 'up-down counter') : TYPE_WORDS[m.type];
  return [type, m.unit ? `unit ${m.unit}` : 'no unit', TEMPORALITY_WORDS[m.temporality]].join(' · ');
}

const OTHER = '__other__';
const attrOf = (row: AttributeFields): AttributeFields => ({ scope: row.scope, attribute: row.attribute, typed: row.typed });
const attrValue = (scope: OtelAttributeScope, key: string) => `${scope}|${key}`;

interface AttributeFields {
  scope: OtelAttributeScope;
  attribute: string;
  typed: boolean;
}

interface AttributePickerProps {
  id: string;
  value: AttributeFields;
  attributes: OtelMetricSummary['attributes'];
  error: string | undefined;
  onChange: (value: AttributeFields) => void;
}

/** An attribute key picked from those seen on the metric (resource and data point apart), or typed. */
function AttributePicker({ id, value, attributes, error, onChange }: AttributePickerProps) {
  const key = value.attribute.trim();
  const byScope = (scope: OtelAttributeScope) =>
    attributes
      .filter((a) => a.scope === scope)
      .map((a) => a.key)
      .sort((a, b) => (a === 'service.name' ? -1 : b === 'service.name' ? 1 : a.localeCompare(b)));
  const resource = byScope('resource');
  const datapoint = byScope('datapoint');
  const known = (value.scope === 'resource' ? resource : datapoint).includes(key);
  const selected = value.typed ? OTHER : key === '' ? '' : attrValue(value.scope, key);
  const extra = !value.typed && key !== '' && !known ? <option value={attrValue(value.scope, key)}>{key} (not seen on this metric)</option> : null;

  return (
    <div>
      <Field id={id} label="Attribute" error={error}>
        {(a) => (
          <select
            {...a}
            value={selected}
            onChange={(e) => {
              const v = e.target.value;
              if (v === OTHER) onChange({ ...value, typed: true });
              else if (v === '') onChange({ ...value, attribute: '', typed: false });
              else {
                const bar = v.indexOf('|');
                onChange({ scope: v.slice(0, bar) as OtelAttributeScope, attribute: v.slice(bar + 1), typed: false });
              }
            }}
          >
            {selected === '' ? <option value="">Choose an attribute</option> : null}
            <optgroup label="Resource attributes (the service)">
              {resource.map((k) => (
                <option key={k} value={attrValue('resource', k)}>
                  {k}
                </option>
              ))}
              {value.scope === 'resource' ? extra : null}
            </optgroup>
            <optgroup label="Data point attributes (each measurement)">
              {datapoint.map((k) => (
                <option key={k} value={attrValue('datapoint', k)}>
                  {k}
                </option>
              ))}
              {value.scope === 'datapoint' ? extra : null}
            </optgroup>
            <option value={OTHER}>Another attribute (type its name)…</option>
          </select>
        )}
      </Field>
      {value.typed ? (
        <div className="otel-row-grid" style={{ marginTop: 8 }}>
          <Field id={`${id}-name`} label="Attribute name">
            {(a) => (
              <input
                {...a}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                value={value.attribute}
                placeholder="deployment.environment"
                onChange={(e) => onChange({ ...value, attribute: e.target.value })}
              />
            )}
          </Field>
          <Field id={`${id}-scope`} label="Found on">
            {(a) => (
              <select {...a} value={value.scope} onChange={(e) => onChange({ ...value, scope: e.target.value as OtelAttributeScope })}>
                <option value="resource">the resource</option>
                <option value="datapoint">each data point</option>
              </select>
            )}
          </Field>
        </div>
      ) : null}
    </div>
  );
}

interface ValuePickerProps {
  id: string;
  /** What the values are of, for accessible names: "Filter 1". */
  owner: string;
  seen: readonly string[];
  truncated: boolean;
  chosen: readonly string[];
  error: string | undefined;
  onChange: (values: string[]) => void;
}

/** Checkboxes for the values seen (newest first), plus a box to add one not seen yet. */
function ValuePicker({ id, owner, seen, truncated, chosen, error, onChange }: ValuePickerProps) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const all = [...chosen.filter((v) => !seen.includes(v)), ...seen];
  const needle = search.trim().toLowerCase();
  const shown = needle ? all.filter((v) => v.toLowerCase().includes(needle)) : all;
  const toggle = (v: string, on: boolean) => onChange(on ? [...chosen, v] : chosen.filter((x) => x !== v));
  function add() {
    if (typed.trim() === '') return;
    if (!chosen.includes(typed)) onChange([...chosen, typed]);
    setTyped('');
  }

  return (
    <fieldset className="otel-values" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Values</legend>
      {all.length > 12 ? (
        <input
          type="search"
          aria-label={`${owner}: filter the values`}
          placeholder="Filter the values"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ marginBottom: 6, maxWidth: 320 }}
        />
      ) : null}
      {all.length > 0 ? (
        <div className="otel-value-list">
          {shown.map((v) => (
            <label key={v} className="otel-value-chip">
              <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => toggle(v, e.target.checked)} />
              {v === '' ? '(empty)' : v}
            </label>
          ))}
          {shown.length === 0 ? <span className="field-hint">No value matches “{search.trim()}”.</span> : null}
        </div>
      ) : (
        <p className="field-hint">No values seen for this attribute yet: type one below.</p>
      )}
      {truncated ? <p className="field-hint">Only the 100 most recent values are listed; type any other below.</p> : null}
      <div className="otel-add-value">
        <input
          id={id}
          type="text"
          className="mono"
          autoComplete="off"
          spellCheck={false}
          aria-label={`${owner}: a value not listed`}
          aria-invalid={error ? true : undefined}
          placeholder="A value not listed"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the value; it must not submit the SLO form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="btn btn-secondary btn-sm" onClick={add} disabled={typed.trim() === ''} aria-label={`${owner}: add this value`}>
          Add
        </button>
      </div>
      <InlineError id={`${id}-error`} message={error ? fieldMessage(owner, error) : undefined} />
    </fieldset>
  );
}

interface ThresholdPickerProps {
  id: string;
  threshold: string;
  info: OtelMetricSummary | undefined;
  error: string | undefined;
  onChange: (threshold: string) => void;
}

/** A latency threshold: one of the histogram's boundaries when Umpire knows them, a number otherwise. */
function ThresholdPicker({ id, threshold, info, error, onChange }: ThresholdPickerProps) {
  const bounds = boundsOf(info);
  const unit = info?.unit ?? '';
  if (bounds.length > 0) {
    const match = bounds.find((b) => threshold.trim() !== '' && Number(threshold) === b);
    const selected = match !== undefined ? String(match) : threshold.trim();
    return (
      <Field
        id={id}
        label="At most"
        error={error}
        hint={`Good: at or under this bucket boundary of ${info!.name}. Events inside a bucket cannot be split, so only boundaries can be chosen.`}
      >
        {(a) => (
          <select {...a} value={selected} onChange={(e) => onChange(e.target.value)}>
            {selected === '' ? <option value="">Choose a boundary</option> : null}
            {match === undefined && selected !== '' ? (
              <option value={selected}>{formatWithUnit(selected, unit)} (not a boundary of this histogram)</option>
            ) : null}
            {bounds.map((b) => (
              <option key={b} value={String(b)}>
                {formatWithUnit(b, unit)}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  }
  return (
    <Field
      id={id}
      label="At most"
      error={error}
      hint="Umpire has not seen this histogram’s bucket boundaries yet: type one of the boundaries your SDK uses, in the metric’s unit (seconds for http.server.request.duration)."
    >
      {(a) => (
        <div className="input-suffix">
          <input {...a} type="text" inputMode="decimal" autoComplete="off" value={threshold} placeholder="0.5" onChange={(e) => onChange(e.target.value)} />
          <span aria-hidden="true">{unit || 'unit'}</span>
        </div>
      )}
    </Field>
  );
}

export interface OtelSliFieldsProps {
  value: OtelDraft;
  onChange: (update: (d: OtelDraft) => OtelDraft) => void;
  /** The error shown at a control id, if any. */
  err: (id: string) => string | undefined;
}

/**
 * The OpenTelemetry SLI: a template, the metric (picked from what Umpire has received, or typed), filters on
 * attribute values seen, and good-event conditions. Picking is the easy path; typing is the fallback.
 */
export function OtelSliFields({ value: d, onChange, err }: OtelSliFieldsProps) {
  const [search, setSearch] = useState('');
  const { catalog, truncated, shown: shownMetrics, page: catalogQuery } = useOtelCatalog({ metric: d.metric, search });
  const info = metricInfo(catalog, d.metric);
  const attributes = info?.attributes ?? [];
  const metrics = catalog ?? [];
  const hasLatency = d.good.some((g) => g.kind === 'latency');
  const sentences = otelSentences(d, info);
  const seenFor = (scope: OtelAttributeScope, key: string) => attributes.find((a) => a.scope === scope && a.key === key.trim());

  const setFilter = (key: number, patch: Partial<OtelFilterRow>) => onChange((p) => ({ ...p, filters: rowChanged(p.filters, key, patch) }));
  const setGood = (key: number, next: (row: OtelGoodRow) => OtelGoodRow) => onChange((p) => ({ ...p, good: p.good.map((g) => (g.key === key ? next(g) : g)) }));
  const templateError = err(`slo-otel-template-${d.template}`);

  return (
    <>
      <fieldset className="choice-group" style={{ marginTop: 14 }} aria-describedby={templateError ? 'slo-otel-template-error' : undefined}>
        <legend>Template</legend>
        <div className="choices grid-2">
          {TEMPLATES.map((t) => (
            <label key={t.template} className="choice">
              <input
                id={`slo-otel-template-${t.template}`}
                type="radio"
                name="otel-template"
                checked={d.template === t.template}
                onChange={() => onChange((p) => applyTemplate(p, t.template, catalog))}
              />
              <span>
                <strong>{templateLabel(t.template)}</strong>
                <small>{t.detail}</small>
              </span>
            </label>
          ))}
        </div>
        <p className="field-hint" style={{ marginTop: 6 }}>
          A template fills in the metric and the good-event condition from the OpenTelemetry semantic conventions, and adds a service.name filter for you to
          pick the service.
        </p>
        <InlineError id="slo-otel-template-error" message={templateError ? fieldMessage('Template', templateError) : undefined} />
      </fieldset>

      <fieldset className="choice-group" style={{ marginTop: 18 }}>
        <legend>Metric</legend>
        {catalogQuery.isPending ? (
          <p className="field-hint" role="status">
            Loading the metrics Umpire has received…
          </p>
        ) : catalogQuery.isError ? (
          <div className="callout callout-danger" role="alert">
            <span>
              <strong>Could not load the metrics received.</strong> {errorMessage(catalogQuery.error)} You can still type the metric’s name below.
            </span>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void catalogQuery.refetch()} disabled={catalogQuery.isFetching}>
              {catalogQuery.isFetching ? 'Retrying…' : 'Retry'}
            </button>
          </div>
        ) : metrics.length === 0 ? (
          <ExporterHowTo newTab />
        ) : (
          <>
            <p className="field-hint">
              Metrics Umpire has received recently, those SLOs read first. Counters (monotonic sums) and histograms can be SLIs.
              {truncated ? ' More have arrived than are listed here (each ingest token’s most recent ones are): filter by name to find the others.' : ''}
            </p>
            {metrics.length > 8 || truncated ? (
              <input
                type="search"
                aria-label="Filter the metrics received"
                placeholder="Filter by name"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                style={{ marginTop: 6, maxWidth: 360 }}
              />
            ) : null}
            <div className="otel-pick-list" data-testid="otel-metric-list">
              {shownMetrics.map((m) => {
                const why = unusableReason(m);
                return (
                  <label key={m.name} className="otel-pick-item">
                    <input
                      type="radio"
                      name="otel-metric"
                      value={m.name}
                      checked={d.metric.trim() === m.name}
                      disabled={why !== null}
                      onChange={() => onChange((p) => ({ ...p, metric: m.name }))}
                    />
                    {/* Spaces between the parts: the radio's accessible name is this text run together. */}
                    <span>
                      <span className="otel-pick-name">{m.name}</span>{' '}
                      <span className="otel-pick-meta">
                        {metricFacts(m)} · last seen <LocalTime iso={m.lastSeenAt} />
                        {m.slos > 0 ? ` · read by ${m.slos} SLO${m.slos === 1 ? '' : 's'}` : ''}
                      </span>{' '}
                      {m.description ? <span className="otel-pick-meta">{m.description}</span> : null}{' '}
                      {why ? <span className="otel-pick-why">Cannot be an SLI: {why}.</span> : null}
                    </span>
                  </label>
                );
              })}
              {shownMetrics.length === 0 ? <p className="field-hint">No metric received matches “{search.trim()}”.</p> : null}
            </div>
          </>
        )}
        <Field
          id="slo-otel-metric"
          label="Metric name"
          error={err('slo-otel-metric')}
          hint={
            d.metric.trim() !== '' && catalog && !info
              ? `Umpire has not received ${d.metric.trim()} yet. The SLO can still be saved: it counts the metric from when it arrives.`
              : info && !info.usable
                ? `${info.name} is ${unusableReason(info)}; pick a counter or a histogram.`
                : 'Picked above, or typed: an instrument name such as http.server.request.duration.'
          }
        >
          {(a) => (
            <input
              {...a}
              type="text"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              value={d.metric}
              placeholder="http.server.request.duration"
              onChange={(e) => onChange((p) => ({ ...p, metric: e.target.value }))}
            />
          )}
        </Field>
      </fieldset>

      <div className="field" style={{ marginTop: 18 }}>
        <span className="field-label">Which events count</span>
        <p className="field-hint">
          Only events whose attributes pass every filter count, good or bad. Resource attributes describe the service (service.name); data point attributes
          describe each measurement (http.route).
        </p>
        {d.filters.map((row, i) => {
          const base = `slo-otel-filter-${row.key}`;
          const seen = row.typed ? undefined : seenFor(row.scope, row.attribute);
          return (
            <div key={row.key} className="otel-row" role="group" aria-labelledby={`${base}-title`} data-testid="otel-filter">
              <div className="otel-row-head">
                <span id={`${base}-title`}>Filter {i + 1}</span>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Remove filter ${i + 1}`}
                  onClick={() => onChange((p) => ({ ...p, filters: rowRemoved(p.filters, row.key) }))}
                >
                  Remove
                </button>
              </div>
              <div className="otel-row-grid">
                <AttributePicker
                  id={`${base}-attribute`}
                  value={attrOf(row)}
                  attributes={attributes}
                  error={err(`${base}-attribute`)}
                  onChange={(v) => setFilter(row.key, v.attribute.trim() !== row.attribute.trim() || v.scope !== row.scope ? { ...v, values: [] } : v)}
                />
                <Field id={`${base}-operator`} label="Operator" error={err(`${base}-operator`)}>
                  {(a) => (
                    <select {...a} value={row.operator} onChange={(e) => setFilter(row.key, { operator: e.target.value as MatchOperator })}>
                      <option value="in">is one of (in)</option>
                      <option value="not_in">is none of (not in)</option>
                    </select>
                  )}
                </Field>
              </div>
              <ValuePicker
                id={`${base}-values`}
                owner={`Filter ${i + 1}`}
                seen={seen?.values ?? []}
                truncated={seen?.truncated ?? false}
                chosen={row.values}
                error={err(`${base}-values`)}
                onChange={(values) => setFilter(row.key, { values })}
              />
            </div>
          );
        })}
        <div className="form-actions" style={{ marginTop: 10 }}>
          <button
            id="slo-otel-filters-add"
            type="button"
            className="btn btn-secondary btn-sm"
            aria-describedby={err('slo-otel-filters-add') ? 'slo-otel-filters-add-error' : undefined}
            onClick={() =>
              onChange((p) => ({
                ...p,
                seq: p.seq + 1,
                filters: [...p.filters, { key: p.seq, scope: 'datapoint', attribute: '', typed: false, operator: 'in', values: [] }],
              }))
            }
          >
            Add filter
          </button>
        </div>
        <InlineError
          id="slo-otel-filters-add-error"
          message={err('slo-otel-filters-add') ? fieldMessage('Filters', err('slo-otel-filters-add')!) : undefined}
        />
      </div>

      <div className="field" style={{ marginTop: 18 }}>
        <span className="field-label">Good events</span>
        <p className="field-hint">Of the events counted, the good ones meet every condition below.</p>
        {d.good.map((row, i) => {
          const base = `slo-otel-good-${row.key}`;
          const seen = row.kind === 'match' && !row.typed ? seenFor(row.scope, row.attribute) : undefined;
          return (
            <div key={row.key} className="otel-row" role="group" aria-labelledby={`${base}-title`} data-testid="otel-condition">
              <div className="otel-row-head">
                <span id={`${base}-title`}>Condition {i + 1}</span>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Remove condition ${i + 1}`}
                  onClick={() => onChange((p) => ({ ...p, good: rowRemoved(p.good, row.key) }))}
                >
                  Remove
                </button>
              </div>
              <Field id={`${base}-kind`} label="Kind" error={err(`${base}-kind`)}>
                {(a) => (
                  <select {...a} value={row.kind} onChange={(e) => setGood(row.key, (g) => withKind(g, e.target.value as OtelGoodRow['kind']))}>
                    <option value="match">An attribute is (or is not) one of some values</option>
                    <option value="compare">A numeric attribute compared with a number</option>
                    <option value="latency" disabled={hasLatency && row.kind !== 'latency'}>
                      Latency: at most a bucket boundary (histograms)
                    </option>
                  </select>
                )}
              </Field>
              {row.kind === 'match' ? (
                <>
                  <div className="otel-row-grid" style={{ marginTop: 10 }}>
                    <AttributePicker
                      id={`${base}-attribute`}
                      value={attrOf(row)}
                      attributes={attributes}
                      error={err(`${base}-attribute`)}
                      onChange={(v) =>
                        setGood(row.key, (g) =>
                          g.kind === 'match' ? { ...g, ...v, values: v.attribute.trim() !== g.attribute.trim() || v.scope !== g.scope ? [] : g.values } : g,
                        )
                      }
                    />
                    <Field id={`${base}-operator`} label="Operator" error={err(`${base}-operator`)}>
                      {(a) => (
                        <select
                          {...a}
                          value={row.operator}
                          onChange={(e) => setGood(row.key, (g) => (g.kind === 'match' ? { ...g, operator: e.target.value as MatchOperator } : g))}
                        >
                          <option value="in">is one of (in)</option>
                          <option value="not_in">is none of (not in)</option>
                        </select>
                      )}
                    </Field>
                  </div>
                  <ValuePicker
                    id={`${base}-values`}
                    owner={`Condition ${i + 1}`}
                    seen={seen?.values ?? []}
                    truncated={seen?.truncated ?? false}
                    chosen={row.values}
                    error={err(`${base}-values`)}
                    onChange={(values) => setGood(row.key, (g) => (g.kind === 'match' ? { ...g, values } : g))}
                  />
                </>
              ) : null}
              {row.kind === 'compare' ? (
                <div className="otel-row-grid3" style={{ marginTop: 10 }}>
                  <AttributePicker
                    id={`${base}-attribute`}
                    value={attrOf(row)}
                    attributes={attributes}
                    error={err(`${base}-attribute`)}
                    onChange={(v) => setGood(row.key, (g) => (g.kind === 'compare' ? { ...g, ...v } : g))}
                  />
                  <Field id={`${base}-operator`} label="Operator" error={err(`${base}-operator`)}>
                    {(a) => (
                      <select
                        {...a}
                        value={row.operator}
                        onChange={(e) => setGood(row.key, (g) => (g.kind === 'compare' ? { ...g, operator: e.target.value as CompareOperator } : g))}
                      >
                        {(['lt', 'lte', 'gt', 'gte'] as const).map((op) => (
                          <option key={op} value={op}>
                            {compareSymbol(op)} {{ lt: 'below', lte: 'at most', gt: 'above', gte: 'at least' }[op]}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field id={`${base}-value`} label="Number" error={err(`${base}-value`)}>
                    {(a) => (
                      <input
                        {...a}
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        value={row.value}
                        placeholder="500"
                        onChange={(e) => setGood(row.key, (g) => (g.kind === 'compare' ? { ...g, value: e.target.value } : g))}
                      />
                    )}
                  </Field>
                </div>
              ) : null}
              {row.kind === 'latency' ? (
                <div style={{ marginTop: 10, maxWidth: 360 }}>
                  <ThresholdPicker
                    id={`${base}-threshold`}
                    threshold={row.threshold}
                    info={info}
                    error={err(`${base}-threshold`)}
                    onChange={(threshold) => setGood(row.key, (g) => (g.kind === 'latency' ? { ...g, threshold } : g))}
                  />
                </div>
              ) : null}
            </div>
          );
        })}
        <div className="form-actions" style={{ marginTop: 10 }}>
          <button
            id="slo-otel-good-add"
            type="button"
            className="btn btn-secondary btn-sm"
            aria-describedby={err('slo-otel-good-add') ? 'slo-otel-good-add-error' : undefined}
            onClick={() =>
              onChange((p) => ({
                ...p,
                seq: p.seq + 1,
                good: [...p.good, { key: p.seq, kind: 'compare', scope: 'datapoint', attribute: '', typed: false, operator: 'lt', value: '' }],
              }))
            }
          >
            Add condition
          </button>
        </div>
        <InlineError id="slo-otel-good-add-error" message={err('slo-otel-good-add') ? fieldMessage('Good events', err('slo-otel-good-add')!) : undefined} />
      </div>

      <p className="implied" aria-live="polite" data-testid="otel-explain" style={{ marginTop: 16 }}>
        <strong>Total:</strong> {sentences.total} <strong>Good:</strong> {sentences.good}
      </p>
      <p className="field-hint" style={{ marginTop: 8 }}>
        No preview for pushed metrics: Umpire keeps no raw points, so an OpenTelemetry SLO counts from the moment it is saved.
      </p>
    </>
  );
}

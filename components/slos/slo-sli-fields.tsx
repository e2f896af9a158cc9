'use client';

import type { DataSource } from '@/lib/schemas';
import { Field, fieldMessage, InlineError } from '../form/form-kit';
import { OtelSliFields } from '../otel/otel-sli-fields';
import { PrometheusSliFields } from './prometheus-sli-fields';
import { fieldSetter, type SloSectionProps } from './slo-section';

export interface SloSliFieldsProps extends SloSectionProps {
  datasources: DataSource[];
  /** The preview panel, shown under the Prometheus fields. */
  preview: React.ReactNode;
}

/** SLI source: demo traffic, a Prometheus query or pushed OpenTelemetry metrics, each with its own fields. */
export function SloSliFields({ draft, setDraft, err, datasources, preview }: SloSliFieldsProps) {
  const set = fieldSetter(setDraft);
  return (
    <fieldset className="form-section">
      <legend>SLI source</legend>
      <p className="form-section-intro">Where good and total events come from.</p>
      <fieldset className="choice-group" aria-describedby={err(`slo-source-${draft.source}`) ? 'slo-source-error' : undefined}>
        <legend>Source</legend>
        <div className="choices">
          <label className="choice">
            <input id="slo-source-demo" type="radio" name="source" checked={draft.source === 'demo'} onChange={() => set('source', 'demo')} />
            <span>
              <strong>Demo</strong>
              <small>Synthetic traffic with incidents, labelled “Demo data” everywhere.</small>
            </span>
          </label>
          <label className="choice">
            <input id="slo-source-prometheus" type="radio" name="source" checked={draft.source === 'prometheus'} onChange={() => set('source', 'prometheus')} />
            <span>
              <strong>Prometheus</strong>
              <small>Counters or a histogram from Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics.</small>
            </span>
          </label>
          <label className="choice">
            <input id="slo-source-otel" type="radio" name="source" checked={draft.source === 'otel'} onChange={() => set('source', 'otel')} />
            <span>
              <strong>OpenTelemetry (OTLP push)</strong>
              <small>Counters or histograms your services push to Umpire with an OpenTelemetry SDK or Collector.</small>
            </span>
          </label>
        </div>
        <InlineError
          id="slo-source-error"
          message={err(`slo-source-${draft.source}`) ? fieldMessage('SLI source', err(`slo-source-${draft.source}`)!) : undefined}
        />
      </fieldset>

      {draft.source === 'demo' ? (
        <>
          <fieldset className="choice-group" style={{ marginTop: 14 }}>
            <legend>Profile</legend>
            <div className="choices">
              <label className="choice">
                <input
                  id="slo-profile-availability"
                  type="radio"
                  name="profile"
                  checked={draft.profile === 'availability'}
                  onChange={() => set('profile', 'availability')}
                />
                <span>
                  <strong>Availability</strong>
                  <small>Errors are failed requests.</small>
                </span>
              </label>
              <label className="choice">
                <input id="slo-profile-latency" type="radio" name="profile" checked={draft.profile === 'latency'} onChange={() => set('profile', 'latency')} />
                <span>
                  <strong>Latency</strong>
                  <small>Errors are requests slower than the threshold.</small>
                </span>
              </label>
            </div>
          </fieldset>
          <div className="field-row three">
            <Field id="slo-epm" label="Events per minute" error={err('slo-epm')} hint="Mean at the daily peak.">
              {(a) => <input {...a} type="text" inputMode="decimal" value={draft.eventsPerMinute} onChange={(e) => set('eventsPerMinute', e.target.value)} />}
            </Field>
            <Field id="slo-baseline" label="Baseline error ratio" error={err('slo-baseline')} hint="A fraction outside incidents: 0.0003 = 0.03%.">
              {(a) => (
                <input {...a} type="text" inputMode="decimal" value={draft.baselineErrorRatio} onChange={(e) => set('baselineErrorRatio', e.target.value)} />
              )}
            </Field>
            <Field id="slo-seed" label="Seed" error={err('slo-seed')} hint="Same seed, same traffic and incidents.">
              {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} value={draft.seed} onChange={(e) => set('seed', e.target.value)} />}
            </Field>
          </div>
        </>
      ) : draft.source === 'otel' ? (
        <OtelSliFields value={draft.otel} onChange={(update) => setDraft((d) => ({ ...d, otel: update(d.otel) }))} err={err} />
      ) : (
        <>
          <PrometheusSliFields
            value={draft.prom}
            onChange={(update) => setDraft((d) => ({ ...d, prom: update(d.prom) }))}
            datasources={datasources}
            err={err}
          />
          {preview}
        </>
      )}
    </fieldset>
  );
}

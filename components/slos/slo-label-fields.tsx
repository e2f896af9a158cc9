'use client';

import { controlA11y, fieldMessage, InlineError } from '../form/form-kit';
import type { LabelRow } from './slo-draft';
import type { SloSectionProps } from './slo-section';

/** Labels: key=value pairs for grouping and routing. */
export function SloLabelFields({ draft, setDraft, err }: SloSectionProps) {
  const a11y = (id: string) => controlA11y(id, err(id));
  return (
    <fieldset className="form-section">
      <legend>Labels</legend>
      <p className="form-section-intro">Key=value pairs for grouping and routing, e.g. team=payments.</p>
      {draft.labels.length > 0 ? (
        <table className="rows-table" aria-label="Labels">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.labels.map((label, i) => {
              const nameId = `slo-label-${label.key}-name`;
              const setLabel = (patch: Partial<LabelRow>) => setDraft((d) => ({ ...d, labels: d.labels.map((l) => (l.key === label.key ? { ...l, ...patch } : l)) }));
              return (
                <tr key={label.key}>
                  <td>
                    <input {...a11y(nameId)} aria-label={`Label ${i + 1} key`} type="text" className="mono" value={label.name} placeholder="team" onChange={(e) => setLabel({ name: e.target.value })} />
                    <InlineError id={`${nameId}-error`} message={err(nameId) ? `Key ${err(nameId)}` : undefined} />
                  </td>
                  <td>
                    <input id={`slo-label-${label.key}-value`} aria-label={`Label ${i + 1} value`} type="text" value={label.value} placeholder="payments" onChange={(e) => setLabel({ value: e.target.value })} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`Remove label ${i + 1}`}
                      onClick={() => setDraft((d) => ({ ...d, labels: d.labels.filter((l) => l.key !== label.key) }))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <div className="form-actions" style={{ marginTop: 10 }}>
        <button
          id="slo-labels-add"
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => setDraft((d) => ({ ...d, seq: d.seq + 1, labels: [...d.labels, { key: d.seq, name: '', value: '' }] }))}
        >
          Add label
        </button>
      </div>
      <InlineError id="slo-labels-add-error" message={err('slo-labels-add') ? fieldMessage('Labels', err('slo-labels-add')!) : undefined} />
    </fieldset>
  );
}

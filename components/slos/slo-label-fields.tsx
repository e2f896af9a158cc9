'use client';

import { controlA11y, fieldMessage, InlineError } from '../form/form-kit';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { RowsTable } from '../form/rows-table';
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
        <RowsTable
          label="Labels"
          columns={['Key', 'Value']}
          rows={draft.labels}
          rowName="label"
          onRemove={(key) => setDraft((d) => ({ ...d, labels: rowRemoved(d.labels, key) }))}
          cells={(label, i) => {
            const nameId = `slo-label-${label.key}-name`;
            const setLabel = (patch: Partial<LabelRow>) => setDraft((d) => ({ ...d, labels: rowChanged(d.labels, label.key, patch) }));
            return (
              <>
                <td>
                  <input
                    {...a11y(nameId)}
                    aria-label={`Label ${i + 1} key`}
                    type="text"
                    className="mono"
                    value={label.name}
                    placeholder="team"
                    onChange={(e) => setLabel({ name: e.target.value })}
                  />
                  <InlineError id={`${nameId}-error`} message={err(nameId) ? `Key ${err(nameId)}` : undefined} />
                </td>
                <td>
                  <input
                    id={`slo-label-${label.key}-value`}
                    aria-label={`Label ${i + 1} value`}
                    type="text"
                    value={label.value}
                    placeholder="payments"
                    onChange={(e) => setLabel({ value: e.target.value })}
                  />
                </td>
              </>
            );
          }}
        />
      ) : null}
      <div className="form-actions" style={{ marginTop: 10 }}>
        <button
          id="slo-labels-add"
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => setDraft((d) => ({ ...d, seq: d.seq + 1, labels: rowAdded(d.labels, { key: d.seq, name: '', value: '' }) }))}
        >
          Add label
        </button>
      </div>
      <InlineError id="slo-labels-add-error" message={err('slo-labels-add') ? fieldMessage('Labels', err('slo-labels-add')!) : undefined} />
    </fieldset>
  );
}

'use client';

import { fieldMessage, InlineError } from '../form/form-kit';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { LabelCells } from '../form/label-cells';
import { RowsTable } from '../form/rows-table';
import type { SloSectionProps } from './slo-section';

/** Labels: key=value pairs for grouping and routing. */
export function SloLabelFields({ draft, setDraft, err }: SloSectionProps) {
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
          cells={(label, i) => (
            <LabelCells
              idPrefix="slo-label"
              label={label}
              index={i}
              placeholders={{ name: 'team', value: 'payments' }}
              err={err}
              onChange={(patch) => setDraft((d) => ({ ...d, labels: rowChanged(d.labels, label.key, patch) }))}
            />
          )}
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

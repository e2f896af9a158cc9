'use client';

import { useId } from 'react';
import { fieldMessage, InlineError } from '../form/form-kit';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { LabelCells } from '../form/label-cells';
import { RowsTable } from '../form/rows-table';
import type { PolicySectionProps } from './policy-section';

/** Tiers a service can have (lib/schemas/service.ts); a stored policy may name others, which are kept. */
const SERVICE_TIERS = [1, 2, 3];

/** Which SLOs count: those with all of these labels, on services of the ticked tiers. */
export function PolicyScopeFields({ draft, update, err, disabled }: PolicySectionProps) {
  const id = useId();
  const tiers = [...new Set([...SERVICE_TIERS, ...draft.tiers])].sort((a, b) => a - b);
  return (
    <fieldset className="form-section" disabled={disabled}>
      <legend>Which SLOs count</legend>
      <p className="form-section-intro">
        All of the service’s SLOs, or only those with all of these labels. With service tiers ticked, the policy applies only to services of those tiers.
      </p>
      {draft.labels.length > 0 ? (
        <RowsTable
          label="SLO labels"
          columns={['Key', 'Value']}
          rows={draft.labels}
          rowName="label"
          onRemove={(key) => update((d) => ({ labels: rowRemoved(d.labels, key) }))}
          cells={(label, i) => (
            <LabelCells
              idPrefix="policy-label"
              label={label}
              index={i}
              placeholders={{ name: 'tier', value: 'critical' }}
              err={err}
              onChange={(patch) => update((d) => ({ labels: rowChanged(d.labels, label.key, patch) }))}
            />
          )}
        />
      ) : (
        <p className="implied">No labels: every SLO of the service counts.</p>
      )}
      <div className="form-actions policy-add">
        <button
          id="policy-labels-add"
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => update((d) => ({ seq: d.seq + 1, labels: rowAdded(d.labels, { key: d.seq, name: '', value: '' }) }))}
        >
          Add label
        </button>
      </div>
      <InlineError id="policy-labels-add-error" message={err('policy-labels-add') ? fieldMessage('Labels', err('policy-labels-add')!) : undefined} />

      <fieldset className="choice-group" style={{ marginTop: 16 }} aria-describedby={err('policy-tier-1') ? 'policy-tier-1-error' : `${id}-tiers-hint`}>
        <legend>Service tiers</legend>
        <div className="choices">
          {tiers.map((tier) => (
            <label key={tier} className="choice">
              <input
                id={`policy-tier-${tier}`}
                type="checkbox"
                checked={draft.tiers.includes(tier)}
                onChange={(e) => {
                  const checked = e.target.checked;
                  update((d) => ({ tiers: checked ? [...d.tiers, tier] : d.tiers.filter((t) => t !== tier) }));
                }}
              />
              <span>
                <strong>Tier {tier}</strong>
              </span>
            </label>
          ))}
        </div>
        <p className="field-hint" id={`${id}-tiers-hint`}>
          None ticked: every tier.
        </p>
        <InlineError id="policy-tier-1-error" message={err('policy-tier-1') ? fieldMessage('Service tiers', err('policy-tier-1')!) : undefined} />
      </fieldset>
    </fieldset>
  );
}

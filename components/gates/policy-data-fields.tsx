'use client';

import type { Policy } from '@/lib/schemas';
import type { PolicyScope } from '@/lib/queries/gates';
import { Choices } from '../form/form-kit';
import type { PolicySectionProps } from './policy-section';

export interface PolicyMissingDataFieldsProps extends PolicySectionProps {
  scope: PolicyScope;
  /** The organisation's floor, which a service's own choice may not be more lenient than. */
  floor: Policy['floor'];
}

/** When data is missing or stale: fail, warn or pass; for the default, whether that is a floor for every service. */
export function PolicyMissingDataFields({ draft, update, err, disabled, scope, floor }: PolicyMissingDataFieldsProps) {
  return (
    <fieldset className="form-section" disabled={disabled}>
      <legend>When data is missing or stale</legend>
      <p className="form-section-intro">
        What the gate answers when a counted SLO has no data, or has not been evaluated lately. Failing closed is the safe default.
      </p>
      <Choices
        name="onMissingData"
        idPrefix="policy-missing"
        legend="On missing data"
        legendHidden
        value={draft.onMissingData}
        options={[
          ['fail', 'Fail', 'Stop the release until the data is back.'],
          ['warn', 'Warn', 'Let it through with a warning.'],
          ['pass', 'Pass', 'Judge by the SLOs that have data.'],
        ]}
        onChange={(onMissingData) => update({ onMissingData })}
        error={err('policy-missing-fail')}
      />
      {scope.kind === 'default' ? (
        <label className="checkbox-inline" style={{ marginTop: 10 }}>
          <input
            id="policy-missing-mandatory"
            type="checkbox"
            checked={draft.missingDataMandatory}
            onChange={(e) => update({ missingDataMandatory: e.target.checked })}
          />
          A floor for every service: no service’s own policy may treat missing data more leniently than this
        </label>
      ) : floor?.onMissingData ? (
        <p className="implied" data-testid="policy-missing-floor">
          The organisation requires at least “{floor.onMissingData}” here: a more lenient choice is refused.
        </p>
      ) : null}
    </fieldset>
  );
}

/** When figures are provisional: warn, evaluate as if complete, or fail. */
export function PolicyPartialDataFields({ draft, update, err, disabled }: PolicySectionProps) {
  return (
    <fieldset className="form-section" disabled={disabled}>
      <legend>When figures are provisional</legend>
      <p className="form-section-intro">
        What the gate makes of an SLO whose window is only partly measured (a new SLO, history still being read). A budget over fewer events than the SLO’s
        minimum never fails a release, whatever you choose here.
      </p>
      <Choices
        name="onPartialData"
        idPrefix="policy-partial"
        legend="On provisional figures"
        legendHidden
        value={draft.onPartialData}
        options={[
          ['warn', 'Warn', 'A provisional budget that breaks a rule warns, never stops a release (the default).'],
          ['evaluate', 'Evaluate', 'Judge provisional figures as if the window were complete.'],
          ['fail', 'Fail', 'Stop the release until the window is measured.'],
        ]}
        onChange={(onPartialData) => update({ onPartialData })}
        error={err('policy-partial-warn')}
      />
    </fieldset>
  );
}

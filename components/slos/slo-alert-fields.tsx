'use client';

import { formatThreshold } from '@/lib/format';
import { controlA11y, Field, fieldMessage, InlineError } from '../form/form-kit';
import { RowsTable } from '../form/rows-table';
import { shortSliceWindowsOf } from './slo-draft';
import { fieldSetter, type SloSectionProps } from './slo-section';
import {
  windowDefaultTiers,
  withPolicy,
  withTierAdded,
  withTierChanged,
  withTierRemoved,
  withWindowDefaults,
  type PeriodContext,
  type TierRow,
} from './tier-draft';

/** 0.25 as "25%". */
function formatPercentShare(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

/** The installation's budget-low share and absent delay, which an SLO keeps unless it sets its own. */
export interface AlertDefaults {
  budgetLowShare: number;
  absentMinutes: number;
}

/**
 * Alert policy: the window's default tiers or custom ones, the budget-low and data-absent alerts, and the fewest
 * events a tier needs to fire.
 */
export function SloAlertFields({ draft, setDraft, err, ctx, defaults }: SloSectionProps & { ctx: PeriodContext; defaults: AlertDefaults }) {
  const set = fieldSetter(setDraft);
  const a11y = (id: string) => controlA11y(id, err(id));
  const defaultTiers = windowDefaultTiers(draft, ctx);
  const shortSliceWindows = shortSliceWindowsOf(draft, defaultTiers);
  return (
    <fieldset className="form-section">
      <legend>Alert policy</legend>
      <p className="form-section-intro">Multi-window, multi-burn-rate alerts: a tier fires when both its windows burn faster than its threshold.</p>
      <fieldset className="choice-group">
        <legend className="visually-hidden">Policy</legend>
        <div className="choices">
          <label className="choice">
            <input
              id="slo-policy-default"
              type="radio"
              name="policy"
              checked={draft.policy === 'default'}
              onChange={() => setDraft((d) => withPolicy(d, 'default', ctx))}
            />
            <span>
              <strong>Default</strong>
              <small>The SRE Workbook’s four tiers (Sloth’s budget shares for short periods), scaled to the window’s period, never below 1×.</small>
            </span>
          </label>
          <label className="choice">
            <input
              id="slo-policy-custom"
              type="radio"
              name="policy"
              checked={draft.policy === 'custom'}
              onChange={() => setDraft((d) => withPolicy(d, 'custom', ctx))}
            />
            <span>
              <strong>Custom</strong>
              <small>Your own tiers, starting from this window’s defaults.</small>
            </span>
          </label>
        </div>
      </fieldset>
      {draft.policy === 'default' ? (
        <p className="implied" style={{ marginTop: 12 }}>
          {defaultTiers.length > 0
            ? defaultTiers.map((t) => `${t.severity} ${t.longWindow}/${t.shortWindow} > ${formatThreshold(t.burnRate)}`).join(' · ')
            : 'Set a valid window to see the default tiers.'}
          {draft.windowKind === 'calendar' && defaultTiers.length > 0
            ? ` (for the current ${draft.calendarUnit}; thresholds follow each period’s actual length)`
            : ''}
        </p>
      ) : (
        <>
          <RowsTable
            label="Custom alert tiers"
            columns={['Severity', 'Long window', 'Short window', 'Burn-rate threshold', 'For (optional)']}
            rows={draft.tiers}
            rowName="tier"
            onRemove={(key) => setDraft((d) => withTierRemoved(d, key))}
            cells={(tier, i) => {
              const id = (f: string) => `slo-tier-${tier.key}-${f}`;
              const setTier = (patch: Partial<Omit<TierRow, 'key'>>) => setDraft((d) => withTierChanged(d, tier.key, patch));
              return (
                <>
                  <td>
                    <select
                      {...a11y(id('severity'))}
                      aria-label={`Tier ${i + 1} severity`}
                      value={tier.severity}
                      onChange={(e) => setTier({ severity: e.target.value as 'page' | 'ticket' })}
                    >
                      <option value="page">Page</option>
                      <option value="ticket">Ticket</option>
                    </select>
                    <InlineError id={`${id('severity')}-error`} message={err(id('severity'))} />
                  </td>
                  <td>
                    <input
                      {...a11y(id('longWindow'))}
                      aria-label={`Tier ${i + 1} long window`}
                      type="text"
                      className="mono"
                      value={tier.longWindow}
                      placeholder="1h"
                      onChange={(e) => setTier({ longWindow: e.target.value })}
                    />
                    <InlineError id={`${id('longWindow')}-error`} message={err(id('longWindow'))} />
                  </td>
                  <td>
                    <input
                      {...a11y(id('shortWindow'))}
                      aria-label={`Tier ${i + 1} short window`}
                      type="text"
                      className="mono"
                      value={tier.shortWindow}
                      placeholder="5m"
                      onChange={(e) => setTier({ shortWindow: e.target.value })}
                    />
                    <InlineError id={`${id('shortWindow')}-error`} message={err(id('shortWindow'))} />
                  </td>
                  <td>
                    <input
                      {...a11y(id('burnRate'))}
                      aria-label={`Tier ${i + 1} burn-rate threshold`}
                      type="text"
                      inputMode="decimal"
                      value={tier.burnRate}
                      placeholder="14.4"
                      onChange={(e) => setTier({ burnRate: e.target.value })}
                    />
                    <InlineError id={`${id('burnRate')}-error`} message={err(id('burnRate'))} />
                  </td>
                  <td>
                    <input
                      {...a11y(id('for'))}
                      aria-label={`Tier ${i + 1} for`}
                      type="text"
                      className="mono"
                      value={tier.for}
                      placeholder="at once"
                      onChange={(e) => setTier({ for: e.target.value })}
                    />
                    <InlineError id={`${id('for')}-error`} message={err(id('for'))} />
                  </td>
                </>
              );
            }}
          />
          <p className="field-hint">
            Windows are whole minutes, hours or days (5m, 1h, 3d); the short window must be shorter than the long one. A tier with a “for” fires only once its
            condition has held that long (as Prometheus’ for); empty fires at once.
          </p>
          <div className="form-actions" style={{ marginTop: 10 }}>
            <button
              id="slo-tiers-add"
              type="button"
              className="btn btn-secondary btn-sm"
              aria-describedby={err('slo-tiers-add') ? 'slo-tiers-add-error' : undefined}
              onClick={() => setDraft((d) => withTierAdded(d))}
            >
              Add tier
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              disabled={defaultTiers.length === 0}
              onClick={() => setDraft((d) => withWindowDefaults(d, ctx))}
            >
              Reset to this window’s defaults
            </button>
          </div>
          <InlineError id="slo-tiers-add-error" message={err('slo-tiers-add') ? fieldMessage('Alert tiers', err('slo-tiers-add')!) : undefined} />
        </>
      )}
      {shortSliceWindows.length > 0 ? (
        <p className="implied" data-testid="slice-window-note">
          With {draft.sliceMinutes}-minute slices, the {shortSliceWindows.join(' and ')}{' '}
          {shortSliceWindows.length === 1 ? 'window measures' : 'windows measure'} the slice {shortSliceWindows.length === 1 ? 'it falls' : 'they fall'} in:
          every slice counts with the share of it inside a window, and the running slice is judged on its minutes so far, so a total outage still pages from its
          first minutes.
        </p>
      ) : null}
      <div className="field-row two">
        <Field
          id="slo-budget-low"
          label="Budget-low alert (%)"
          error={err('slo-budget-low')}
          hint={`A ticket when less than this share of the budget is left (measured, not provisional). Empty: Umpire’s default, ${formatPercentShare(defaults.budgetLowShare)}.`}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="decimal"
              value={draft.budgetLowPct}
              placeholder={formatPercentShare(defaults.budgetLowShare).replace('%', '')}
              disabled={draft.budgetLowOff}
              onChange={(e) => set('budgetLowPct', e.target.value)}
            />
          )}
        </Field>
        <Field
          id="slo-absent-minutes"
          label="Data-absent alert (minutes)"
          error={err('slo-absent-minutes')}
          hint={`A ticket when the SLO has counted no events (or its source has failed) for this long. Empty: Umpire’s default, ${defaults.absentMinutes} minutes.`}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="numeric"
              value={draft.absentMinutes}
              placeholder={String(defaults.absentMinutes)}
              onChange={(e) => set('absentMinutes', e.target.value)}
            />
          )}
        </Field>
      </div>
      <label className="checkbox-inline" style={{ marginTop: 6 }}>
        <input id="slo-budget-low-off" type="checkbox" checked={draft.budgetLowOff} onChange={(e) => set('budgetLowOff', e.target.checked)} />
        <span>No budget-low alert for this SLO</span>
      </label>
      <div className="field-row two">
        <Field
          id="slo-min-events"
          label="Minimum events"
          error={err('slo-min-events')}
          hint="A tier fires only when its long window holds at least this many events, and the release gate judges the budget only with this many in the window: a handful of requests cannot page anyone. 0 turns the guard off."
        >
          {(a) => <input {...a} type="text" inputMode="numeric" value={draft.minEvents} onChange={(e) => set('minEvents', e.target.value)} />}
        </Field>
      </div>
    </fieldset>
  );
}

'use client';

import { allowedErrorMinutes } from '@/lib/slo/budget';
import { formatMinutes, formatObjective } from '@/lib/format';
import { Field } from '../form/form-kit';
import { useHydrated } from '../use-hydrated';
import { objectiveOf, periodMinutesOf, periodTextOf, type Unit } from './slo-draft';
import { fieldSetter, type SloSectionProps } from './slo-section';
import { withWindow, type PeriodContext, type WindowFields } from './tier-draft';

/** Objective and window: the share of good events to aim for, the period it is measured over, the budget they imply. */
export function SloWindowFields({ draft, setDraft, err, ctx }: SloSectionProps & { ctx: PeriodContext }) {
  const hydrated = useHydrated();
  const set = fieldSetter(setDraft);
  // Window fields go through here: custom tiers not yet edited follow the window's period.
  const setWindow = (patch: Partial<WindowFields>) => setDraft((d) => withWindow(d, patch, ctx));
  const objective = objectiveOf(draft);
  const period = periodMinutesOf(draft);
  const periodText = periodTextOf(draft);
  const zone = draft.timeZone ?? ctx.browserZone;
  const zones = hydrated && typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <fieldset className="form-section">
      <legend>Objective and window</legend>
      <p className="form-section-intro">The share of good events to aim for, and the period it is measured over.</p>
      <div className="field-row two">
        <Field id="slo-objective" label="Objective" error={err('slo-objective')} hint="A percentage of good events, e.g. 99.9 (stored as the fraction 0.999).">
          {(a) => (
            <div className="input-suffix">
              <input
                {...a}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={draft.objectivePct}
                onChange={(e) => set('objectivePct', e.target.value)}
              />
              <span aria-hidden="true">%</span>
            </div>
          )}
        </Field>
        <div className="field">
          <span className="field-label">Error budget</span>
          <p className="implied" aria-live="polite" data-testid="implied-budget">
            {objective !== null && period ? (
              <>
                <strong>{formatObjective(1 - objective)}</strong> of {draft.budgeting === 'timeslices' ? 'slices' : 'events'} may fail, the equivalent of{' '}
                <strong>
                  {formatMinutes(allowedErrorMinutes(objective, period))} per {periodText}
                </strong>{' '}
                of full outage.
              </>
            ) : (
              'Enter an objective between 0 and 100% and a valid window to see the budget it implies.'
            )}
          </p>
        </div>
      </div>

      <fieldset className="choice-group" style={{ marginTop: 16 }}>
        <legend>Window</legend>
        <div className="choices">
          <label className="choice">
            <input
              id="slo-window-rolling"
              type="radio"
              name="window"
              checked={draft.windowKind === 'rolling'}
              onChange={() => setWindow({ windowKind: 'rolling' })}
            />
            <span>
              <strong>Rolling</strong>
              <small>The last N days, moving with time.</small>
            </span>
          </label>
          <label className="choice">
            <input
              id="slo-window-calendar"
              type="radio"
              name="window"
              checked={draft.windowKind === 'calendar'}
              onChange={() => setWindow({ windowKind: 'calendar' })}
            />
            <span>
              <strong>Calendar</strong>
              <small>This week, month or quarter; the budget resets at its start.</small>
            </span>
          </label>
        </div>
      </fieldset>
      {draft.windowKind === 'rolling' ? (
        <div className="field-row three">
          <Field id="slo-days" label="Days" error={err('slo-days')} hint="1 to 90.">
            {(a) => <input {...a} type="text" inputMode="numeric" value={draft.rollingDays} onChange={(e) => setWindow({ rollingDays: e.target.value })} />}
          </Field>
        </div>
      ) : (
        <div className="field-row two">
          <Field id="slo-unit" label="Calendar period" error={err('slo-unit')}>
            {(a) => (
              <select {...a} value={draft.calendarUnit} onChange={(e) => setWindow({ calendarUnit: e.target.value as Unit })}>
                <option value="week">Week (from Monday)</option>
                <option value="month">Month</option>
                <option value="quarter">Quarter</option>
              </select>
            )}
          </Field>
          <Field id="slo-timezone" label="Time zone" error={err('slo-timezone')} hint="IANA name; defaults to your browser’s zone.">
            {(a) => (
              <>
                <input
                  {...a}
                  type="text"
                  list="slo-timezones"
                  autoComplete="off"
                  spellCheck={false}
                  value={zone}
                  onChange={(e) => setWindow({ timeZone: e.target.value })}
                />
                <datalist id="slo-timezones">
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
      )}
    </fieldset>
  );
}

/** Budgeting: occurrences, or time slices with their length and threshold. */
export function SloBudgetingFields({ draft, setDraft, err }: SloSectionProps) {
  const set = fieldSetter(setDraft);
  return (
    <fieldset className="form-section">
      <legend>Budgeting</legend>
      <p className="form-section-intro">How failures spend the budget.</p>
      <fieldset className="choice-group">
        <legend className="visually-hidden">Budgeting method</legend>
        <div className="choices">
          <label className="choice">
            <input
              id="slo-budgeting-occurrences"
              type="radio"
              name="budgeting"
              checked={draft.budgeting === 'occurrences'}
              onChange={() => set('budgeting', 'occurrences')}
            />
            <span>
              <strong>Occurrences</strong>
              <small>SLI = good events / all events. Busy hours weigh more.</small>
            </span>
          </label>
          <label className="choice">
            <input
              id="slo-budgeting-timeslices"
              type="radio"
              name="budgeting"
              checked={draft.budgeting === 'timeslices'}
              onChange={() => set('budgeting', 'timeslices')}
            />
            <span>
              <strong>Time slices</strong>
              <small>A slice is good when its own SLI meets a threshold; SLI = good slices / slices with data.</small>
            </span>
          </label>
        </div>
      </fieldset>
      {draft.budgeting === 'timeslices' ? (
        <div className="field-row two">
          <Field id="slo-slice-minutes" label="Slice length" error={err('slo-slice-minutes')} hint="Whole minutes, 1 to 60.">
            {(a) => (
              <div className="input-suffix">
                <input {...a} type="text" inputMode="numeric" value={draft.sliceMinutes} onChange={(e) => set('sliceMinutes', e.target.value)} />
                <span aria-hidden="true">min</span>
              </div>
            )}
          </Field>
          <Field
            id="slo-slice-threshold"
            label="Slice threshold"
            error={err('slo-slice-threshold')}
            hint="A slice is good when at least this share of its events is good."
          >
            {(a) => (
              <div className="input-suffix">
                <input {...a} type="text" inputMode="decimal" value={draft.sliceThresholdPct} onChange={(e) => set('sliceThresholdPct', e.target.value)} />
                <span aria-hidden="true">%</span>
              </div>
            )}
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}

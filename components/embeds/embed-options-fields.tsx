'use client';

import type { EmbedPanel, EmbedView, FieldErrors } from '@/lib/schemas';
import { Field } from '../form/form-kit';
import { PANEL_LABELS, SIZE_PRESETS, type SizePreset } from './embed-code';
import { EXPIRY_CHOICES, EXPIRY_LABELS, RANGE_LABELS, THEME_LABELS, type EmbedOptions, type Expiry } from './embed-options';

const PANEL_HINTS: Record<EmbedPanel, string> = {
  burn_rate: 'Burn rates over the range, with the alert tiers’ thresholds',
  budget: 'Budget burndown over the range and what is left',
  sli: 'The SLI over the range against the objective',
  service: 'Every SLO of the service: SLI, budget left, alerts',
};

const SIZE_LABELS: Record<SizePreset | 'custom', string> = {
  small: `Small (${SIZE_PRESETS.small.width}×${SIZE_PRESETS.small.height})`,
  medium: `Medium (${SIZE_PRESETS.medium.width}×${SIZE_PRESETS.medium.height})`,
  large: `Large (${SIZE_PRESETS.large.width}×${SIZE_PRESETS.large.height})`,
  custom: 'Custom',
};

export interface EmbedOptionsFieldsProps {
  idPrefix: string;
  options: EmbedOptions;
  onChange: (patch: Partial<EmbedOptions>) => void;
  /** Panels offered: the SLO page offers its SLO's three, the service page the summary and its SLOs' panels. */
  panels: readonly EmbedPanel[];
  /** The service page's SLOs to choose from for an SLO panel; null on the SLO page (its SLO is fixed). */
  slos: Array<{ slug: string; name: string }> | null;
  errors: FieldErrors;
}

/** Panel, range, theme, size, expiry and label of a new embed link. */
export function EmbedOptionsFields({ idPrefix, options, onChange, panels, slos, errors }: EmbedOptionsFieldsProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const noSlos = slos !== null && slos.length === 0;
  return (
    <>
      <fieldset className="choice-group">
        <legend>Panel</legend>
        <div className="choices embed-panel-choices">
          {panels.map((panel) => {
            const disabled = panel !== 'service' && noSlos;
            return (
              <label key={panel} className="choice">
                <input
                  type="radio"
                  name={id('panel')}
                  value={panel}
                  checked={options.panel === panel}
                  disabled={disabled}
                  onChange={() => onChange({ panel })}
                />
                <span>
                  <strong>{PANEL_LABELS[panel]}</strong>
                  <small>{disabled ? 'This service has no SLOs yet' : PANEL_HINTS[panel]}</small>
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      {slos !== null && options.panel !== 'service' && slos.length > 0 ? (
        <Field id={id('slo')} label="SLO" error={errors.slo} className="embed-field-narrow">
          {(a) => (
            <select {...a} value={options.slo ?? ''} onChange={(e) => onChange({ slo: e.target.value })}>
              {slos.map((slo) => (
                <option key={slo.slug} value={slo.slug}>
                  {slo.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}

      <div className="field-row embed-field-grid">
        <Field id={id('range')} label="Range" error={errors.range}>
          {(a) => (
            <select {...a} value={options.range} onChange={(e) => onChange({ range: e.target.value as EmbedView['range'] })}>
              {(Object.keys(RANGE_LABELS) as Array<EmbedView['range']>).map((range) => (
                <option key={range} value={range}>
                  {RANGE_LABELS[range]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('theme')} label="Theme" error={errors.theme}>
          {(a) => (
            <select {...a} value={options.theme} onChange={(e) => onChange({ theme: e.target.value as EmbedView['theme'] })}>
              {(Object.keys(THEME_LABELS) as Array<EmbedView['theme']>).map((theme) => (
                <option key={theme} value={theme}>
                  {THEME_LABELS[theme]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="choice-group embed-size">
        <legend>Size</legend>
        <div className="choices">
          {(Object.keys(SIZE_LABELS) as Array<SizePreset | 'custom'>).map((size) => (
            <label key={size} className="choice embed-size-choice">
              <input type="radio" name={id('size')} value={size} checked={options.size === size} onChange={() => onChange({ size })} />
              <span>{SIZE_LABELS[size]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {options.size === 'custom' ? (
        <div className="field-row embed-field-grid">
          <Field id={id('width')} label="Width" error={errors.width} hint="200 to 1600 pixels.">
            {(a) => (
              <div className="input-suffix">
                <input {...a} type="text" inputMode="numeric" autoComplete="off" value={options.width} onChange={(e) => onChange({ width: e.target.value })} />
                <span aria-hidden="true">px</span>
              </div>
            )}
          </Field>
          <Field id={id('height')} label="Height" error={errors.height} hint="100 to 1000 pixels.">
            {(a) => (
              <div className="input-suffix">
                <input
                  {...a}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={options.height}
                  onChange={(e) => onChange({ height: e.target.value })}
                />
                <span aria-hidden="true">px</span>
              </div>
            )}
          </Field>
        </div>
      ) : null}
      <p className="field-hint embed-view-hint">
        Range, theme and size are parameters of the URL, not of the link: change them at any time and copy the code again.
      </p>

      <div className="field-row embed-field-grid">
        <Field id={id('expiry')} label="Expires" error={errors.expiresInDays}>
          {(a) => (
            <select {...a} value={options.expiry} onChange={(e) => onChange({ expiry: e.target.value as Expiry })}>
              {EXPIRY_CHOICES.map((expiry) => (
                <option key={expiry} value={expiry}>
                  {EXPIRY_LABELS[expiry]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('label')} label="Label" optional error={errors.label} hint="Where it will be shown, e.g. “status wiki”.">
          {(a) => <input {...a} type="text" autoComplete="off" maxLength={100} value={options.label} onChange={(e) => onChange({ label: e.target.value })} />}
        </Field>
      </div>
    </>
  );
}

'use client';

import { useState } from 'react';
import { Field } from '../form/form-kit';
import { numberOf } from '../form/values';

export type Expiry = 'never' | '30' | '90' | '365' | 'custom';

export interface TokenExpiry {
  expiry: Expiry;
  setExpiry: (expiry: Expiry) => void;
  customDays: string;
  setCustomDays: (days: string) => void;
  /** What the API is sent as expiresInDays: null for never, NaN when the custom days are not a number. */
  days: () => number | null;
  /** The control an expiresInDays error belongs to (the days box when “after a number of days” is chosen). */
  errorFieldId: string;
}

/** The expiry chosen in a new-token form; `id` names its controls (`id`, and `${id}-days` for custom days). */
export function useTokenExpiry(id: string, initial: Expiry): TokenExpiry {
  const [expiry, setExpiry] = useState<Expiry>(initial);
  const [customDays, setCustomDays] = useState('180');
  return {
    expiry,
    setExpiry,
    customDays,
    setCustomDays,
    days: () => (expiry === 'never' ? null : expiry === 'custom' ? numberOf(customDays) : Number(expiry)),
    errorFieldId: expiry === 'custom' ? `${id}-days` : id,
  };
}

/** The Expires choice; its error shows here unless the custom days box is open (then it shows there). */
export function ExpirySelect({ id, state, error }: { id: string; state: TokenExpiry; error: string | undefined }) {
  return (
    <Field id={id} label="Expires" error={state.expiry === 'custom' ? undefined : error}>
      {(a) => (
        <select {...a} value={state.expiry} onChange={(e) => state.setExpiry(e.target.value as Expiry)}>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
          <option value="custom">After a number of days…</option>
          <option value="never">Never</option>
        </select>
      )}
    </Field>
  );
}

/** The number of days, when “after a number of days” is chosen. */
export function ExpiryDaysRow({ id, state, error }: { id: string; state: TokenExpiry; error: string | undefined }) {
  if (state.expiry !== 'custom') return null;
  return (
    <div className="field-row two" style={{ marginTop: 14 }}>
      <Field id={`${id}-days`} label="Days until it expires" error={error} hint="1 to 3650.">
        {(a) => (
          <div className="input-suffix">
            <input {...a} type="text" inputMode="numeric" autoComplete="off" value={state.customDays} onChange={(e) => state.setCustomDays(e.target.value)} />
            <span aria-hidden="true">days</span>
          </div>
        )}
      </Field>
    </div>
  );
}

'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { GateOverrideInput, type GateOverrideView } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { createOverride, gateKeys, gateOverridesOptions } from '@/lib/queries/gates';
import { Badge } from '../badges';
import { summaryInFieldOrder } from '../form/form-errors';
import { ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { LocalTime } from '../local-time';

export interface GateOverridesProps {
  service: string;
  /** Whether the signed-in person may create overrides here (an editor of the team, or an admin). */
  canCreate: boolean;
}

interface Draft {
  version: string;
  environment: string;
  reason: string;
  expiresInHours: string;
}

const EMPTY: Draft = { version: '', environment: '', reason: '', expiresInHours: '24' };

const FIELDS: Array<{ path: keyof Draft; id: string; label: string }> = [
  { path: 'version', id: 'override-version', label: 'Version' },
  { path: 'environment', id: 'override-environment', label: 'Environment' },
  { path: 'reason', id: 'override-reason', label: 'Reason' },
  { path: 'expiresInHours', id: 'override-expiry', label: 'Expires after' },
];

const EXPIRY_CHOICES = [1, 4, 12, 24, 72, 168];

function bodyOf(draft: Draft) {
  return {
    version: draft.version,
    ...(draft.environment.trim() !== '' ? { environment: draft.environment } : {}),
    reason: draft.reason,
    expiresInHours: Number(draft.expiresInHours),
  };
}

function hoursLabel(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? '1 day' : `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** `asOf`: when the list was fetched (epoch ms); an override is active if it expires after that. */
function OverrideList({ overrides, asOf }: { overrides: GateOverrideView[]; asOf: number }) {
  if (overrides.length === 0) return <p className="muted">No overrides. The policy alone decides.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table gate-overrides">
        <caption className="visually-hidden">Gate overrides, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Environment</th>
            <th scope="col">Reason</th>
            <th scope="col">By</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {overrides.map((o) => {
            const active = Date.parse(o.expiresAt) > asOf;
            return (
              <tr key={o.id} data-override-version={o.version}>
                <th scope="row">
                  <code>{o.version}</code>
                </th>
                <td>{o.environment ?? <span className="muted">any</span>}</td>
                <td className="gate-override-reason">{o.reason}</td>
                <td>
                  {o.createdBy}
                  <div className="row-meta">
                    <LocalTime iso={o.createdAt} />
                  </div>
                </td>
                <td>
                  {active ? <Badge tone="warning">Active</Badge> : <Badge tone="muted">Expired</Badge>} <LocalTime iso={o.expiresAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Letting one release through whatever the policy says: who, why, for which version and for how long. The
 * gate still records the policy's own verdict beside the override.
 */
export function GateOverrides({ service, canCreate }: GateOverridesProps) {
  const queryClient = useQueryClient();
  const list = useQuery(gateOverridesOptions(service));
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => summaryInFieldOrder(fields, FIELDS).map((f) => f.id));
  const [created, setCreated] = useState<GateOverrideView | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const mutation = useMutation({
    mutationFn: (input: GateOverrideInput) => createOverride(service, input),
    onSuccess: (override) => {
      setCreated(override);
      setDraft(EMPTY);
      void queryClient.invalidateQueries({ queryKey: gateKeys.overrides(service) });
      requestAnimationFrame(() => statusRef.current?.focus());
    },
    onError: (error) => showApiError(error, (path) => FIELDS.some((f) => f.path === path)),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const parsed = GateOverrideInput.safeParse(bodyOf(draft));
    if (!parsed.success) {
      show(zodFieldErrors(parsed.error));
      return;
    }
    clear();
    mutation.mutate(parsed.data);
  }

  const set = (key: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
    const value = e.target.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const summary = summaryInFieldOrder(errors, FIELDS);

  return (
    <section aria-labelledby="overrides-title" className="gate-section" data-testid="gate-overrides">
      <div className="section-header">
        <h2 id="overrides-title">Overrides</h2>
        <p>Let one version through the gate whatever the policy says, for a while, with a reason and who let it through on record.</p>
      </div>
      <div className={canCreate ? 'gate-overrides-grid' : undefined}>
        {canCreate ? (
          <form className="form panel" noValidate onSubmit={onSubmit} aria-label="New override">
            <ErrorSummary message={formError} items={summary} />
            <div className="field-row two">
              <Field id="override-version" label="Version" error={errors.version}>
                {(a11y) => (
                  <input
                    {...a11y}
                    type="text"
                    className="mono"
                    autoComplete="off"
                    spellCheck={false}
                    value={draft.version}
                    onChange={set('version')}
                    placeholder="v1.42.0"
                  />
                )}
              </Field>
              <Field id="override-environment" label="Environment" optional error={errors.environment} hint="Empty: any environment.">
                {(a11y) => <input {...a11y} type="text" autoComplete="off" value={draft.environment} onChange={set('environment')} placeholder="production" />}
              </Field>
            </div>
            <Field id="override-reason" label="Reason" error={errors.reason} hint="Why this release may go out anyway; at least 10 characters.">
              {(a11y) => (
                <textarea {...a11y} rows={2} value={draft.reason} onChange={set('reason')} placeholder="Hotfix for the checkout outage; reviewed by on-call." />
              )}
            </Field>
            <div className="field-row two">
              <Field id="override-expiry" label="Expires after" error={errors.expiresInHours}>
                {(a11y) => (
                  <select {...a11y} value={draft.expiresInHours} onChange={set('expiresInHours')}>
                    {EXPIRY_CHOICES.map((h) => (
                      <option key={h} value={String(h)}>
                        {hoursLabel(h)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
                {mutation.isPending ? 'Creating…' : 'Create override'}
              </button>
            </div>
            {created ? (
              <p className="callout callout-info gate-override-created" role="status" tabIndex={-1} ref={statusRef}>
                Override for {created.version}
                {created.environment ? ` in ${created.environment}` : ''} created; it lets that version through until <LocalTime iso={created.expiresAt} />.
              </p>
            ) : null}
          </form>
        ) : null}
        <div>
          {list.isError ? (
            <div className="callout callout-danger" role="alert">
              <span>
                <strong>Could not load the overrides.</strong> {errorMessage(list.error)}
              </span>
            </div>
          ) : list.isPending ? (
            <div className="skeleton skeleton-line" aria-hidden="true" />
          ) : (
            <OverrideList overrides={list.data} asOf={list.dataUpdatedAt} />
          )}
        </div>
      </div>
    </section>
  );
}

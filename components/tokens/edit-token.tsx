'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { TokenPatch, type ApiToken, type TokenPatchDraft } from '@/lib/schemas';
import { updateToken } from '@/lib/queries/tokens';
import { errorsByField, placeErrors, topField } from '../form/form-errors';
import { ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { listOf } from '../form/values';

export interface EditTokenButtonProps {
  token: ApiToken;
  onUpdated: (token: ApiToken) => void;
}

/**
 * Rename a token or change what it may act on, in a modal <dialog>: a service token's teams, an ingest token's
 * service.name pins. The token itself stays the same, so no exporter needs a new one; refusals show in the dialog.
 */
export function EditTokenButton({ token, onUpdated }: EditTokenButtonProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const base = useId().replace(/:/g, '');
  const ids = { name: `${base}-name`, teams: `${base}-teams`, serviceNames: `${base}-services` };
  const labels: Record<keyof typeof ids, string> = { name: 'Name', teams: 'Teams', serviceNames: 'Services' };
  const service = token.kind === 'service';
  const ingest = token.scopes.includes('ingest');
  const [name, setName] = useState(token.name);
  const [teams, setTeams] = useState(token.teams.join(', '));
  const [services, setServices] = useState(token.serviceNames.join(', '));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) =>
    Object.keys(fields).map((path) => ids[topField(path) as keyof typeof ids] ?? ids.name),
  );
  // The form exists only while the dialog is open: a page of tokens holds no hidden "Name" fields beside its own.
  const [isOpen, setOpen] = useState(false);
  const known = (path: string) => topField(path) in ids;

  const mutation = useMutation({
    mutationFn: (patch: TokenPatchDraft) => updateToken(token.id, patch),
    onSuccess: (updated) => {
      dialogRef.current?.close();
      onUpdated(updated);
    },
    onError: (error) => showApiError(error, known),
  });

  function open() {
    setName(token.name);
    setTeams(token.teams.join(', '));
    setServices(token.serviceNames.join(', '));
    clear();
    mutation.reset();
    setOpen(true);
    dialogRef.current?.showModal();
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const patch: TokenPatchDraft = { name, ...(service ? { teams: listOf(teams) } : {}), ...(ingest ? { serviceNames: listOf(services) } : {}) };
    const parsed = TokenPatch.safeParse(patch);
    if (!parsed.success) return show(zodFieldErrors(parsed.error));
    clear();
    mutation.mutate(patch);
  }

  // One line per field, whichever of its items failed.
  const summary = placeErrors(errorsByField(errors), (field) =>
    field in ids ? { id: ids[field as keyof typeof ids], label: labels[field as keyof typeof ids] } : null,
  ).summary;

  return (
    <>
      <button type="button" className="btn btn-secondary btn-sm" onClick={open} aria-label={`Edit ${token.name}`}>
        Edit
      </button>
      <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${base}-title`} onClose={() => setOpen(false)}>
        {isOpen ? (
          <form noValidate onSubmit={onSubmit}>
            <div className="dialog-body">
              <h2 id={`${base}-title`}>Edit token “{token.name}”</h2>
              <p className="small muted">The token stays the same: exporters and pipelines keep using it, with the new bindings within 10 seconds.</p>
              <ErrorSummary message={formError} items={summary} />
              <Field id={ids.name} label={labels.name} error={errors.name}>
                {(a) => <input {...a} type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
              </Field>
              {service ? (
                <Field
                  id={ids.teams}
                  label={labels.teams}
                  optional
                  error={errors.teams ?? Object.entries(errors).find(([p]) => p.startsWith('teams.'))?.[1]}
                  hint={
                    ingest
                      ? 'Comma-separated. Its points count only toward SLOs of these teams’ services; empty: every team’s.'
                      : 'Comma-separated: the teams whose services it acts on; empty: every team.'
                  }
                >
                  {(a) => (
                    <input {...a} type="text" autoComplete="off" value={teams} onChange={(e) => setTeams(e.target.value)} placeholder="payments, checkout" />
                  )}
                </Field>
              ) : null}
              {ingest ? (
                <Field
                  id={ids.serviceNames}
                  label={labels.serviceNames}
                  optional
                  error={errors.serviceNames ?? Object.entries(errors).find(([p]) => p.startsWith('serviceNames.'))?.[1]}
                  hint="Comma-separated service.name values its points may carry (the resource attribute SDKs set from OTEL_SERVICE_NAME); empty: any."
                >
                  {(a) => (
                    <input {...a} type="text" autoComplete="off" value={services} onChange={(e) => setServices(e.target.value)} placeholder="checkout-api" />
                  )}
                </Field>
              ) : null}
            </div>
            <div className="dialog-actions">
              <button type="button" className="btn btn-secondary" onClick={() => dialogRef.current?.close()}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
                {mutation.isPending ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
        ) : null}
      </dialog>
    </>
  );
}

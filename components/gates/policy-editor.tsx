'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Policy, PolicyInput } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { gateKeys, policyOptions, resetPolicy, savePolicy, type PolicyScope } from '@/lib/queries/gates';
import { placeErrors, unplacedMessage } from '../form/form-errors';
import { ErrorSummary } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { LocalTime } from '../local-time';
import { PolicyMissingDataFields, PolicyPartialDataFields } from './policy-data-fields';
import { bodyOf, checkDraft, draftOf, friendlyMessage, locate, type PolicyDraft } from './policy-draft';
import { PolicyPreview } from './policy-preview';
import { PolicyRulesFields } from './policy-rules-fields';
import { PolicyScopeFields } from './policy-scope-fields';
import { POLICY_SOURCE_TEXT } from './verdict';

export interface PolicyEditorProps {
  scope: PolicyScope;
  /** For the organisation default: services to preview it against (a service policy previews against its own). */
  services?: Array<{ slug: string; name: string }>;
  /** null: the reader may change it; otherwise why not (the form is shown read-only, the preview still works). */
  readOnlyReason?: string | null;
}

/** The policy's page: loads the policy in effect, then the form for it. */
export function PolicyEditor({ scope, services, readOnlyReason = null }: PolicyEditorProps) {
  const query = useQuery(policyOptions(scope));
  // Held here, not in the form: a save or reset remounts the form, and the notice must outlive that.
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice !== null) noticeRef.current?.focus();
  }, [notice]);

  if (query.isPending) {
    return (
      <div aria-busy="true">
        <div className="skeleton skeleton-card" aria-hidden="true" />
        <span className="visually-hidden">Loading the policy…</span>
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="callout callout-danger" role="alert">
        <span>
          <strong>Could not load the policy.</strong> {errorMessage(query.error)}
        </span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <>
      {notice ? (
        <p className="callout callout-info policy-notice" role="status" tabIndex={-1} ref={noticeRef}>
          <span>
            {notice}
            {scope.kind === 'service' ? (
              <>
                {' '}
                <Link href={`/services/${encodeURIComponent(scope.service)}`}>Back to the service</Link>
              </>
            ) : null}
          </span>
        </p>
      ) : null}
      {/* A new key after a save or reset starts the form again from what is now stored. */}
      <PolicyForm
        key={`${query.data.source}-${query.data.updatedAt ?? 'none'}`}
        scope={scope}
        policy={query.data}
        services={services ?? []}
        onNotice={setNotice}
        readOnlyReason={readOnlyReason}
      />
    </>
  );
}

function sourceNote(scope: PolicyScope, policy: Policy): string {
  if (scope.kind === 'default') {
    return policy.source === 'default'
      ? 'Services without a policy of their own are judged by this one.'
      : 'No organisation default is set: services without a policy of their own are judged by Umpire’s built-in policy, shown here. Saving makes it the default.';
  }
  if (policy.source === 'service') return 'This service has its own policy.';
  return `This service has no policy of its own and is judged by ${POLICY_SOURCE_TEXT[policy.source]}, shown here. Saving gives it its own, starting from these rules.`;
}

interface PolicyFormProps {
  scope: PolicyScope;
  policy: Policy;
  services: Array<{ slug: string; name: string }>;
  /** A save or reset went through (null: a new attempt starts). */
  onNotice: (message: string | null) => void;
  readOnlyReason: string | null;
}

function PolicyForm({ scope, policy, services, onNotice, readOnlyReason }: PolicyFormProps) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(policy));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) =>
    Object.keys(fields).map((path) => locate(path, draft)?.id ?? 'form-error'),
  );
  const [confirmingReset, setConfirmingReset] = useState(false);

  const savedBody = useMemo(() => JSON.stringify(bodyOf(draftOf(policy))), [policy]);
  const body = JSON.stringify(bodyOf(draft));
  const dirty = body !== savedBody;

  const afterChange = (message: string) => {
    onNotice(message);
    // Every gate answer may change: the default counts for all services without their own policy.
    void queryClient.invalidateQueries({ queryKey: scope.kind === 'default' ? gateKeys.all : gateKeys.service(scope.service) });
  };

  const save = useMutation({
    mutationFn: (input: PolicyInput) => savePolicy(scope, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(gateKeys.policy(scope), saved);
      afterChange('Policy saved. The gate answers every release from now on with it.');
    },
    onError: (error) => showApiError(error, (path) => locate(path, draft) !== null),
  });

  const reset = useMutation({
    mutationFn: () => resetPolicy(scope),
    onSuccess: () => {
      setConfirmingReset(false);
      void queryClient.invalidateQueries({ queryKey: gateKeys.policy(scope) });
      afterChange(
        scope.kind === 'service' ? 'This service now uses the organisation default.' : 'The organisation default is removed: Umpire’s built-in policy applies.',
      );
    },
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onNotice(null);
    const check = checkDraft(draft);
    if (!check.ok) {
      show(check.errors);
      return;
    }
    clear();
    save.mutate(check.input);
  }

  const update = (patch: Partial<PolicyDraft> | ((d: PolicyDraft) => Partial<PolicyDraft>)) =>
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));

  // Errors by control id; the summary lists each once, in the order given.
  const { byId, summary } = placeErrors(errors, (path) => locate(path, draft), friendlyMessage);
  const unplaced = unplacedMessage(errors, summary.length, 'The policy');
  const err = (controlId: string) => byId.get(controlId);

  return (
    <div className="policy-layout">
      <form className="form" noValidate onSubmit={onSubmit} aria-label="Error-budget policy">
        {readOnlyReason ? (
          <p className="callout callout-warning" role="note" data-testid="policy-read-only">
            <span>Read only: {readOnlyReason}.</span>
          </p>
        ) : null}
        <ErrorSummary message={formError ?? unplaced} items={summary} />
        <p className="callout callout-info policy-source" data-testid="policy-source" data-source={policy.source}>
          <span>
            {sourceNote(scope, policy)}
            {policy.updatedAt ? (
              <>
                {' '}
                Last changed <LocalTime iso={policy.updatedAt} />.
              </>
            ) : null}
          </span>
        </p>

        <PolicyRulesFields draft={draft} update={update} err={err} disabled={readOnlyReason !== null} scope={scope} floor={policy.floor} />

        <PolicyScopeFields draft={draft} update={update} err={err} disabled={readOnlyReason !== null} />

        <PolicyMissingDataFields draft={draft} update={update} err={err} disabled={readOnlyReason !== null} scope={scope} floor={policy.floor} />

        <PolicyPartialDataFields draft={draft} update={update} err={err} disabled={readOnlyReason !== null} />

        {readOnlyReason !== null ? null : (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save policy'}
            </button>
            {dirty ? <span className="muted small">Unsaved changes</span> : null}
            {(scope.kind === 'service' && policy.source === 'service') || (scope.kind === 'default' && policy.source === 'default') ? (
              confirmingReset ? (
                <span className="policy-reset-confirm" role="group" aria-label="Confirm">
                  <span className="small">{scope.kind === 'service' ? 'Delete this service’s own policy?' : 'Delete the organisation default?'}</span>
                  <button type="button" className="btn btn-danger btn-sm" onClick={() => reset.mutate()} disabled={reset.isPending}>
                    {reset.isPending ? 'Deleting…' : 'Delete it'}
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmingReset(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="btn btn-secondary" onClick={() => setConfirmingReset(true)}>
                  {scope.kind === 'service' ? 'Use organisation default' : 'Use the built-in policy'}
                </button>
              )
            ) : null}
          </div>
        )}
        {reset.isError ? (
          <div className="callout callout-danger" role="alert" style={{ marginTop: 12 }}>
            <span>
              <strong>Not reset.</strong> {errorMessage(reset.error)}
            </span>
          </div>
        ) : null}
      </form>

      <PolicyPreview scope={scope} draft={draft} services={services} />
    </div>
  );
}

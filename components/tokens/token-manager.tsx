'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { TokenInput, type ApiToken, type CreatedApiToken, type Scope, type TokenInputDraft, type TokenKind } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { createToken, listTokens, tokenKeys } from '@/lib/queries/tokens';
import { errorsByField, placeErrors, topField } from '../form/form-errors';
import { ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { listOf } from '../form/values';
import { CopyButton } from '../ui/copy-button';
import { ExpiryDaysRow, ExpirySelect, useTokenExpiry } from './token-expiry';
import { TokenTable } from './token-table';

const SCOPE_TEXT: Record<Scope, string> = {
  read: 'read: everything the API shows',
  write: 'write: change services, SLOs, policies, overrides, embeds (of the teams allowed)',
  gate: 'gate: ask the release gate and record deploys (CI/CD)',
  ingest: 'ingest: push OpenTelemetry metrics to /v1/metrics',
  admin: 'admin: data sources, tokens, users, the default policy',
};

const FIELDS: Record<string, { id: string; label: string }> = {
  name: { id: 'new-token-name', label: 'Name' },
  scopes: { id: 'new-token-scope-read', label: 'Scopes' },
  teams: { id: 'new-token-teams', label: 'Teams' },
  serviceNames: { id: 'new-token-services', label: 'Services' },
  expiresInDays: { id: 'new-token-expiry', label: 'Expires' },
};

export interface TokenManagerProps {
  kind: TokenKind;
  /** The scopes this person may give (a personal token: their role's). */
  scopes: Scope[];
  /** Teams to suggest for a service token. */
  teams?: string[];
  initialTokens: ApiToken[];
  asOf: string;
}

/** Create a token (shown once), list them, revoke them: personal tokens on the account page, service tokens for admins. */
export function TokenManager({ kind, scopes, teams = [], initialTokens, asOf }: TokenManagerProps) {
  const queryClient = useQueryClient();
  const listing = kind === 'personal' ? 'mine' : 'all';
  const key = tokenKeys.list(listing);
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => listTokens(signal, listing), initialData: initialTokens, refetchOnMount: false });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  function onCreated(token: CreatedApiToken) {
    setNotice(null);
    setCreated(token);
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
  }

  function onRevoked(token: ApiToken) {
    queryClient.setQueryData<ApiToken[]>(key, (old) => (old ?? []).map((t) => (t.id === token.id ? token : t)));
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    if (created?.id === token.id) setCreated(null);
    setNotice(`Token “${token.name}” revoked. Requests using it are refused within 10 seconds.`);
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  function onUpdated(token: ApiToken) {
    queryClient.setQueryData<ApiToken[]>(key, (old) => (old ?? []).map((t) => (t.id === token.id ? token : t)));
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    setNotice(`Token “${token.name}” saved. Whatever uses it keeps it; the change applies within 10 seconds.`);
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  return (
    <section aria-labelledby={`${kind}-tokens-title`} className="section">
      <div className="section-header">
        <h2 id={`${kind}-tokens-title`}>{kind === 'personal' ? 'Your API tokens' : 'Service tokens'}</h2>
        <p>
          {kind === 'personal'
            ? 'For your scripts: a token acts as you, never beyond your role and teams, and stops working if your account is disabled.'
            : 'For machines: CI pipelines (gate), exporters (ingest), automation. A service token acts as itself, with its scopes, on its teams’ services.'}
        </p>
      </div>
      {created ? <CreatedSecret token={created} onDone={() => setCreated(null)} /> : null}
      <CreateTokenForm kind={kind} scopes={scopes} teams={teams} onCreated={onCreated} />
      <p
        ref={noticeRef}
        tabIndex={-1}
        role="status"
        className={notice ? 'callout callout-info' : 'visually-hidden'}
        style={notice ? { margin: '12px 0' } : undefined}
      >
        {notice ?? ''}
      </p>
      {query.isError ? (
        <div className="callout callout-danger" role="alert" style={{ marginBottom: 12 }}>
          <span>
            <strong>Could not refresh the tokens.</strong> {errorMessage(query.error)}
          </span>
        </div>
      ) : null}
      <TokenTable
        tokens={query.data}
        asOf={asOf}
        onRevoked={onRevoked}
        onUpdated={onUpdated}
        caption={kind === 'personal' ? 'Your API tokens' : 'All API tokens'}
        emptyText={kind === 'personal' ? 'No tokens yet.' : 'No tokens yet.'}
        detailed={kind === 'service'}
      />
    </section>
  );
}

function CreatedSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), [token.id]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card"
      aria-labelledby="created-secret-title"
      data-testid="created-token"
      style={{ maxWidth: 820, marginBottom: 16 }}
    >
      <h3 id="created-secret-title">Token “{token.name}” created: copy it now</h3>
      <div className="callout callout-warning" role="note" style={{ marginTop: 10 }}>
        <span>
          <strong>This is the only time the token is shown.</strong> Umpire keeps only a hash of it. Send it as <code>Authorization: Bearer …</code>
          {token.scopes.includes('gate') ? (
            <>
              ; for the release gate in CI, put it in <code>UMPIRE_TOKEN</code>
            </>
          ) : null}
          .
        </span>
      </div>
      <div className="field" style={{ marginTop: 14 }}>
        <label htmlFor="created-secret-value">New token</label>
        <div className="otel-token-box">
          <input
            ref={inputRef}
            id="created-secret-value"
            type="text"
            readOnly
            spellCheck={false}
            value={token.token}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="created-token-value"
          />
          <CopyButton text={token.token} label="Copy the token" fallbackTarget={() => inputRef.current} />
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          Done: I have copied it
        </button>
      </div>
    </section>
  );
}

function CreateTokenForm({
  kind,
  scopes,
  teams,
  onCreated,
}: {
  kind: TokenKind;
  scopes: Scope[];
  teams: string[];
  onCreated: (token: CreatedApiToken) => void;
}) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Scope[]>(kind === 'personal' ? ['read'] : ['gate']);
  const [teamText, setTeamText] = useState('');
  const [serviceText, setServiceText] = useState('');
  const expiry = useTokenExpiry('new-token-expiry', '90');
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) =>
    Object.keys(fields).map((path) => (path === 'expiresInDays' ? expiry.errorFieldId : (FIELDS[topField(path)]?.id ?? 'new-token-name'))),
  );

  const mutation = useMutation({
    mutationFn: (input: TokenInputDraft) => createToken(input),
    onSuccess: (token) => {
      setName('');
      clear();
      onCreated(token);
    },
    onError: (error) => showApiError(error, (path) => topField(path) in FIELDS),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: TokenInputDraft = {
      name,
      kind,
      scopes: chosen,
      teams: kind === 'service' ? listOf(teamText) : [],
      serviceNames: chosen.includes('ingest') ? listOf(serviceText) : [],
      expiresInDays: expiry.days(),
    };
    const parsed = TokenInput.safeParse(body);
    if (!parsed.success) return show(zodFieldErrors(parsed.error));
    clear();
    mutation.mutate(body);
  }

  const toggle = (scope: Scope) => setChosen((c) => (c.includes(scope) ? c.filter((s) => s !== scope) : [...c, scope]));
  // One line per field, whichever of its items failed.
  const byField = errorsByField(errors);
  const summary = placeErrors(
    byField,
    (field) => FIELDS[field] && { id: field === 'expiresInDays' ? expiry.errorFieldId : FIELDS[field].id, label: FIELDS[field].label },
  ).summary;

  return (
    <form className="form-section" noValidate onSubmit={onSubmit} aria-labelledby={`create-${kind}-token-title`} style={{ maxWidth: 820 }}>
      <h3 id={`create-${kind}-token-title`} className="form-section-title">
        {kind === 'personal' ? 'Create a personal token' : 'Create a service token'}
      </h3>
      <ErrorSummary message={formError} items={summary} />
      <div className="field-row two">
        <Field
          id="new-token-name"
          label="Name"
          error={errors.name}
          hint={kind === 'personal' ? 'What will use it, e.g. “my laptop scripts”.' : 'What will use it, e.g. “checkout deploy pipeline”.'}
        >
          {(a) => <input {...a} type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <ExpirySelect id="new-token-expiry" state={expiry} error={errors.expiresInDays} />
      </div>
      <ExpiryDaysRow id="new-token-expiry" state={expiry} error={errors.expiresInDays} />
      <fieldset className="choice-group" style={{ marginTop: 14 }} aria-describedby={errors.scopes ? 'new-token-scopes-error' : undefined}>
        <legend className="field-label">Scopes</legend>
        {scopes.map((scope) => (
          <label key={scope} className="choice">
            <input id={`new-token-scope-${scope}`} type="checkbox" checked={chosen.includes(scope)} onChange={() => toggle(scope)} />
            <span>{SCOPE_TEXT[scope]}</span>
          </label>
        ))}
        {errors.scopes ? (
          <p className="field-error" id="new-token-scopes-error">
            Scopes {errors.scopes}
          </p>
        ) : null}
      </fieldset>
      {kind === 'service' ? (
        <div className="field-row two" style={{ marginTop: 14 }}>
          <Field
            id="new-token-teams"
            label="Teams"
            optional
            error={byField.teams}
            hint="Comma-separated: the teams whose services it may change, ask the gate of or record deploys for, and whose SLOs its pushed points count toward. Empty: every team."
          >
            {(a) => (
              <>
                <input
                  {...a}
                  type="text"
                  list="new-token-team-options"
                  autoComplete="off"
                  value={teamText}
                  onChange={(e) => setTeamText(e.target.value)}
                  placeholder="checkout, payments"
                />
                <datalist id="new-token-team-options">
                  {teams.map((team) => (
                    <option key={team} value={team} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          {chosen.includes('ingest') ? (
            <Field
              id="new-token-services"
              label="Services"
              optional
              error={byField.serviceNames}
              hint="Comma-separated service.name values its pushed points may carry. Empty: any."
            >
              {(a) => (
                <input {...a} type="text" autoComplete="off" value={serviceText} onChange={(e) => setServiceText(e.target.value)} placeholder="checkout-api" />
              )}
            </Field>
          ) : null}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

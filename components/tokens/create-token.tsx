'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { TokenInput, type CreatedApiToken, type TokenInputDraft } from '@/lib/schemas';
import { createToken } from '@/lib/queries/tokens';
import { errorsByField, placeErrors, topField } from '../form/form-errors';
import { ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { listOf } from '../form/values';
import { CopyButton } from '../ui/copy-button';
import { collectorConfig, ORIGIN_PLACEHOLDER, sdkEnv, sdkMetricsOnlyEnv } from '../otel/exporter-config';
import { Snippet } from '../otel/snippet';
import { useOrigin } from '../ui/use-origin';
import '../otel/otel.css';
import { ExpiryDaysRow, ExpirySelect, useTokenExpiry } from './token-expiry';

const FIELDS: Record<string, { id: string; label: string }> = {
  name: { id: 'token-name', label: 'Name' },
  expiresInDays: { id: 'token-expiry', label: 'Expires' },
  scopes: { id: 'token-name', label: 'Scopes' },
  teams: { id: 'token-teams', label: 'Teams' },
  serviceNames: { id: 'token-services', label: 'Services' },
};

/** The field a path belongs to: "serviceNames.0" is the services field. */
const fieldOf = (path: string) => FIELDS[topField(path)];

export interface CreateTokenFormProps {
  onCreated: (token: CreatedApiToken) => void;
  /** Teams to suggest. */
  teams?: string[];
}

/**
 * Name, expiry and what a new ingest token may feed (teams, service.name pins); validated with the API's own schema,
 * then the API's field errors.
 */
export function CreateTokenForm({ onCreated, teams: knownTeams = [] }: CreateTokenFormProps) {
  const [name, setName] = useState('');
  const [teams, setTeams] = useState('');
  const [services, setServices] = useState('');
  const expiry = useTokenExpiry('token-expiry', 'never');
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) =>
    Object.keys(fields).map((path) => (path === 'expiresInDays' ? expiry.errorFieldId : (fieldOf(path)?.id ?? 'token-name'))),
  );

  const mutation = useMutation({
    mutationFn: (input: TokenInputDraft) => createToken(input),
    onSuccess: (token) => {
      setName('');
      setTeams('');
      setServices('');
      clear();
      onCreated(token);
    },
    onError: (error) => showApiError(error, (path) => fieldOf(path) !== undefined),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: TokenInputDraft = { name, scopes: ['ingest'], teams: listOf(teams), serviceNames: listOf(services), expiresInDays: expiry.days() };
    const parsed = TokenInput.safeParse(body);
    if (!parsed.success) {
      show(zodFieldErrors(parsed.error));
      return;
    }
    clear();
    mutation.mutate(body);
  }

  // One line per field, whichever of its items failed.
  const summary = placeErrors(
    errorsByField(errors),
    (field) => FIELDS[field] && { id: field === 'expiresInDays' ? expiry.errorFieldId : FIELDS[field].id, label: FIELDS[field].label },
  ).summary;
  const itemError = (field: string) => errors[field] ?? Object.entries(errors).find(([path]) => path.startsWith(`${field}.`))?.[1];

  return (
    <form className="form-section" noValidate onSubmit={onSubmit} aria-labelledby="create-token-title" style={{ maxWidth: 820 }}>
      <h3 id="create-token-title" className="form-section-title">
        Create an ingest token
      </h3>
      <p className="form-section-intro">
        One token per service or Collector, so each can be revoked on its own. The token may only push metrics to /v1/metrics, and its points count only toward
        the SLOs it may feed: those of its teams’ services, from its services’ service.name. Points for any other SLO are refused, and the exporter is told why.
      </p>
      <ErrorSummary message={formError} items={summary} />
      <div className="field-row two">
        <Field id="token-name" label="Name" error={errors.name} hint="What will use it, e.g. “checkout-api production”.">
          {(a) => <input {...a} type="text" autoComplete="off" value={name} placeholder="checkout-api production" onChange={(e) => setName(e.target.value)} />}
        </Field>
        <ExpirySelect id="token-expiry" state={expiry} error={errors.expiresInDays} />
      </div>
      <ExpiryDaysRow id="token-expiry" state={expiry} error={errors.expiresInDays} />
      <div className="field-row two">
        <Field
          id="token-teams"
          label="Teams"
          optional
          error={itemError('teams')}
          hint="Comma-separated: its points count only toward SLOs of these teams’ services. Empty: every team’s."
        >
          {(a) => (
            <>
              <input
                {...a}
                type="text"
                list="token-team-options"
                autoComplete="off"
                value={teams}
                placeholder="payments"
                onChange={(e) => setTeams(e.target.value)}
              />
              <datalist id="token-team-options">
                {knownTeams.map((team) => (
                  <option key={team} value={team} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          id="token-services"
          label="Services"
          optional
          error={itemError('serviceNames')}
          hint="Comma-separated service.name values its points may carry (what OTEL_SERVICE_NAME sets). Empty: any."
        >
          {(a) => <input {...a} type="text" autoComplete="off" value={services} placeholder="checkout-api" onChange={(e) => setServices(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

export interface CreatedTokenProps {
  token: CreatedApiToken;
  onDone: () => void;
}

/** The new token, shown this once, with copy buttons and exporter settings that already contain it. */
export function CreatedToken({ token, onDone }: CreatedTokenProps) {
  const origin = useOrigin() ?? ORIGIN_PLACEHOLDER;
  const ref = useRef<HTMLElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // Focus moves here when it appears, so screen readers announce the token and the warning first.
  useEffect(() => ref.current?.focus(), [token.id]);

  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card"
      aria-labelledby="created-token-title"
      data-testid="created-token"
      style={{ maxWidth: 820, marginBottom: 16 }}
    >
      <h3 id="created-token-title">Token “{token.name}” created: copy it now</h3>
      <div className="callout callout-warning" role="note" style={{ marginTop: 10 }}>
        <span>
          <strong>This is the only time the token is shown.</strong> Umpire keeps only a hash of it. If it is lost, create another and revoke this one.
        </span>
      </div>
      <div className="field" style={{ marginTop: 14 }}>
        <label htmlFor="created-token-value">New ingest token</label>
        <div className="otel-token-box">
          <input
            ref={inputRef}
            id="created-token-value"
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

      <h4 style={{ marginTop: 18 }}>OpenTelemetry SDK</h4>
      <p className="field-hint">Environment variables every OpenTelemetry SDK reads; the token is already in them.</p>
      <Snippet title="SDK environment variables" text={sdkEnv(origin, token.token)} />
      <p className="field-hint" style={{ marginTop: 8 }}>
        If the service sends traces or logs somewhere else, set only the metrics variables instead:
      </p>
      <Snippet title="metrics-only SDK environment variables" text={sdkMetricsOnlyEnv(origin, token.token)} />

      <h4 style={{ marginTop: 18 }}>OpenTelemetry Collector</h4>
      <p className="field-hint">An exporter for the Collector’s configuration, added to its metrics pipeline (keep your receivers and processors).</p>
      <Snippet title="Collector configuration" text={collectorConfig(origin, token.token)} />

      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          Done: I have copied it
        </button>
      </div>
    </section>
  );
}

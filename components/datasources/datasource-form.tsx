'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DataSourceInput, DataSourcePatch, type DataSource } from '@/lib/schemas';
import { createDataSource, datasourceKeys, updateDataSource } from '@/lib/queries/datasources';
import { placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { ErrorSummary, Field, fieldMessage, InlineError, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { NameAndSlugFields } from '../form/name-slug-fields';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { RowsTable } from '../form/rows-table';
import { AUTH_LABEL } from './auth-label';
import { bodyOf, draftOf, localErrors, type AuthKind, type Draft, type HeaderRow } from './draft';

const AUTH_KINDS: Array<{ kind: AuthKind; title: string; detail: string }> = [
  { kind: 'none', title: 'None', detail: 'The API is open to Umpire’s network.' },
  { kind: 'bearer', title: 'Bearer token', detail: 'Authorization: Bearer …, e.g. a Grafana Cloud or gateway token.' },
  { kind: 'basic', title: 'Basic auth', detail: 'A username and password, e.g. behind a reverse proxy.' },
  { kind: 'headers', title: 'Custom headers', detail: 'Up to 10 headers, e.g. X-Scope-OrgID for Mimir or Cortex tenants.' },
];

const FIXED: Record<string, { id: string; label: string }> = {
  name: { id: 'ds-name', label: 'Name' },
  slug: { id: 'ds-slug', label: 'Slug' },
  url: { id: 'ds-url', label: 'URL' },
  timeoutSeconds: { id: 'ds-timeout', label: 'Timeout' },
  'auth.token': { id: 'ds-token', label: 'Token' },
  'auth.username': { id: 'ds-username', label: 'Username' },
  'auth.password': { id: 'ds-password', label: 'Password' },
  'auth.headers': { id: 'ds-headers-add', label: 'Headers' },
};

/** Where each error path is shown: its control's id and the label its message starts with. */
function locate(path: string, draft: Draft): { id: string; label: string } | null {
  if (FIXED[path]) return FIXED[path];
  if (path === 'auth' || path === 'auth.kind') return { id: `ds-auth-${draft.authKind}`, label: 'Authentication' };
  const byKey = /^auth\.headers\.#(\d+)$/.exec(path);
  if (byKey) return { id: `ds-header-${byKey[1]}-name`, label: 'Header' };
  const header = /^auth\.headers\.(.+)$/.exec(path);
  if (header) {
    const row = draft.headers.find((h) => h.name.trim().toLowerCase() === header[1]!.toLowerCase());
    if (row)
      return {
        id: row.value === '' && row.name.trim() !== '' ? `ds-header-${row.key}-value` : `ds-header-${row.key}-name`,
        label: `Header “${row.name.trim()}”`,
      };
    return FIXED['auth.headers']!;
  }
  return null;
}

export interface DataSourceFormProps {
  /** The data source being edited; absent on create. */
  datasource?: DataSource;
}

/**
 * Create or edit a Prometheus-compatible data source. Validated with the shared DataSourceInput/DataSourcePatch
 * schemas on submit plus the API's field errors (a blocked URL, a missing secret key). Secrets are write-only:
 * on edit the credential fields start empty and are only sent when the auth section changes.
 */
export function DataSourceForm({ datasource }: DataSourceFormProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const editing = datasource !== undefined;
  const [draft, setDraft] = useState<Draft>(() => draftOf(datasource));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => placedIds(fields, (path) => locate(path, draft)));

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      datasource ? updateDataSource(datasource.slug, DataSourcePatch.parse(body)) : createDataSource(DataSourceInput.parse(body)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: datasourceKeys.all });
      router.push('/datasources');
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path, draft) !== null),
  });

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = bodyOf(draft, datasource);
    const parsed = editing ? DataSourcePatch.safeParse(body) : DataSourceInput.safeParse(body);
    const fields = {
      ...(parsed.success
        ? {}
        : zodFieldErrors(parsed.error, (issue) =>
            issue.path.join('.') === 'timeoutSeconds' && issue.code === 'invalid_type' ? 'must be a whole number of seconds' : undefined,
          )),
      ...localErrors(draft, datasource),
    };
    if (Object.keys(fields).length > 0) {
      show(fields);
      return;
    }
    clear();
    mutation.mutate(body);
  }

  const { byId, summary } = placeErrors(errors, (path) => locate(path, draft));
  const unlocated = unplacedMessage(errors, summary.length, 'The data source');
  const err = (id: string) => byId.get(id);
  const authError = err(`ds-auth-${draft.authKind}`);
  const keepHint =
    editing && datasource.auth.kind === draft.authKind && datasource.auth.hasSecret
      ? 'Leave empty to keep the stored credentials (a URL on another host needs them again).'
      : undefined;

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={editing ? 'Edit data source' : 'New data source'}>
      <ErrorSummary message={formError ?? unlocated} items={summary} />

      <fieldset className="form-section">
        <legend>Data source</legend>
        <p className="form-section-intro">A Prometheus-compatible HTTP API: Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics.</p>
        <NameAndSlugFields
          idPrefix="ds"
          name={draft.name}
          slug={draft.slug}
          editing={editing}
          onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
          errors={{ name: err('ds-name'), slug: err('ds-slug') }}
          placeholders={{ name: 'Production Prometheus', slug: 'prod-prometheus' }}
          slugHint={editing ? 'SLOs refer to the data source by its slug.' : 'SLOs refer to it by this. Suggested from the name.'}
        />
        <Field
          id="ds-url"
          label="URL"
          error={err('ds-url')}
          hint="The base of its HTTP API, without /api/v1. Link-local and cloud-metadata addresses are refused."
        >
          {(a) => (
            <input
              {...a}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              className="mono"
              value={draft.url}
              placeholder="http://prometheus.monitoring:9090"
              onChange={(e) => set('url', e.target.value)}
            />
          )}
        </Field>
        <div className="field-row three" style={{ marginTop: 14 }}>
          <Field id="ds-timeout" label="Timeout" error={err('ds-timeout')} hint="Per query, 1 to 300 seconds.">
            {(a) => (
              <div className="input-suffix">
                <input {...a} type="text" inputMode="numeric" value={draft.timeoutSeconds} onChange={(e) => set('timeoutSeconds', e.target.value)} />
                <span aria-hidden="true">s</span>
              </div>
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Authentication</legend>
        <p className="form-section-intro">
          Credentials are encrypted at rest and never shown again, here or in the API.
          {editing && datasource.auth.kind !== 'none' ? (
            <>
              {' '}
              Stored now: <strong>{AUTH_LABEL[datasource.auth.kind]}</strong>
              {datasource.auth.username ? ` for ${datasource.auth.username}` : ''}
              {datasource.auth.headerNames?.length ? ` (${datasource.auth.headerNames.join(', ')})` : ''}.
            </>
          ) : null}
        </p>
        <fieldset className="choice-group" aria-describedby={authError ? 'ds-auth-error' : undefined}>
          <legend className="visually-hidden">Authentication method</legend>
          <div className="choices grid-2">
            {AUTH_KINDS.map((option) => (
              <label key={option.kind} className="choice">
                <input
                  id={`ds-auth-${option.kind}`}
                  type="radio"
                  name="auth"
                  aria-invalid={authError && draft.authKind === option.kind ? true : undefined}
                  checked={draft.authKind === option.kind}
                  onChange={() => set('authKind', option.kind)}
                />
                <span>
                  <strong>{option.title}</strong>
                  <small>{option.detail}</small>
                </span>
              </label>
            ))}
          </div>
          <InlineError id="ds-auth-error" message={authError ? fieldMessage('Authentication', authError) : undefined} />
        </fieldset>

        {draft.authKind === 'bearer' ? (
          <div className="field-row two" style={{ marginTop: 14 }}>
            <Field id="ds-token" label="Token" error={err('ds-token')} hint={keepHint}>
              {(a) => (
                <input
                  {...a}
                  type="password"
                  autoComplete="new-password"
                  spellCheck={false}
                  value={draft.token}
                  onChange={(e) => set('token', e.target.value)}
                />
              )}
            </Field>
          </div>
        ) : null}

        {draft.authKind === 'basic' ? (
          <div className="field-row two" style={{ marginTop: 14 }}>
            <Field id="ds-username" label="Username" error={err('ds-username')}>
              {(a) => (
                <input {...a} type="text" autoComplete="off" spellCheck={false} value={draft.username} onChange={(e) => set('username', e.target.value)} />
              )}
            </Field>
            <Field id="ds-password" label="Password" error={err('ds-password')} hint={keepHint}>
              {(a) => <input {...a} type="password" autoComplete="new-password" value={draft.password} onChange={(e) => set('password', e.target.value)} />}
            </Field>
          </div>
        ) : null}

        {draft.authKind === 'headers' ? (
          <>
            <RowsTable
              label="Headers"
              columns={['Header', 'Value']}
              rows={draft.headers}
              rowName="header"
              onRemove={(key) => setDraft((d) => ({ ...d, headers: rowRemoved(d.headers, key) }))}
              style={{ marginTop: 14 }}
              cells={(row, i) => {
                const nameId = `ds-header-${row.key}-name`;
                const valueId = `ds-header-${row.key}-value`;
                const setRow = (patch: Partial<HeaderRow>) => setDraft((d) => ({ ...d, headers: rowChanged(d.headers, row.key, patch) }));
                return (
                  <>
                    <td>
                      <input
                        id={nameId}
                        aria-label={`Header ${i + 1} name`}
                        aria-invalid={err(nameId) ? true : undefined}
                        aria-describedby={err(nameId) ? `${nameId}-error` : undefined}
                        type="text"
                        className="mono"
                        autoComplete="off"
                        spellCheck={false}
                        value={row.name}
                        placeholder="X-Scope-OrgID"
                        onChange={(e) => setRow({ name: e.target.value })}
                      />
                      <InlineError id={`${nameId}-error`} message={err(nameId)} />
                    </td>
                    <td>
                      <input
                        id={valueId}
                        aria-label={`Header ${i + 1} value`}
                        aria-invalid={err(valueId) ? true : undefined}
                        aria-describedby={
                          [keepHint ? 'ds-headers-hint' : null, err(valueId) ? `${valueId}-error` : null].filter(Boolean).join(' ') || undefined
                        }
                        type="password"
                        autoComplete="new-password"
                        value={row.value}
                        onChange={(e) => setRow({ value: e.target.value })}
                      />
                      <InlineError id={`${valueId}-error`} message={err(valueId)} />
                    </td>
                  </>
                );
              }}
            />
            {keepHint ? (
              <p className="field-hint" id="ds-headers-hint">
                Leave every value empty to keep the stored credentials (a URL on another host needs them again); to change one, enter them all again.
              </p>
            ) : null}
            <div className="form-actions" style={{ marginTop: 10 }}>
              <button
                id="ds-headers-add"
                type="button"
                className="btn btn-secondary btn-sm"
                aria-describedby={err('ds-headers-add') ? 'ds-headers-add-error' : undefined}
                disabled={draft.headers.length >= 10}
                onClick={() => setDraft((d) => ({ ...d, seq: d.seq + 1, headers: rowAdded(d.headers, { key: d.seq, name: '', value: '' }) }))}
              >
                Add header
              </button>
            </div>
            <InlineError id="ds-headers-add-error" message={err('ds-headers-add') ? fieldMessage('Headers', err('ds-headers-add')!) : undefined} />
          </>
        ) : null}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add data source'}
        </button>
        <Link href="/datasources" className="btn btn-ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}

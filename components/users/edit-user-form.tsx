'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ROLES } from '@/lib/auth/permissions';
import { errorMessage } from '@/lib/queries/api';
import { createResetLink, updateUser } from '@/lib/queries/auth';
import type { PasswordLinkView, Role, User, UserPatch } from '@/lib/schemas';
import { errorsByField, placeErrors, topField } from '../form/form-errors';
import { ErrorSummary, Field } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { PasswordLinkBox, ROLE_HINT } from './create-user-form';
import { parseTeams } from './teams-input';

const FIELDS: Record<string, { id: string; label: string }> = {
  displayName: { id: 'edit-user-name', label: 'Name' },
  email: { id: 'edit-user-email', label: 'Email' },
  role: { id: 'edit-user-role', label: 'Role' },
  teams: { id: 'edit-user-teams', label: 'Teams' },
  disabled: { id: 'edit-user-disable', label: 'Account' },
};

/** Role, teams, name and email; disable (signs them out everywhere) or enable; a new password link. */
export function EditUserForm({ user, teams, self }: { user: User; teams: string[]; self: boolean }) {
  const router = useRouter();
  const [draft, setDraft] = useState({ displayName: user.displayName, email: user.email ?? '', role: user.role as Role, teams: user.teams.join(', ') });
  const { errors, formError, showApiError, clear } = useFormErrors((fields) => Object.keys(fields).map((path) => FIELDS[topField(path)]?.id ?? 'form-error'));
  const [saved, setSaved] = useState<string | null>(null);
  const [link, setLink] = useState<PasswordLinkView | null>(null);

  const onError = (error: unknown) => showApiError(error, (path) => topField(path) in FIELDS, errorsByField);
  const save = useMutation({
    mutationFn: (patch: UserPatch) => updateUser(user.username, patch),
    onSuccess: (updated, patch) => {
      clear();
      setSaved(
        patch.disabled === true
          ? `${updated.username} is disabled and signed out everywhere.`
          : patch.disabled === false
            ? `${updated.username} may sign in again.`
            : 'Saved.',
      );
      router.refresh();
    },
    onError,
  });
  const reset = useMutation({ mutationFn: () => createResetLink(user.username), onSuccess: setLink });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    save.mutate({
      displayName: draft.displayName,
      email: draft.email.trim() === '' ? null : draft.email.trim(),
      role: draft.role,
      teams: parseTeams(draft.teams),
    });
  }

  const set = (key: keyof typeof draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.target.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const summary = placeErrors(errors, (path) => FIELDS[path]).summary;

  return (
    <>
      <form className="form-section" noValidate onSubmit={onSubmit} aria-labelledby="edit-user-title" style={{ maxWidth: 820 }}>
        <h2 id="edit-user-title" className="form-section-title">
          Role and teams
        </h2>
        <ErrorSummary message={formError} items={summary} />
        <div className="field-row two">
          <Field id="edit-user-name" label="Name" error={errors.displayName}>
            {(a) => <input {...a} type="text" value={draft.displayName} onChange={set('displayName')} />}
          </Field>
          <Field id="edit-user-email" label="Email" optional error={errors.email}>
            {(a) => <input {...a} type="email" value={draft.email} onChange={set('email')} />}
          </Field>
        </div>
        <div className="field-row two">
          <Field id="edit-user-role" label="Role" error={errors.role} hint={ROLE_HINT[draft.role]}>
            {(a) => (
              <select {...a} value={draft.role} onChange={set('role')}>
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="edit-user-teams" label="Teams" optional error={errors.teams} hint="Comma-separated.">
            {(a) => (
              <>
                <input {...a} type="text" list="edit-user-team-options" autoComplete="off" value={draft.teams} onChange={set('teams')} />
                <datalist id="edit-user-team-options">
                  {teams.map((team) => (
                    <option key={team} value={team} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          {self ? null : (
            <button
              type="button"
              id="edit-user-disable"
              className={user.disabled ? 'btn btn-secondary' : 'btn btn-danger-outline'}
              disabled={save.isPending}
              onClick={() => {
                setSaved(null);
                save.mutate({ disabled: !user.disabled });
              }}
            >
              {user.disabled ? 'Enable the account' : 'Disable the account'}
            </button>
          )}
          {user.signIn.password || !user.signIn.oidc ? (
            <button type="button" className="btn btn-secondary" disabled={reset.isPending} onClick={() => reset.mutate()}>
              {reset.isPending ? 'Making a link…' : 'New password link'}
            </button>
          ) : null}
        </div>
        <p role="status" className={saved ? 'callout callout-info' : 'visually-hidden'}>
          {saved ?? ''}
        </p>
        {reset.isError ? (
          <div className="callout callout-danger" role="alert">
            <span>{errorMessage(reset.error)}</span>
          </div>
        ) : null}
      </form>
      {link ? <PasswordLinkBox url={link.url} expiresAt={link.expiresAt} title={`A link for ${user.username} to set a new password`} /> : null}
    </>
  );
}

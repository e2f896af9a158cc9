'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage } from '@/lib/queries/api';
import { setPasswordWithLink, setUpFirstAdmin } from '@/lib/queries/auth';
import { apiErrors, placeErrors } from '../form/form-errors';
import { ErrorSummary, Field, type FieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';

export interface PasswordFormProps {
  /** setup: the first admin (username and name too); link: an invitation or reset link's password. */
  mode: 'setup' | 'link';
}

const FIELDS: Record<string, { id: string; label: string }> = {
  username: { id: 'setup-username', label: 'Username' },
  displayName: { id: 'setup-name', label: 'Name' },
  password: { id: 'setup-password', label: 'Password' },
  confirm: { id: 'setup-confirm', label: 'Password again' },
};

/** The one-time token, from the link's #fragment (never sent to a server, so never in a log); then out of the address bar. */
function useLinkToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const found = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (found) window.history.replaceState(null, '', window.location.pathname);
    // Read once on mount: the fragment exists only in the browser, so it cannot be known while rendering on the server.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setToken(found);
  }, []);
  return token;
}

/** Sets a password with a one-time link: the first admin's (setup) or an invited or reset user's. Signs in on success. */
export function PasswordForm({ mode }: PasswordFormProps) {
  const token = useLinkToken();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { errors, formError, show, clear } = useFormErrors((fields) => Object.keys(fields).map((path) => FIELDS[path]?.id ?? 'form-error'));
  const mutation = useMutation({
    mutationFn: () =>
      mode === 'setup' ? setUpFirstAdmin({ token: token ?? '', username, displayName, password }) : setPasswordWithLink({ token: token ?? '', password }),
    // A full load into the app (another root layout), with the new session's cookies on every request.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign('/'),
    onError: (error) => {
      const { fields, form } = apiErrors(error, (path) => path in FIELDS);
      show(fields, form ?? (fields.token ? errorMessage(error) : null));
    },
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local: FieldErrors = {};
    if (mode === 'setup' && !username.trim()) local.username = 'is required';
    if (mode === 'setup' && !displayName.trim()) local.displayName = 'is required';
    if (password.length < 12) local.password = 'must be at least 12 characters';
    if (confirm !== password) local.confirm = 'does not match the password';
    if (Object.keys(local).length > 0) return show(local, null);
    clear();
    mutation.mutate();
  }

  if (token === undefined) return <p aria-busy="true">Reading the link…</p>;
  if (token === null) {
    return (
      <div className="callout callout-warning" role="alert">
        <span>
          This page needs the one-time link it was sent with (
          {mode === 'setup' ? 'the one Umpire printed when it started, or a new one from `npm run setup-link`' : 'ask an admin for a new one'}). Open the whole
          link, including the part after #.
        </span>
      </div>
    );
  }

  const summary = placeErrors(errors, (path) => FIELDS[path]).summary;
  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-labelledby="password-title">
      <ErrorSummary message={formError} items={summary} />
      {mode === 'setup' ? (
        <>
          <Field id="setup-username" label="Username" error={errors.username} hint="Lowercase letters, digits, dots, hyphens; what you sign in with.">
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            )}
          </Field>
          <Field id="setup-name" label="Name" error={errors.displayName}>
            {(a) => <input {...a} type="text" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
          </Field>
        </>
      ) : null}
      <Field id="setup-password" label="Password" error={errors.password} hint="At least 12 characters; a few unrelated words make a good one.">
        {(a) => <input {...a} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field id="setup-confirm" label="Password again" error={errors.confirm}>
        {(a) => <input {...a} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending || mutation.isSuccess}>
          {mutation.isPending || mutation.isSuccess ? 'Saving…' : mode === 'setup' ? 'Create the admin and sign in' : 'Set the password and sign in'}
        </button>
      </div>
    </form>
  );
}

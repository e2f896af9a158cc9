'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ROLES } from '@/lib/auth/permissions';
import { createUser } from '@/lib/queries/auth';
import type { CreatedUser, Role, UserInputDraft } from '@/lib/schemas';
import { errorsByField, placeErrors, topField } from '../form/form-errors';
import { ErrorSummary, Field } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { CopyButton } from '../ui/copy-button';
import { LocalTime } from '../local-time';
import { parseTeams } from './teams-input';

const FIELDS: Record<string, { id: string; label: string }> = {
  username: { id: 'user-username', label: 'Username' },
  displayName: { id: 'user-name', label: 'Name' },
  email: { id: 'user-email', label: 'Email' },
  role: { id: 'user-role', label: 'Role' },
  teams: { id: 'user-teams', label: 'Teams' },
  signIn: { id: 'user-signin-password', label: 'Sign-in' },
};

type SignIn = 'password' | 'sso';
const EMPTY = { username: '', displayName: '', email: '', role: 'viewer' as Role, teams: '', signIn: 'password' as SignIn };

export const ROLE_HINT: Record<Role, string> = {
  viewer: 'reads everything, changes nothing',
  editor: 'changes the services of their teams',
  admin: 'changes everything, users included',
};

/**
 * Adds a user: they get a one-time link to set their own password (nobody else ever knows it), or, where single
 * sign-on is configured, they sign in through the identity provider with the email given here.
 */
export function CreateUserForm({ teams, sso }: { teams: string[]; sso: { name: string } | null }) {
  const router = useRouter();
  const [draft, setDraft] = useState(EMPTY);
  const { errors, formError, showApiError, clear } = useFormErrors((fields) => Object.keys(fields).map((path) => FIELDS[topField(path)]?.id ?? 'form-error'));
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const mutation = useMutation({
    mutationFn: (input: UserInputDraft) => createUser(input),
    onSuccess: (user) => {
      setCreated(user);
      setDraft((d) => ({ ...EMPTY, signIn: d.signIn }));
      clear();
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => topField(path) in FIELDS, errorsByField),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    mutation.mutate({
      username: draft.username,
      displayName: draft.displayName,
      ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
      role: draft.role,
      teams: parseTeams(draft.teams),
      ...(draft.signIn === 'sso' ? { signIn: 'sso' as const } : {}),
    });
  }

  const set = (key: keyof typeof draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.target.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const summary = placeErrors(errors, (path) => FIELDS[path]).summary;

  return (
    <>
      {created ? <CreatedUserLink user={created} sso={sso} /> : null}
      <form className="form-section" noValidate onSubmit={onSubmit} aria-labelledby="create-user-title" style={{ maxWidth: 820 }}>
        <h2 id="create-user-title" className="form-section-title">
          Add a user
        </h2>
        <ErrorSummary message={formError} items={summary} />
        {sso ? (
          <fieldset className="choice-group" aria-describedby={errors.signIn ? 'user-signin-error' : undefined} style={{ marginBottom: 14 }}>
            <legend>Signs in with</legend>
            <div className="choices">
              {(
                [
                  ['password', 'A password', 'They set it through a one-time link.'],
                  ['sso', sso.name, 'Their first sign-in there, with this email verified, becomes this account.'],
                ] as const
              ).map(([value, title, detail]) => (
                <label key={value} className="choice">
                  <input
                    id={`user-signin-${value}`}
                    type="radio"
                    name="user-signin"
                    value={value}
                    checked={draft.signIn === value}
                    onChange={() => setDraft((d) => ({ ...d, signIn: value }))}
                  />
                  <span>
                    <strong>{title}</strong>
                    <small>{detail}</small>
                  </span>
                </label>
              ))}
            </div>
            {errors.signIn ? (
              <p className="field-error" id="user-signin-error">
                Sign-in: {errors.signIn}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="field-row two">
          <Field id="user-username" label="Username" error={errors.username} hint="Lowercase; what they sign in with.">
            {(a) => <input {...a} type="text" autoComplete="off" autoCapitalize="none" spellCheck={false} value={draft.username} onChange={set('username')} />}
          </Field>
          <Field id="user-name" label="Name" error={errors.displayName}>
            {(a) => <input {...a} type="text" autoComplete="off" value={draft.displayName} onChange={set('displayName')} />}
          </Field>
        </div>
        <div className="field-row two">
          <Field id="user-email" label="Email" optional={draft.signIn !== 'sso'} error={errors.email}>
            {(a) => <input {...a} type="email" autoComplete="off" value={draft.email} onChange={set('email')} />}
          </Field>
          <Field id="user-role" label="Role" error={errors.role} hint={ROLE_HINT[draft.role]}>
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
        </div>
        <div className="field-row two">
          <Field id="user-teams" label="Teams" optional error={errors.teams} hint="Comma-separated owner teams of the services an editor may change.">
            {(a) => (
              <>
                <input
                  {...a}
                  type="text"
                  list="user-team-options"
                  autoComplete="off"
                  value={draft.teams}
                  onChange={set('teams')}
                  placeholder="checkout, payments"
                />
                <datalist id="user-team-options">
                  {teams.map((team) => (
                    <option key={team} value={team} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </form>
    </>
  );
}

/** The new user's one-time link to set a password, shown this once. */
export function PasswordLinkBox({ url, expiresAt, title }: { url: string; expiresAt: string; title: React.ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), [url]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card"
      aria-labelledby="password-link-title"
      data-testid="password-link"
      style={{ maxWidth: 820, marginBottom: 16 }}
    >
      <h3 id="password-link-title">{title}</h3>
      <p className="field-hint">
        Send it to them over a channel you trust. It works once, until <LocalTime iso={expiresAt} />; it is not shown again.
      </p>
      <div className="otel-token-box">
        <input
          ref={inputRef}
          type="text"
          readOnly
          aria-label="One-time link"
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="password-link-value"
        />
        <CopyButton text={url} label="Copy the link" fallbackTarget={() => inputRef.current} />
      </div>
    </section>
  );
}

function CreatedUserLink({ user, sso }: { user: CreatedUser; sso: { name: string } | null }) {
  if (user.signIn.ssoInvited) {
    return (
      <div className="callout callout-info" role="status" data-testid="sso-invited" style={{ maxWidth: 820, marginBottom: 16 }}>
        <span>
          <Link href={`/users/${encodeURIComponent(user.username)}`}>{user.username}</Link> added: their first sign-in with {sso?.name ?? 'single sign-on'} as{' '}
          <strong>{user.email}</strong> becomes this account.
        </span>
      </div>
    );
  }
  if (!user.passwordLink) return null;
  return (
    <PasswordLinkBox
      url={user.passwordLink.url}
      expiresAt={user.passwordLink.expiresAt}
      title={
        <>
          <Link href={`/users/${encodeURIComponent(user.username)}`}>{user.username}</Link> added: their link to set a password
        </>
      }
    />
  );
}

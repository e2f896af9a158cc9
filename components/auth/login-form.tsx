'use client';

import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiRequestError, errorMessage } from '@/lib/queries/api';
import { signIn } from '@/lib/queries/auth';
import { Field } from '../form/form-kit';

export interface LoginFormProps {
  next: string;
  passwordLogin: boolean;
  /** The identity provider's button label, when single sign-on is configured. */
  oidc: { name: string } | null;
  /** A failed single sign-on, as the callback reported it. */
  error: string | null;
}

/** Username and password, and/or single sign-on. A wrong password says so without saying which part was wrong. */
export function LoginForm({ next, passwordLogin, oidc, error }: LoginFormProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: () => signIn({ username, password }),
    // A full load, so the new session's cookies are on every request from here on.
    onSuccess: () => window.location.assign(next),
    onError: () => {
      setPassword('');
      requestAnimationFrame(() => passwordRef.current?.focus());
    },
  });
  const failure = mutation.error;
  const message = failure ? (failure instanceof ApiRequestError && failure.status === 429 ? `${failure.message}.` : errorMessage(failure)) : error;

  return (
    <div className="login-card card">
      <h1 id="login-title">Sign in to Umpire</h1>
      {message ? (
        <div className="callout callout-danger" role="alert" id="login-error">
          <span>{message}</span>
        </div>
      ) : null}
      {oidc ? (
        <a className="btn btn-primary login-sso" href={`/auth/oidc/login?next=${encodeURIComponent(next)}`}>
          Sign in with {oidc.name}
        </a>
      ) : null}
      {oidc && passwordLogin ? <p className="login-or muted">or with a username and password</p> : null}
      {passwordLogin ? (
        <form
          className="form"
          aria-labelledby="login-title"
          onSubmit={(event) => {
            event.preventDefault();
            if (username.trim() && password) mutation.mutate();
          }}
        >
          <Field id="login-username" label="Username">
            {(a) => (
              <input
                {...a}
                type="text"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            )}
          </Field>
          <Field id="login-password" label="Password">
            {(a) => (
              <input
                {...a}
                ref={passwordRef}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={mutation.isPending || mutation.isSuccess}>
              {mutation.isPending || mutation.isSuccess ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      ) : null}
      {!passwordLogin && !oidc ? <p>No way to sign in is configured: set UMPIRE_PASSWORD_LOGIN=on or UMPIRE_OIDC_ISSUER.</p> : null}
    </div>
  );
}

'use client';

import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/queries/api';
import { signOut } from '@/lib/queries/auth';
import { useHydrated } from '../use-hydrated';

export interface UserMenuProps {
  /** null: nobody signed in (anonymous read-only mode). */
  user: { username: string; displayName: string; role: string } | null;
}

/** Who is signed in, their account page and sign-out; or a sign-in link for anonymous readers. */
export function UserMenu({ user }: UserMenuProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Until the page is hydrated the button would do nothing: it is disabled until it can sign out.
  const hydrated = useHydrated();
  if (!user) {
    return (
      <Link href="/login" className="btn btn-secondary btn-sm">
        Sign in
      </Link>
    );
  }

  async function onSignOut() {
    setPending(true);
    setError(null);
    try {
      await signOut();
      // A full load: every cached page and query of this session goes with it.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign('/login');
    } catch (e) {
      setError(errorMessage(e));
      setPending(false);
    }
  }

  return (
    <div className="user-menu">
      <Link href="/account" className="user-name" title={`Signed in as ${user.username} (${user.role})`}>
        {user.displayName} <span className="badge badge-muted">{user.role}</span>
      </Link>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void onSignOut()} disabled={pending || !hydrated}>
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <span role="alert" className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { PasswordForm } from '@/components/auth/password-form';
import { authConfig } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Set up Umpire' };

/** The first admin, with the one-time link Umpire printed at its first start (the token is in the #fragment). */
export default async function SetupPage() {
  const { setupRequired } = await authConfig();
  return (
    <div className="login-card card">
      <h1 id="password-title">Create the first admin</h1>
      {setupRequired ? (
        <>
          <p className="muted">This account can add everyone else, with their roles and teams.</p>
          <PasswordForm mode="setup" />
        </>
      ) : (
        <p>
          Umpire is set up already. <Link href="/login">Sign in</Link>, or ask an admin for an account.
        </p>
      )}
    </div>
  );
}

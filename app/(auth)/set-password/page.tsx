import type { Metadata } from 'next';
import { PasswordForm } from '@/components/auth/password-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Set your password' };

/** An invitation or password-reset link (the token is in the #fragment); signs in once the password is set. */
export default function SetPasswordPage() {
  return (
    <div className="login-card card">
      <h1 id="password-title">Set your password</h1>
      <PasswordForm mode="link" />
    </div>
  );
}

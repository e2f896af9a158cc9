import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeReturnTo } from '@/lib/auth/oidc-claims';
import { can } from '@/lib/auth/permissions';
import { pageActor } from '@/lib/http/page-actor';
import { authConfig } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeReturnTo(first(params.next));
  const actor = await pageActor();
  if (actor.kind === 'user') redirect(next);
  const config = await authConfig();
  const error = first(params.error)?.slice(0, 300) ?? null;
  return (
    <>
      {config.setupRequired ? (
        <div className="callout callout-info login-card" role="note">
          <span>
            <strong>Umpire has no users yet.</strong> Create the first admin with the one-time setup link Umpire printed when it started (<code>npm start</code>{' '}
            prints it), or print a new one with <code>npm run setup-link</code>.
          </span>
        </div>
      ) : null}
      <LoginForm next={next} passwordLogin={config.passwordLogin} oidc={config.oidc} error={error} />
      {config.anonymousRead && can(actor, 'read').allowed ? (
        <p className="login-foot">
          <a href={next}>Continue without signing in</a> (read only)
        </p>
      ) : null}
    </>
  );
}

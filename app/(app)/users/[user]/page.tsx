import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AuditTrail } from '@/components/audit/audit-trail';
import { Forbidden } from '@/components/auth/forbidden';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { EditUserForm } from '@/components/users/edit-user-form';
import { NotFoundError } from '@/lib/errors';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { getUser, listTeamNames } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: { params: Promise<{ user: string }> }) {
  const { user: username } = await params;
  const actor = await requireReader();
  const refused = refusal(actor, 'user.update', { user: username });
  if (refused) return <Forbidden reason={refused} back={{ href: '/', label: 'All services' }} />;
  const [user, teams] = await Promise.all([
    getUser({ actor, username }).catch((error: unknown) => {
      if (error instanceof NotFoundError) notFound();
      throw error;
    }),
    listTeamNames(),
  ]);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Users', href: '/users' }, { label: user.username }]} />
      <div className="page-header">
        <div>
          <h1>
            {user.displayName} {user.disabled ? <span className="badge badge-muted">disabled</span> : null}
          </h1>
          <div className="meta-row">
            <code>{user.username}</code>
            <span className="badge badge-muted">{user.role}</span>
            {user.signIn.ssoInvited ? <span className="muted">waiting for a first single sign-on as {user.email}</span> : null}
          </div>
        </div>
      </div>
      <EditUserForm user={user} teams={teams} self={actor.kind === 'user' && actor.id === user.id} />
      <AuditTrail scope={{ user: user.username }} title="History" description="Changes to this account, and its sign-ins." />
    </>
  );
}

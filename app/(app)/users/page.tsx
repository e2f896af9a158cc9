import type { Metadata } from 'next';
import Link from 'next/link';
import { Forbidden } from '@/components/auth/forbidden';
import { LocalTime } from '@/components/local-time';
import { CreateUserForm } from '@/components/users/create-user-form';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { authConfig } from '@/lib/use-cases/access/sessions';
import { listTeamNames, listUsers } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Users' };

/** Admins: who may sign in, with which role and teams. */
export default async function UsersPage() {
  const actor = await requireReader();
  const refused = refusal(actor, 'user.read');
  if (refused) return <Forbidden reason={refused} back={{ href: '/', label: 'All services' }} />;
  const [users, teams, config] = await Promise.all([listUsers({ actor }), listTeamNames(), authConfig()]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="page-lede">Viewers read; editors change their teams’ services; admins change everything. Disabled accounts cannot sign in.</p>
        </div>
      </div>
      <CreateUserForm teams={teams} sso={config.oidc} />
      <div className="table-wrap section">
        <table className="data-table users-table">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Teams</th>
              <th scope="col">Signs in with</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-user={user.username}>
                <th scope="row">
                  <Link href={`/users/${encodeURIComponent(user.username)}`} className="row-title">
                    {user.displayName}
                  </Link>
                  <div className="row-meta">
                    <code>{user.username}</code>
                    {user.disabled ? <span className="badge badge-muted">disabled</span> : null}
                  </div>
                </th>
                <td>{user.role}</td>
                <td>{user.teams.length > 0 ? user.teams.join(', ') : <span className="muted">none</span>}</td>
                <td>
                  {[user.signIn.password ? 'password' : null, user.signIn.oidc ? 'single sign-on' : null].filter(Boolean).join(', ') ||
                    (user.signIn.ssoInvited ? <span className="muted">single sign-on, not yet</span> : <span className="muted">not yet</span>)}
                </td>
                <td>{user.lastLoginAt ? <LocalTime iso={user.lastLoginAt} year /> : <span className="muted">never</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { TokenManager } from '@/components/tokens/token-manager';
import { ROLE_SCOPES } from '@/lib/auth/permissions';
import { requireReader } from '@/lib/http/page-actor';
import { listApiTokens } from '@/lib/use-cases/access/api-tokens';
import { describeActor } from '@/lib/use-cases/access/sessions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Your account' };

const ROLE_TEXT = {
  viewer: 'You can read every dashboard, gate and history.',
  editor: 'You can change the services of your teams: their SLOs, gate policies, overrides, embeds and deploys.',
  admin: 'You can change everything: data sources, users, tokens and the default policy included.',
} as const;

/** Who you are signed in as, what you may do, your password and your personal API tokens. */
export default async function AccountPage() {
  const actor = await requireReader();
  if (actor.kind !== 'user') redirect('/login?next=/account');
  const me = await describeActor(actor);
  const tokens = await listApiTokens({ actor, query: { owner: 'me' } });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{actor.displayName}</h1>
          <div className="meta-row">
            <code>{actor.username}</code>
            <span className="badge badge-muted">{actor.role}</span>
            <span className="meta-item">
              <span className="meta-label">Teams</span> {me.teams === 'all' ? 'all (admin)' : me.teams.length > 0 ? me.teams.join(', ') : 'none'}
            </span>
            <span className="meta-item">
              <span className="meta-label">Signed in with</span> {me.signedInWith === 'oidc' ? 'single sign-on' : 'password'}
            </span>
          </div>
          <p className="page-lede">{ROLE_TEXT[actor.role]} An admin changes roles and teams.</p>
        </div>
      </div>
      {me.signedInWith === 'password' ? <ChangePasswordForm /> : null}
      <TokenManager kind="personal" scopes={[...ROLE_SCOPES[actor.role]]} initialTokens={tokens} asOf={new Date().toISOString()} />
    </>
  );
}

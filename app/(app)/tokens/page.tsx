import type { Metadata } from 'next';
import { Forbidden } from '@/components/auth/forbidden';
import { TokenManager } from '@/components/tokens/token-manager';
import { SCOPES } from '@/lib/auth/permissions';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { listApiTokens } from '@/lib/use-cases/access/api-tokens';
import { listTeamNames } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API tokens' };

/** Admins: service tokens for CI and exporters, and every token anyone holds (to revoke). */
export default async function TokensPage() {
  const actor = await requireReader();
  const refused = refusal(actor, 'token.create', { token: '', tokenKind: 'service', owner: null });
  if (refused) return <Forbidden reason={refused} back={{ href: '/account', label: 'Your own tokens' }} />;
  const [tokens, teams] = await Promise.all([listApiTokens({ actor }), listTeamNames()]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <p className="page-lede">
            Every token, personal or service, with what it may do. A CI pipeline asking the release gate needs a token with the gate scope (limited to its
            team); an OpenTelemetry exporter one with the ingest scope.
          </p>
        </div>
      </div>
      <TokenManager kind="service" scopes={[...SCOPES]} teams={teams} initialTokens={tokens} asOf={new Date().toISOString()} />
    </>
  );
}

import type { Metadata } from 'next';
import { ReceivedMetrics } from '@/components/otel/received-metrics';
import { IngestTokens } from '@/components/tokens/ingest-tokens';
import { can } from '@/lib/auth/permissions';
import { requireReader } from '@/lib/http/page-actor';
import { listApiTokens } from '@/lib/use-cases/access/api-tokens';
import { listOtelMetrics } from '@/lib/use-cases/ingest/list-otel-metrics';
import { listTeamNames } from '@/lib/use-cases/access/users';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Ingest' };

async function load() {
  const actor = await requireReader();
  // Ingest tokens are service tokens: an admin's to make and revoke.
  const admin = can(actor, 'token.create', { token: '', tokenKind: 'service', owner: null }).allowed;
  const asOf = new Date().toISOString();
  const [tokens, metrics, teams] = await Promise.all([
    admin ? listApiTokens({ actor, query: { scope: 'ingest' } }) : Promise.resolve(null),
    listOtelMetrics(),
    admin ? listTeamNames() : Promise.resolve([]),
  ]);
  return { asOf, tokens, metrics, teams };
}

/** OpenTelemetry ingest: the tokens services push with, and the metrics that have arrived. */
export default async function IngestPage() {
  const { asOf, tokens, metrics, teams } = await load();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Ingest</h1>
          <p className="page-lede">
            Services push OpenTelemetry metrics to Umpire at <code>POST /v1/metrics</code> (OTLP over HTTP, protobuf or JSON), each request carrying an ingest
            token. SLOs with the OpenTelemetry source count them as they arrive, from the tokens that may feed them: a token with teams feeds only those teams’
            SLOs, and one pinned to service.name values only from those services.
          </p>
        </div>
      </div>
      {tokens ? (
        <IngestTokens initialTokens={tokens} asOf={asOf} teams={teams} />
      ) : (
        <p className="callout callout-info" role="note">
          <span>Ingest tokens are service tokens: an admin creates one for each service or Collector that pushes metrics.</span>
        </p>
      )}
      <ReceivedMetrics initialMetrics={metrics} />
    </>
  );
}

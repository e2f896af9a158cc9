import type { Metadata } from 'next';
import { ReceivedMetrics } from '@/components/otel/received-metrics';
import { IngestTokens } from '@/components/tokens/ingest-tokens';
import { requireReader } from '@/lib/http/page-actor';
import { listApiTokens } from '@/lib/use-cases/api-tokens';
import { listOtelMetrics } from '@/lib/use-cases/list-otel-metrics';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Ingest' };

async function load() {
  const actor = await requireReader();
  const asOf = new Date().toISOString();
  const [tokens, metrics] = await Promise.all([listApiTokens({ actor, query: { scope: 'ingest' } }), listOtelMetrics()]);
  return { asOf, tokens, metrics };
}

/** OpenTelemetry ingest: the tokens services push with, and the metrics that have arrived. */
export default async function IngestPage() {
  const { asOf, tokens, metrics } = await load();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Ingest</h1>
          <p className="page-lede">
            Services push OpenTelemetry metrics to Umpire at <code>POST /v1/metrics</code> (OTLP over HTTP, protobuf or JSON), each request carrying an
            ingest token. SLOs with the OpenTelemetry source count them as they arrive.
          </p>
        </div>
      </div>
      <IngestTokens initialTokens={tokens} asOf={asOf} />
      <ReceivedMetrics initialMetrics={metrics} />
    </>
  );
}

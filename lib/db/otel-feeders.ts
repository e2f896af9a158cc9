import { db } from './client';
import type { ApiToken as TokenRow, OtelFeeder as FeederRow } from './generated/client';
import type { IngestClient } from './otel-series';

/** The tokens that fed the SLO since `since`, latest first, at most `limit`, each with its token's row. */
export function listRecentFeeders(sloId: string, since: Date, limit: number): Promise<Array<FeederRow & { token: TokenRow }>> {
  return db().otelFeeder.findMany({
    where: { sloId, lastFedAt: { gte: since } },
    include: { token: true },
    orderBy: [{ lastFedAt: 'desc' }, { tokenId: 'asc' }],
    take: limit,
  });
}

/** What one request brought one SLO from one token. */
export interface Feed {
  sloId: string;
  tokenId: string;
  points: number;
}

/** Which tokens fed each SLO: one upsert per request and SLO, in the transaction that adds the increases. */
export async function recordFeeds(client: IngestClient, feeds: Feed[], at: string): Promise<void> {
  if (feeds.length === 0) return;
  await client.query(
    `INSERT INTO otel_feeders AS f (slo_id, token_id, points, first_fed_at, last_fed_at)
     SELECT u.s, u.t, u.p, $4::timestamptz, $4::timestamptz
     FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS u(s, t, p)
     WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = u.s) AND EXISTS (SELECT 1 FROM api_tokens WHERE api_tokens.id = u.t)
     ORDER BY u.s
     ON CONFLICT (slo_id, token_id) DO UPDATE SET points = f.points + EXCLUDED.points, last_fed_at = GREATEST(f.last_fed_at, EXCLUDED.last_fed_at)`,
    [feeds.map((f) => f.sloId), feeds.map((f) => f.tokenId), feeds.map((f) => f.points), at],
  );
}

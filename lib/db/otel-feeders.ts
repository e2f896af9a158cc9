import { db } from './client';
import type { ApiToken as TokenRow, OtelFeeder as FeederRow } from './generated/client';

/** The tokens that fed the SLO since `since`, latest first, at most `limit`, each with its token's row. */
export function listRecentFeeders(sloId: string, since: Date, limit: number): Promise<Array<FeederRow & { token: TokenRow }>> {
  return db().otelFeeder.findMany({
    where: { sloId, lastFedAt: { gte: since } },
    include: { token: true },
    orderBy: [{ lastFedAt: 'desc' }, { tokenId: 'asc' }],
    take: limit,
  });
}

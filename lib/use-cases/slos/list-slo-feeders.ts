import { listRecentFeeders } from '../../db/otel-feeders';
import type { SloFeeders } from '../../schemas/index';
import { findSloRecord } from '../../db/slos';

const DAY_MS = 86_400_000;
/** Tokens that have not fed an SLO for this long are not listed, and forgotten by maintain-otel.ts. */
export const FEEDERS_KEPT_DAYS = 7;
const LISTED = 50;

/**
 * Which ingest tokens fed an OpenTelemetry SLO lately: so its owners can tell which exporters its figures come from.
 * Kept apart from the status, which embeds and badges show to people who should not learn token names; this needs
 * the read permission like any GET. (Points refused for the SLO write nothing; the receiver logs them.)
 */
export async function listSloFeeders({ service, slo, now = new Date() }: { service: string; slo: string; now?: Date }): Promise<SloFeeders> {
  const record = await findSloRecord(service, slo);
  if (record.sli.source !== 'otel') return { feeders: [], days: FEEDERS_KEPT_DAYS };
  const rows = await listRecentFeeders(record.id, new Date(now.getTime() - FEEDERS_KEPT_DAYS * DAY_MS), LISTED);
  return {
    days: FEEDERS_KEPT_DAYS,
    feeders: rows.map((r) => ({
      token: { id: r.token.id, name: r.token.name, kind: r.token.kind === 'personal' ? 'personal' : 'service', revoked: r.token.revokedAt !== null },
      points: Number(r.points),
      firstFedAt: r.firstFedAt.toISOString(),
      lastFedAt: r.lastFedAt.toISOString(),
    })),
  };
}

import { db } from './client';

/** Every SLO reading OTLP metrics, with its SLI unparsed, its service's slug and owner team. */
export async function listOtelSlos(): Promise<Array<{ id: string; sli: unknown; slug: string; service: string; team: string }>> {
  const rows = await db().$queryRaw<Array<{ id: string; sli: unknown; slug: string; service: string; team: string }>>`
    SELECT s.id::text, s.sli, s.slug, v.slug AS service, v.owner_team AS team
    FROM slos s JOIN services v ON v.id = s.service_id WHERE s.sli->>'source' = 'otel'`;
  return rows;
}

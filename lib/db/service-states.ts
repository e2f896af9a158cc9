import { db } from './client';

// Each service's overview figures as the evaluator's last state step left them (service_states), with the
// fingerprint of the definitions they were computed from: the overview reads a thousand of these instead of ten
// thousand SLO statuses (lib/use-cases/services/service-states.ts).

export interface ServiceStateRow {
  serviceId: string;
  /** Fingerprint of the service, SLO and policy definitions the summary was computed from. */
  inputs: string;
  /** lib/schemas/service.ts StoredServiceSummary. */
  summary: unknown;
  updatedAt: Date;
}

/** Writes (or replaces) the summaries of many services in one statement; a service deleted meanwhile is skipped. */
export async function upsertServiceStates(rows: ReadonlyArray<Omit<ServiceStateRow, 'updatedAt'>>): Promise<void> {
  if (rows.length === 0) return;
  const payload = JSON.stringify(rows.map((r) => ({ service_id: r.serviceId, inputs: r.inputs, summary: r.summary })));
  await db().$executeRaw`
    INSERT INTO service_states (service_id, inputs, summary, updated_at)
    SELECT s.service_id, s.inputs, s.summary, now()
    FROM jsonb_to_recordset(${payload}::jsonb) AS s(service_id uuid, inputs text, summary jsonb)
    WHERE EXISTS (SELECT 1 FROM services WHERE services.id = s.service_id)
    ON CONFLICT (service_id) DO UPDATE SET inputs = EXCLUDED.inputs, summary = EXCLUDED.summary, updated_at = EXCLUDED.updated_at`;
}

/** The stored summaries of the given services, by service id; one query, however many. */
export async function findServiceStates(serviceIds: readonly string[]): Promise<Map<string, ServiceStateRow>> {
  if (serviceIds.length === 0) return new Map();
  const rows = await db().$queryRaw<Array<{ service_id: string; inputs: string; summary: unknown; updated_at: Date }>>`
    SELECT service_id::text AS service_id, inputs, summary, updated_at
    FROM service_states WHERE service_id = ANY(${[...serviceIds]}::uuid[])`;
  return new Map(rows.map((r) => [r.service_id, { serviceId: r.service_id, inputs: r.inputs, summary: r.summary, updatedAt: r.updated_at }]));
}

/**
 * Each service's SLOs as `id@updated_at-in-ms`, by id, comma-separated: what a summary's fingerprint is made of,
 * one row per service without the SLOs' JSON. A service without SLOs has an empty string.
 */
export async function sloStamps(serviceIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>(serviceIds.map((id) => [id, '']));
  if (serviceIds.length === 0) return out;
  const rows = await db().$queryRaw<Array<{ service_id: string; stamps: string }>>`
    SELECT service_id::text AS service_id,
           string_agg(id::text || '@' || (extract(epoch FROM updated_at) * 1000)::bigint, ',' ORDER BY id) AS stamps
    FROM slos WHERE service_id = ANY(${[...serviceIds]}::uuid[])
    GROUP BY service_id`;
  for (const r of rows) out.set(r.service_id, r.stamps);
  return out;
}

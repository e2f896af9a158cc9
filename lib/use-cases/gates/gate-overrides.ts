import { actorName, authorize, type Actor } from '../../auth/authorize';
import type { GateOverride as GateOverrideRow } from '../../db/generated/client';
import { insertGateOverride, listOverridesOfService } from '../../db/gate-overrides';
import { log } from '../../log';
import type { GateOverrideInput, GateOverrideView } from '../../schemas/index';
import { audited } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';

const HOUR_MS = 3_600_000;

export function toOverride(row: GateOverrideRow, service: string): GateOverrideView {
  return {
    id: row.id,
    service,
    version: row.version,
    environment: row.environment,
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** Lets one version through a failing gate, for a while, with the reason on record and who let it through. */
export async function createGateOverride({
  actor,
  service,
  input,
  now = new Date(),
}: {
  actor: Actor;
  service: string;
  input: GateOverrideInput;
  now?: Date;
}): Promise<GateOverrideView> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'gate.override', serviceScope(row));
  const override = await audited(actor, async (tx) => {
    const saved = await insertGateOverride(tx, {
      serviceId: row.id,
      version: input.version,
      environment: input.environment ?? null,
      reason: input.reason,
      createdBy: actorName(actor),
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInHours * HOUR_MS),
    });
    const view = toOverride(saved, row.slug);
    return {
      result: view,
      audit: {
        action: 'override.create',
        target: { type: 'override', id: saved.id, name: `${row.slug}@${saved.version}`, serviceId: row.id },
        before: null,
        after: view,
      },
    };
  });
  log.info('gate.override_created', {
    service,
    version: input.version,
    environment: input.environment ?? null,
    expiresInHours: input.expiresInHours,
    by: override.createdBy,
  });
  return override;
}

export async function listGateOverrides({ service }: { service: string }): Promise<GateOverrideView[]> {
  const row = await findServiceBySlug(service);
  const rows = await listOverridesOfService(row.id);
  return rows.map((r) => toOverride(r, row.slug));
}

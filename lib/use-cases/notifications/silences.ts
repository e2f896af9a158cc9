import { actorName, authorize, type Actor } from '../../auth/authorize';
import { principalOf } from '../../auth/permissions';
import { endSilenceRow, findSilenceRow, insertSilence, listSilenceRows, type SilenceWithNames } from '../../db/silences';
import { findServiceBySlug } from '../../db/services';
import { sloIdBySlug } from '../../db/slos';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors';
import { log } from '../../log';
import type { Silence, SilenceInput } from '../../schemas/index';
import { audited } from '../audit/audit';

export function toSilence(row: SilenceWithNames, now = new Date()): Silence {
  return {
    id: row.id,
    scope: row.scope as Silence['scope'],
    team: row.team,
    service: row.serviceSlug,
    slo: row.sloSlug,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    createdBy: row.createdBy,
    active: row.startsAt <= now && now < row.endsAt,
  };
}

function silenceTarget(row: Pick<SilenceWithNames, 'id' | 'scope' | 'team' | 'serviceSlug' | 'sloSlug' | 'serviceId'>) {
  const name =
    row.scope === 'team' ? `team ${row.team}` : row.scope === 'service' ? `${row.serviceSlug ?? '?'}` : `${row.serviceSlug ?? '?'}/${row.sloSlug ?? '?'}`;
  return { type: 'silence' as const, id: row.id, name, serviceId: row.serviceId };
}

/** Active silences (the default), past ones, or all. */
export async function listSilences({ active = 'true', now = new Date() }: { active?: 'true' | 'false' | 'all'; now?: Date } = {}): Promise<Silence[]> {
  const state = active === 'true' ? 'active' : active === 'false' ? 'past' : 'all';
  return (await listSilenceRows({ state, at: now })).map((row) => toSilence(row, now));
}

/**
 * Holds a team's, a service's or an SLO's notifications until `endsAt`: an editor of the team (for a service or an
 * SLO, of the service's owner team) may, and says why; the reason goes into the audit trail.
 */
export async function createSilence({ actor, input }: { actor: Actor; input: SilenceInput }): Promise<Silence> {
  // Someone who may silence nothing at all is refused before learning whether the service or SLO exists.
  if (!principalOf(actor).scopes.has('write')) await authorize(actor, 'silence.create', { team: input.team ?? '' });
  let team: string;
  let serviceId: string | null = null;
  let sloId: string | null = null;
  if (input.scope === 'team') {
    team = input.team!;
    await authorize(actor, 'silence.create', { team });
  } else {
    const service = await findServiceBySlug(input.service!).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new UnprocessableError(`Service "${input.service}" does not exist`, { service: 'does not exist' });
      throw error;
    });
    team = service.ownerTeam;
    await authorize(actor, 'silence.create', { service: service.slug, team, ...(input.slo ? { slo: input.slo } : {}) });
    if (input.team !== undefined && input.team !== team) {
      throw new UnprocessableError(`Service "${service.slug}" belongs to team "${team}", not "${input.team}"`, { team: `must be the service's team, ${team}` });
    }
    serviceId = service.id;
    if (input.scope === 'slo') {
      sloId = await sloIdBySlug(service.id, input.slo!);
      if (!sloId) throw new UnprocessableError(`Service "${service.slug}" has no SLO "${input.slo}"`, { slo: 'does not exist' });
    }
  }
  const now = new Date();
  const silence = await audited(actor, async (tx) => {
    const row = await insertSilence(tx, {
      scope: input.scope,
      team,
      serviceId,
      sloId,
      startsAt: input.startsAt ? new Date(input.startsAt) : now,
      endsAt: new Date(input.endsAt),
      reason: input.reason,
      createdBy: actorName(actor),
    });
    const named: SilenceWithNames = { ...row, serviceSlug: input.scope === 'team' ? null : input.service!, sloSlug: input.scope === 'slo' ? input.slo! : null };
    const created = toSilence(named, now);
    return {
      result: created,
      audit: { action: 'silence.create', target: silenceTarget(named), before: null, after: created, details: { reason: input.reason } },
    };
  });
  log.info('silence.created', { silence: silence.id, scope: silence.scope, team, until: silence.endsAt, by: actorName(actor) });
  return silence;
}

/** Ends a silence now (DELETE): its history stays in the list of past silences. */
export async function endSilence({ actor, id }: { actor: Actor; id: string }): Promise<Silence> {
  const row = await findSilenceRow(id);
  if (!row) throw new NotFoundError(`Silence "${id}" does not exist`);
  await authorize(actor, 'silence.end', row.serviceSlug ? { service: row.serviceSlug, team: row.team } : { team: row.team });
  const now = new Date();
  if (row.endsAt <= now) throw new ConflictError(`The silence already ended at ${row.endsAt.toISOString()}`);
  const ended = await audited(actor, async (tx) => {
    const updated = await endSilenceRow(tx, row.id, { startsAt: row.startsAt < now ? row.startsAt : now, endsAt: now });
    const after = toSilence({ ...updated, serviceSlug: row.serviceSlug, sloSlug: row.sloSlug }, now);
    return { result: after, audit: { action: 'silence.end', target: silenceTarget(row), before: toSilence(row, now), after, details: { reason: row.reason } } };
  });
  log.info('silence.ended', { silence: id, by: actorName(actor) });
  return ended;
}

import { listEvents, type EventWithSlo } from '../../db/alert-events';
import { silencesActiveAt, type RoutingSilence } from '../../db/notifications';
import { serviceIdBySlug } from '../../db/services';
import { sloIdBySlug } from '../../db/slos';
import { NotFoundError } from '../../errors';
import { silenceCovers } from '../../notify/routing';
import { AlertKind, AlertState, Severity, type AlertEvent, type AlertQuery } from '../../schemas/index';

const STATES: Record<AlertQuery['state'], readonly string[] | undefined> = {
  firing: ['firing'],
  pending: ['pending'],
  resolved: ['resolved'],
  open: ['pending', 'firing'],
  all: undefined,
};

function toAlertEvent(row: EventWithSlo, silences: readonly RoutingSilence[], now: Date): AlertEvent {
  const subject = { team: row.slo.service.ownerTeam, service: row.slo.service.slug, slo: row.slo.slug };
  return {
    id: row.id,
    service: subject.service,
    slo: subject.slo,
    sloName: row.slo.name,
    team: subject.team,
    kind: AlertKind.parse(row.kind),
    severity: Severity.parse(row.severity),
    alertKey: row.alertKey,
    state: AlertState.parse(row.state),
    pendingSince: row.pendingSince?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    lastFiringAt: row.lastFiringAt?.toISOString() ?? null,
    peakBurnRate: row.peakBurnRate,
    budgetAtStart: row.budgetAtStart,
    budgetSpent: row.budgetSpent,
    details: (row.details ?? {}) as Record<string, unknown>,
    silenced: row.state !== 'resolved' && silences.some((s) => silenceCovers(s, subject, now)),
  };
}

/** Alert events across services (GET /api/v1/alerts): open ones by default, newest first. */
export async function listAlerts(query: AlertQuery, now = new Date()): Promise<AlertEvent[]> {
  const serviceId = query.service ? await serviceIdBySlug(query.service) : undefined;
  if (query.service && !serviceId) throw new NotFoundError(`service "${query.service}" does not exist`);
  const [rows, silences] = await Promise.all([
    listEvents({ states: STATES[query.state], serviceId: serviceId ?? undefined, team: query.team, limit: query.limit }),
    silencesActiveAt(now),
  ]);
  return rows.map((row) => toAlertEvent(row, silences, now));
}

/** One SLO's alert events, newest first: its alert timeline. */
export async function listSloAlerts({ service, slo, limit = 200 }: { service: string; slo: string; limit?: number }, now = new Date()): Promise<AlertEvent[]> {
  const serviceId = await serviceIdBySlug(service);
  if (!serviceId) throw new NotFoundError(`service "${service}" does not exist`);
  const sloId = await sloIdBySlug(serviceId, slo);
  if (!sloId) throw new NotFoundError(`SLO "${slo}" does not exist in service "${service}"`);
  const [rows, silences] = await Promise.all([listEvents({ sloId, limit }), silencesActiveAt(now)]);
  return rows.map((row) => toAlertEvent(row, silences, now));
}

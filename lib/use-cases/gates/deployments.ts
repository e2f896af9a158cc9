import { actorName, authorize, type Actor } from '../../auth/authorize';
import { findDeploymentById, insertDeployment, listDeploymentsOfService } from '../../db/deployments';
import type { Deployment as DeploymentRow, Service as ServiceRow } from '../../db/generated/client';
import { NotFoundError } from '../../errors';
import { log } from '../../log';
import { LEDGER_WINDOW, type DeployImpact, type Deployment, type DeploymentInput } from '../../schemas/index';
import { budgetBurned, burnRateOf, deployMessage, deployVerdict, durationToMinutes, readAsOf, sloWindowRange, type Counts } from '../../slo/index';
import { sliceSums, sumSpans } from '../../db/buckets';
import { freshUntilOfSlos } from '../../db/slo-evaluations';
import { listSlosOfService } from '../../db/slos';
import { audited } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';
import { toSloRecord, type SloRecord } from '../../db/slos';
import { kindOf } from '../../sources/registry';

const MINUTE_MS = 60_000;

/** Good and total over [from, to) in the SLO's budgeting unit, as the status counts them: events, or slices. */
async function countsBetween(slo: SloRecord, from: Date, to: Date): Promise<Counts> {
  if (slo.budgeting.method === 'timeslices') return (await sliceSums(slo.id, slo.budgeting, [{ key: 'span', from }], to)).get('span') ?? { good: 0, total: 0 };
  const sums = (await sumSpans(slo.id, [{ key: 'span', from, to }])).get('span');
  return { good: sums?.good ?? 0, total: sums?.total ?? 0 };
}

/**
 * The per-deploy ledger: for each SLO, the budget burned in the window after the deploy started against the same
 * length before it, as fractions of the SLO period's budget (burn rate x window / period).
 */
async function impactOf(deploy: DeploymentRow, slos: SloRecord[], now: Date): Promise<DeployImpact[]> {
  const windowMinutes = durationToMinutes(LEDGER_WINDOW);
  const start = deploy.startedAt;
  const afterEnd = new Date(start.getTime() + windowMinutes * MINUTE_MS);
  const beforeStart = new Date(start.getTime() - windowMinutes * MINUTE_MS);
  const freshUntil = await freshUntilOfSlos(slos.map((s) => s.id));
  return Promise.all(
    slos.map(async (slo) => {
      // Minutes read only, as the SLO status reads them: the hour after is over once its last minute has been read.
      const { asOf } = readAsOf({ pushed: kindOf(slo.sli).pushed, freshUntil: freshUntil.get(slo.id) ?? null, now });
      const ended = asOf >= afterEnd;
      const soFar = new Date(Math.max(start.getTime(), Math.min(asOf.getTime(), afterEnd.getTime())));
      const [after, before] = await Promise.all([countsBetween(slo, start, soFar), countsBetween(slo, beforeStart, start)]);
      const period = sloWindowRange(slo.window, start).periodMinutes;
      // Until the hour is over, what it has burned so far: the burn rate over the minutes elapsed, for those minutes.
      const afterMinutes = ended ? windowMinutes : (soFar.getTime() - start.getTime()) / MINUTE_MS;
      const burnedAfter = budgetBurned(burnRateOf(after, slo.objective), afterMinutes, period);
      const burnedBefore = budgetBurned(burnRateOf(before, slo.objective), windowMinutes, period);
      return {
        slo: slo.slug,
        name: slo.name,
        burnedAfter,
        burnedBefore,
        verdict: deployVerdict(burnedAfter, burnedBefore, ended),
        message: deployMessage(deploy.version, LEDGER_WINDOW, burnedAfter, burnedBefore, ended),
      };
    }),
  );
}

async function toDeployment(row: DeploymentRow, service: ServiceRow, slos: SloRecord[], now: Date): Promise<Deployment> {
  return {
    id: row.id,
    service: service.slug,
    version: row.version,
    environment: row.environment,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    commit: row.commit,
    url: row.url,
    createdAt: row.createdAt.toISOString(),
    windowMinutes: durationToMinutes(LEDGER_WINDOW),
    impact: await impactOf(row, slos, now),
  };
}

async function sloRecords(service: ServiceRow): Promise<SloRecord[]> {
  const rows = await listSlosOfService(service.id);
  return rows.map((r) => toSloRecord(r, service.slug));
}

export async function recordDeployment({ actor, input, now = new Date() }: { actor: Actor; input: DeploymentInput; now?: Date }): Promise<Deployment> {
  const service = await findServiceBySlug(input.service);
  await authorize(actor, 'deployment.create', serviceScope(service));
  const row = await audited(actor, async (tx) => {
    const created = await insertDeployment(tx, {
      serviceId: service.id,
      version: input.version,
      environment: input.environment,
      startedAt: input.startedAt ? new Date(input.startedAt) : now,
      finishedAt: input.finishedAt ? new Date(input.finishedAt) : null,
      commit: input.commit ?? null,
      url: input.url ?? null,
    });
    const recorded = {
      version: created.version,
      environment: created.environment,
      startedAt: created.startedAt.toISOString(),
      finishedAt: created.finishedAt?.toISOString() ?? null,
      commit: created.commit,
      url: created.url,
    };
    return {
      result: created,
      audit: {
        action: 'deployment.create',
        target: { type: 'deployment', id: created.id, name: `${service.slug}@${created.version}`, serviceId: service.id },
        before: null,
        after: recorded,
      },
    };
  });
  log.info('deployment.recorded', { service: service.slug, version: row.version, environment: row.environment, deployment: row.id, by: actorName(actor) });
  return toDeployment(row, service, await sloRecords(service), now);
}

export async function getDeployment({ id, now = new Date() }: { id: string; now?: Date }): Promise<Deployment> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await findDeploymentById(id) : null;
  if (!row) throw new NotFoundError(`Deployment ${id} does not exist`);
  return toDeployment(row, row.service, await sloRecords(row.service), now);
}

/** The service's deploys that started in [from, to), newest first, each with its ledger. */
export async function listDeployments({ service, from, to, now = new Date() }: { service: string; from?: Date; to?: Date; now?: Date }): Promise<Deployment[]> {
  const row = await findServiceBySlug(service);
  const rows = await listDeploymentsOfService(row.id, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
  const slos = await sloRecords(row);
  return Promise.all(rows.map((r) => toDeployment(r, row, slos, now)));
}

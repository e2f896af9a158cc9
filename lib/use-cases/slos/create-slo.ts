import { actorName, authorize, type Actor } from '../../auth/authorize';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { Slo, SloInput } from '../../schemas/index';
import { audited } from '../audit/audit';
import { assertSloFits } from '../access/quotas';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';
import { sloColumnsOf, sloTarget, toSlo } from './slo-view';
import { insertSlo, toSloRecord } from '../../db/slos';
import { requestEvaluation } from '../evaluation/requests';
import { invalidateOtelSloIndex } from '../ingest/otel-slo-index';
import { kindOf } from '../../sources/registry';
import { validateSli } from './validate-sli';

export async function createSlo({ actor, service, input }: { actor: Actor; service: string; input: SloInput }): Promise<Slo> {
  const serviceRow = await findServiceBySlug(service);
  await authorize(actor, 'slo.create', serviceScope(serviceRow, input.slug));
  await validateSli(input.sli);
  let row;
  try {
    row = await audited(actor, async (tx) => {
      await assertSloFits(tx, actor, serviceRow);
      const created = await insertSlo(tx, { serviceId: serviceRow.id, ...sloColumnsOf(input), alertPolicy: input.alertPolicy ?? undefined });
      return {
        result: created,
        audit: { action: 'slo.create', target: sloTarget(serviceRow, created), before: null, after: toSlo(toSloRecord(created, serviceRow.slug)) },
      };
    });
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') {
      throw new ConflictError(`Service "${service}" already has an SLO with slug "${input.slug}"`, { slug: 'is already taken' });
    }
    throw error;
  }
  const record = toSloRecord(row, serviceRow.slug);
  log.info('slo.created', { service, slo: record.slug, source: record.sli.source, by: actorName(actor) });
  // History is filled by the evaluator in the background, newest day first, shown as backfill progress: a
  // backend's 7 days a pass, the demo's 90 (computed here, about 4 s of work that a request must not wait for).
  const kind = kindOf(record.sli);
  kind.onSloChanged?.({ invalidateOtelSloIndex }); // otel: counted from the next OTLP request on
  if (!kind.pushed) requestEvaluation(record.id);
  return toSlo(record);
}

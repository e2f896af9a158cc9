import { afterAll, expect, test } from 'vitest';
import { systemActor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { deleteService } from '@/lib/use-cases/services/delete-service';
import { evaluationLag } from '@/lib/use-cases/evaluation/evaluation-lag';
import { makeService, makeSlo } from '@/test/factories';

const SYSTEM = systemActor('test');

const created: string[] = [];
afterAll(async () => {
  for (const service of created) await deleteService({ actor: SYSTEM, service });
});

/** An SLO of its own whose evaluation is fresh until `freshUntil`; `otel` makes its SLI OpenTelemetry-sourced. */
async function sloFreshUntil(freshUntil: Date, otel = false): Promise<void> {
  const service = await makeService();
  created.push(service.slug);
  const slo = await makeSlo(service.slug);
  const [{ id } = { id: '' }] = await db().$queryRaw<Array<{ id: string }>>`
    SELECT s.id::text AS id FROM slos s JOIN services v ON v.id = s.service_id WHERE v.slug = ${service.slug} AND s.slug = ${slo.slug}`;
  await db().$executeRaw`
    INSERT INTO slo_evaluations (slo_id, fresh_until, updated_at) VALUES (${id}::uuid, ${freshUntil}, now())
    ON CONFLICT (slo_id) DO UPDATE SET fresh_until = EXCLUDED.fresh_until`;
  // Rows only: the lag query reads sli->>'source', whatever the rest of an OpenTelemetry SLI looks like.
  if (otel) await db().$executeRaw`UPDATE slos SET sli = jsonb_set(sli, '{source}', '"otel"') WHERE id = ${id}::uuid`;
}

test('the lag is measured from the least fresh SLO the evaluator reads, leaving OpenTelemetry SLOs out', async () => {
  const now = new Date('2030-01-01T00:00:00Z');
  await sloFreshUntil(new Date('2029-12-31T23:00:00Z'));
  await sloFreshUntil(new Date('2000-01-01T00:00:00Z'));
  await sloFreshUntil(new Date('1990-01-01T00:00:00Z'), true);
  expect(await evaluationLag(now)).toBe((now.getTime() - Date.parse('2000-01-01T00:00:00Z')) / 1000);
});

import { describe, expect, test } from 'vitest';
import * as collection from '../../app/api/v1/services/[service]/slos/route';
import * as item from '../../app/api/v1/services/[service]/slos/[slo]/route';
import * as statusRoute from '../../app/api/v1/services/[service]/slos/[slo]/status/route';
import * as seriesRoute from '../../app/api/v1/services/[service]/slos/[slo]/series/route';
import * as catchAll from '../../app/api/v1/[...path]/route';
import { db } from '../../lib/db/client';
import { evaluationRequests } from '../../lib/use-cases/evaluation/requests';
import { Slo, SloSeries, SloStatus } from '../../lib/schemas';
import { evaluateAll } from '../../lib/use-cases/evaluation/evaluate-all';
import { callRoute, fillHistory, makeService, makeSlo, sloInput } from '../factories';
import { captureOutput } from '../security/support';

/** The SLO ids the use-cases ask the evaluator for while `fn` runs (the server's evaluator listens the same way). */
async function evaluationsAsked<T>(fn: () => Promise<T>): Promise<{ result: T; asked: string[] }> {
  const asked: string[] = [];
  const listener = (event: Event) => asked.push((event as CustomEvent<string>).detail);
  evaluationRequests.addEventListener('request', listener);
  try {
    return { result: await fn(), asked };
  } finally {
    evaluationRequests.removeEventListener('request', listener);
  }
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

describe('/api/v1/services/{service}/slos', () => {
  test('creates an SLO with defaults: 30-day rolling window, occurrences, the four default tiers', async () => {
    const service = await makeService();
    const input = { slug: 'availability', name: 'Availability', objective: 0.999, sli: { source: 'demo', profile: 'availability' } };
    const started = performance.now();
    const { result: response, asked } = await evaluationsAsked(() =>
      callRoute(collection.POST, { method: 'POST', params: { service: service.slug }, body: input }),
    );
    const createdMs = performance.now() - started;
    expect(response.status).toBe(201);
    const slo = Slo.parse(await json(response));
    expect(slo.window).toEqual({ kind: 'rolling', days: 30 });
    expect(slo.budgeting).toEqual({ method: 'occurrences' });
    expect(slo.alertPolicy.isDefault).toBe(true);
    expect(slo.alertPolicy.tiers.map((t) => [t.severity, t.longWindow, t.shortWindow, t.burnRate])).toEqual([
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '1d', '2h', 3],
      ['ticket', '3d', '6h', 1],
    ]);
    // The answer does not wait for the demo's history (90 days of minutes, seconds of work): the evaluator fills it
    // in the background, asked for at once, newest day first, and the status shows how far it has come.
    const record = await db().slo.findFirst({ where: { slug: 'availability', service: { slug: service.slug } } });
    expect(await db().sliBucket.count({ where: { sloId: record!.id } })).toBe(0);
    expect(asked).toEqual([record!.id]);
    const params = { service: service.slug, slo: 'availability' };
    const pending = SloStatus.parse(await json(await callRoute(statusRoute.GET, { params })));
    expect(pending.dataState).toBe('no_data');
    const evaluated = performance.now();
    const run = await evaluateAll({ sloIds: asked });
    const evaluatedMs = performance.now() - evaluated;
    expect(run).toMatchObject({ evaluated: 1, failed: [] });
    expect(await db().sliBucket.count({ where: { sloId: record!.id } })).toBe(90 * 1440);
    const filled = SloStatus.parse(await json(await callRoute(statusRoute.GET, { params })));
    expect(filled.dataState).toBe('ok');
    expect(filled.evaluation.backfill?.progress).toBe(1);
    console.log(`demo SLO: created in ${(createdMs / 1000).toFixed(2)} s; its 90 days filled by one evaluator pass in ${(evaluatedMs / 1000).toFixed(2)} s`);

    const list = (await json(await callRoute(collection.GET, { params: { service: service.slug } }))) as { slos: unknown[] };
    expect(list.slos).toHaveLength(1);
  });

  test('four demo SLOs created at once all answer at once; one evaluator pass fills them, newest day first', { timeout: 120_000 }, async () => {
    const service = await makeService();
    const started = performance.now();
    const { result: responses, asked } = await evaluationsAsked(() =>
      Promise.all([0, 1, 2, 3].map(() => callRoute(collection.POST, { method: 'POST', params: { service: service.slug }, body: sloInput() }))),
    );
    const createdMs = performance.now() - started;
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(asked).toHaveLength(4);
    const counts = () => Promise.all(asked.map((sloId) => db().sliBucket.count({ where: { sloId } })));
    expect(await counts()).toEqual([0, 0, 0, 0]);

    // A pass that has run out of time still gives each its newest 7 days (as a backend's SLO gets per pass)...
    const { evaluateSlo, BACKFILL_DAYS_PER_PASS } = await import('../../lib/use-cases/evaluation/evaluate-slo');
    const { findSloRecord } = await import('../../lib/db/slos');
    const slugs = (await Promise.all(responses.map((r) => json(r)))).map((b) => String(b.slug));
    const late = await evaluateSlo(await findSloRecord(service.slug, slugs[0]!), { backfillBy: Date.now() - 1 });
    expect(late).toMatchObject({ status: 'ok', complete: false, written: BACKFILL_DAYS_PER_PASS * 1440 });
    // ...and one pass in time fills all of them whole.
    const evaluated = performance.now();
    const run = await evaluateAll({ sloIds: asked });
    const evaluatedMs = performance.now() - evaluated;
    expect(run).toMatchObject({ evaluated: 4, failed: [] });
    expect(await counts()).toEqual([1, 2, 3, 4].map(() => 90 * 1440));
    console.log(
      `4 demo SLOs at once: created in ${(createdMs / 1000).toFixed(2)} s; their history filled by one evaluator pass in ${(evaluatedMs / 1000).toFixed(2)} s`,
    );
  });

  test('scales the default tiers to a 28-day period', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, { window: { kind: 'rolling', days: 28 } });
    // The 3d tier's 0.9333 is floored to 1 (docs/slo-math.md).
    expect(slo.alertPolicy.tiers.map((t) => t.burnRate)).toEqual([13.44, 5.6, 2.8, 1]);
  });

  test.each([
    ['objective 1', { objective: 1 }, 'objective', 'no error budget'],
    ['objective 99.9 (a percentage)', { objective: 99.9 }, 'objective', 'below 1'],
    ['a 91-day window', { window: { kind: 'rolling', days: 91 } }, 'window.days', '1 to 90'],
    ['an unknown time zone', { window: { kind: 'calendar', unit: 'month', timeZone: 'Mars/Olympus' } }, 'window.timeZone', 'IANA'],
    ['an unknown source', { sli: { source: 'graphite' } }, 'sli.source', ''],
    [
      'a short window longer than the long one',
      { alertPolicy: { tiers: [{ severity: 'page', longWindow: '5m', shortWindow: '1h', burnRate: 14.4 }] } },
      'alertPolicy.tiers.0.shortWindow',
      'shorter',
    ],
    [
      'a bad duration',
      { alertPolicy: { tiers: [{ severity: 'page', longWindow: '1 hour', shortWindow: '5m', burnRate: 14.4 }] } },
      'alertPolicy.tiers.0.longWindow',
      'minutes, hours or days',
    ],
    ['a timeslice threshold above 1', { budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 1.5 } }, 'budgeting.threshold', 'at most 1'],
  ])('refuses %s with 400 on the field', async (_label, change, field, message) => {
    const service = await makeService();
    const response = await callRoute(collection.POST, { method: 'POST', params: { service: service.slug }, body: { ...sloInput(), ...change } });
    expect(response.status).toBe(400);
    const body = (await json(response)) as ErrorBody;
    expect(Object.keys(body.error.fields ?? {})).toContain(field);
    expect(body.error.fields![field]).toContain(message);
    expect(await db().slo.count({ where: { service: { slug: service.slug } } })).toBe(0);
  });

  test('a duplicate SLO slug within a service is a 409; the same slug in another service is fine', async () => {
    const a = await makeService();
    const b = await makeService();
    const input = sloInput({ slug: 'latency' });
    expect((await callRoute(collection.POST, { method: 'POST', params: { service: a.slug }, body: input })).status).toBe(201);
    const duplicate = await callRoute(collection.POST, { method: 'POST', params: { service: a.slug }, body: input });
    expect(duplicate.status).toBe(409);
    expect(((await json(duplicate)) as ErrorBody).error.fields).toEqual({ slug: 'is already taken' });
    expect((await callRoute(collection.POST, { method: 'POST', params: { service: b.slug }, body: input })).status).toBe(201);
  });

  test('creating an SLO in a service that does not exist is a 404', async () => {
    const response = await callRoute(collection.POST, { method: 'POST', params: { service: 'nope' }, body: sloInput() });
    expect(response.status).toBe(404);
  });
});

describe('/api/v1/services/{service}/slos/{slo}', () => {
  test('patches an SLO: custom tiers replace the default, null restores it; a new SLI rewrites the history', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, { sli: { source: 'demo', profile: 'availability', seed: 'one' } }, { history: true });
    const params = { service: service.slug, slo: slo.slug };
    const tiers = [{ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 10 }];
    const custom = Slo.parse(await json(await callRoute(item.PATCH, { method: 'PATCH', params, body: { alertPolicy: { tiers } } })));
    expect(custom.alertPolicy).toEqual({ isDefault: false, tiers, budgetLow: { share: 0.25, isDefault: true }, absent: { minutes: 15, isDefault: true } });
    // The budget-low share and absent delay alone: the default tiers stay.
    const settings = Slo.parse(
      await json(await callRoute(item.PATCH, { method: 'PATCH', params, body: { alertPolicy: { budgetLowShare: null, absentMinutes: 30 } } })),
    );
    expect(settings.alertPolicy).toMatchObject({ isDefault: true, budgetLow: { share: null, isDefault: false }, absent: { minutes: 30, isDefault: false } });
    expect(settings.alertPolicy.tiers).toHaveLength(4);
    const refused = await callRoute(item.PATCH, { method: 'PATCH', params, body: { alertPolicy: { budgetLowShare: 1.5, absentMinutes: 0 } } });
    expect(refused.status).toBe(400);
    expect(Object.keys(((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual([
      'alertPolicy.absentMinutes',
      'alertPolicy.budgetLowShare',
    ]);
    const reset = Slo.parse(await json(await callRoute(item.PATCH, { method: 'PATCH', params, body: { alertPolicy: null } })));
    expect(reset.alertPolicy.isDefault).toBe(true);
    expect(reset.alertPolicy.tiers).toHaveLength(4);
    expect(reset.alertPolicy.budgetLow).toEqual({ share: 0.25, isDefault: true });

    const before = (await json(await callRoute(statusRoute.GET, { params }))) as { good: number; total: number };
    const { result: changed, asked } = await evaluationsAsked(() =>
      callRoute(item.PATCH, {
        method: 'PATCH',
        params,
        body: { sli: { source: 'demo', profile: 'availability', seed: 'two', eventsPerMinute: 50 } },
      }),
    );
    expect(changed.status).toBe(200);
    // The old history is gone at once; the new one is filled in the background, as at creation.
    expect(asked).toHaveLength(1);
    expect(((await json(await callRoute(statusRoute.GET, { params }))) as { total: number }).total).toBe(0);
    await fillHistory(service.slug, slo.slug);
    const after = (await json(await callRoute(statusRoute.GET, { params }))) as { good: number; total: number };
    expect(after.total).toBeGreaterThan(0);
    expect(after.total).toBeLessThan(before.total / 5);
  });

  test('an SLO deleted while the evaluator fills its history ends that pass quietly, not as an error', async () => {
    const service = await makeService();
    const created = await callRoute(collection.POST, { method: 'POST', params: { service: service.slug }, body: sloInput() });
    const slug = String((await json(created)).slug);
    const { findSloRecord } = await import('../../lib/db/slos');
    const { evaluateSlo } = await import('../../lib/use-cases/evaluation/evaluate-slo');
    const record = await findSloRecord(service.slug, slug);
    const output = captureOutput();
    let outcome;
    try {
      const filling = evaluateSlo(record, { backfillDays: 90 });
      // Its first days are in: the history is on its way when the SLO is deleted.
      while ((await db().sliBucket.count({ where: { sloId: record.id } })) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await callRoute(item.DELETE, { method: 'DELETE', params: { service: service.slug, slo: slug } })).status).toBe(204);
      outcome = await filling;
    } finally {
      output.stop();
    }
    expect(outcome).toEqual({ status: 'skipped', reason: 'gone' });
    expect(output.text()).not.toMatch(/"level":"error"/);
    expect(await db().sliBucket.count({ where: { sloId: record.id } })).toBe(0);
  });

  test('deletes an SLO and its buckets; then it is a 404', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, {}, { history: true });
    const params = { service: service.slug, slo: slo.slug };
    const row = await db().slo.findFirst({ where: { slug: slo.slug, service: { slug: service.slug } } });
    expect((await callRoute(item.DELETE, { method: 'DELETE', params })).status).toBe(204);
    expect((await callRoute(item.GET, { params })).status).toBe(404);
    expect(await db().sliBucket.count({ where: { sloId: row!.id } })).toBe(0);
  });
});

describe('status and series endpoints', () => {
  test('status has every field of the contract and labels its source', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, {}, { history: true });
    const response = await callRoute(statusRoute.GET, { params: { service: service.slug, slo: slo.slug } });
    expect(response.status).toBe(200);
    const status = SloStatus.parse(await json(response));
    expect(status.source).toBe('demo');
    expect(status.dataState).toBe('ok');
    expect(status.alerts).toHaveLength(4);
    expect(Object.keys(status.burnRates).sort()).toEqual(['12h', '1d', '1h', '2h', '30m', '3d', '5m', '6h'].filter((w) => w !== '12h').sort());
    expect(status.sli).toBeGreaterThan(0.9);
  });

  test('series answers points at the step, and refuses bad ranges with 400 naming the parameter', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, {}, { history: true });
    const params = { service: service.slug, slo: slo.slug };
    const to = Math.floor(Date.now() / 3_600_000) * 3600;
    const ok = await callRoute(seriesRoute.GET, { params, path: `/x?from=${to - 24 * 3600}&to=${to}&step=1h` });
    expect(ok.status).toBe(200);
    const series = SloSeries.parse(await json(ok));
    expect(series.points).toHaveLength(24);
    expect(series.step).toBe(3600);
    expect(series.points.every((p) => p.total > 0 && p.windowSli !== null)).toBe(true);

    const cases: Array<[string, string]> = [
      [`from=yesterday&to=${to}&step=1h`, 'from'],
      [`from=${to}&to=${to - 3600}&step=1h`, 'to'],
      [`from=${to - 3600}&to=${to}&step=30s`, 'step'],
      [`from=${to - 90 * 86400}&to=${to}&step=1m`, 'step'],
      [`to=${to}&step=1m`, 'from'],
    ];
    for (const [query, field] of cases) {
      const response = await callRoute(seriesRoute.GET, { params, path: `/x?${query}` });
      expect(response.status, query).toBe(400);
      expect(Object.keys(((await json(response)) as ErrorBody).error.fields ?? {}), query).toContain(field);
    }
  });

  test('unknown API paths answer 404 in the error shape', async () => {
    const response = await callRoute(catchAll.GET, { path: '/api/v1/nothing-here' });
    expect(response.status).toBe(404);
    expect(((await json(response)) as ErrorBody).error.code).toBe('not_found');
  });
});

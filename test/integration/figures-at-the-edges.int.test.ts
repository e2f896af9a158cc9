// Issue 13: every figure right at the edges. Impossible counts left out of every path that computes a figure;
// timeslice burn rates that page steadily; provisional figures of young SLOs; figures as of a minute that was read,
// reproducible at any past minute. Each test here fails on the code before it.
import { describe, expect, test } from 'vitest';
import * as statusRoute from '../../app/api/v1/services/[service]/slos/[slo]/status/route';
import * as servicesRoute from '../../app/api/v1/services/route';
import * as gateRoute from '../../app/api/v1/services/[service]/gate/route';
import * as backfillRoute from '../../app/api/v1/services/[service]/slos/[slo]/backfill/route';
import * as previewRoute from '../../app/api/v1/sli/preview/route';
import { db } from '../../lib/db/client';
import { Deployment, GateEvaluation, ServiceSummary, SliPreviewResult, SloStatus } from '../../lib/schemas';
import { bucketFault, sliOf } from '../../lib/slo';
import { generateDemoBuckets } from '../../lib/sources/demo/generator';
import { createEmbed, embedBadgeData, embedPanelData, resolveEmbed } from '../../lib/use-cases/embeds/embeds';
import { evaluateSlo } from '../../lib/use-cases/evaluation/evaluate-slo';
import { computeSloSeries } from '../../lib/use-cases/slos/get-slo-series';
import { computeSloStatus } from '../../lib/use-cases/slos/get-slo-status';
import { recordDeployment } from '../../lib/use-cases/gates/deployments';
import { findSloRecord } from '../../lib/db/slos';
import { writeBuckets } from '../../lib/db/buckets';
import { FAULT_TABLE } from '../../lib/slo/fault-table.fixture';
import { callRoute, constantBuckets, makeService, makeSlo, makeSloWithBuckets, SYSTEM } from '../factories';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const wholeMinute = () => new Date(Math.floor(Date.now() / MIN) * MIN);

type Bucket = { start: Date; good: number; total: number };

describe('impossible counts are left out of every figure (point 1)', () => {
  test('the database and the code name the same minutes faulty, for the same reasons', async () => {
    for (const [good, total, want] of FAULT_TABLE) {
      const [row] = await db().$queryRaw<
        Array<{ fault: string | null }>
      >`SELECT sli_bucket_fault(${String(good)}::float8, ${String(total)}::float8, NULL) AS fault`;
      expect(row!.fault, `good ${good}, total ${total}`).toBe(want);
      expect(bucketFault(good, total)).toBe(want);
    }
  });

  test('status, series, hourly sums, deploy ledger, gate, embeds and badges read a dirty SLO exactly as its clean twin', async () => {
    const asOf = wholeMinute();
    // Ten days of traffic with a burst of errors two hours ago; the same minutes for both SLOs.
    const clean: Bucket[] = constantBuckets(new Date(asOf.getTime() - 10 * DAY), asOf, 100, 0.0005).map((b) =>
      b.start.getTime() >= asOf.getTime() - 2 * HOUR && b.start.getTime() < asOf.getTime() - 90 * MIN ? { ...b, good: 80 } : b,
    );
    // Faulty minutes in between: good above total (110%), negative counts, NaN and both infinities, in the last hour
    // (every burn-rate window holds some), at the start of the window, and across whole hours.
    const faultyAt = (minutesAgo: number) => new Date(asOf.getTime() - minutesAgo * MIN);
    const clearMinutes = new Set<number>();
    const faults: Bucket[] = [
      { start: faultyAt(3), good: 1100, total: 100 },
      { start: faultyAt(7), good: -5, total: 100 },
      { start: faultyAt(8), good: 50, total: -100 },
      { start: faultyAt(20), good: Number.NaN, total: 100 },
      { start: faultyAt(40), good: 100, total: Number.POSITIVE_INFINITY },
      { start: faultyAt(41), good: Number.NEGATIVE_INFINITY, total: 100 },
      ...Array.from({ length: 180 }, (_, i) => ({ start: faultyAt(3 * 1440 + i), good: 1_000_000, total: 10 })),
      { start: faultyAt(10 * 1440 - 1), good: 0, total: -1 },
    ];
    for (const f of faults) clearMinutes.add(f.start.getTime());
    const cleanWithHoles = clean.filter((b) => !clearMinutes.has(b.start.getTime()));
    const cleanSlo = await makeSloWithBuckets(cleanWithHoles, { objective: 0.999, window: { kind: 'rolling', days: 10 } });
    const dirtySlo = await makeSloWithBuckets([...cleanWithHoles, ...faults], { objective: 0.999, window: { kind: 'rolling', days: 10 } });

    // Status: every figure equal; the faults listed with their minutes, newest first, and the spans they make.
    const [a, b] = await Promise.all([computeSloStatus(cleanSlo, { now: asOf }), computeSloStatus(dirtySlo, { now: asOf })]);
    for (const key of ['sli', 'good', 'total', 'errorBudget', 'burnRates', 'alerts', 'timeToExhaustion', 'coverage', 'measured', 'provisional'] as const) {
      expect(b[key], key).toEqual(a[key]);
    }
    expect(b.sli!).toBeLessThanOrEqual(1);
    expect(b.dataQuality.faultCount).toBe(faults.length);
    expect(b.dataQuality.faults[0]).toMatchObject({ start: faultyAt(3).toISOString(), good: 1100, total: 100, reason: 'good_above_total' });
    expect(b.dataQuality.faults.map((f) => f.reason)).toEqual(expect.arrayContaining(['good_above_total', 'negative', 'not_a_number', 'infinite']));
    expect(b.dataQuality.spans).toContainEqual({
      reason: 'good_above_total',
      from: faultyAt(3 * 1440 + 179).toISOString(),
      to: faultyAt(3 * 1440 - 1).toISOString(),
      minutes: 180,
    });
    expect(a.dataQuality.faultCount).toBe(0);

    // Series: the same points, burn rates and budgets.
    const query = { from: new Date(asOf.getTime() - 3 * DAY - 6 * HOUR), to: asOf, step: 1800 };
    const [sa, sb] = await Promise.all([computeSloSeries(cleanSlo, query, asOf), computeSloSeries(dirtySlo, query, asOf)]);
    expect(sb.points).toEqual(sa.points);
    expect(sb.points.every((p) => p.sli === null || p.sli <= 1)).toBe(true);

    // Hourly sums: the faulty minutes are counted as faults, not summed.
    const hours = async (id: string) =>
      (await db().sliBucketHour.findMany({ where: { sloId: id }, orderBy: { hour: 'asc' } })).map((h) => ({
        hour: h.hour,
        good: h.good,
        total: h.total,
        buckets: h.buckets,
      }));
    const usable = (rows: Awaited<ReturnType<typeof hours>>) => rows.filter((h) => h.buckets > 0);
    expect(usable(await hours(dirtySlo.id))).toEqual(await hours(cleanSlo.id));
    const faultCount = await db().sliBucketHour.aggregate({ where: { sloId: dirtySlo.id }, _sum: { faults: true } });
    expect(faultCount._sum.faults).toBe(faults.length);

    // Deploy ledger over the burst and the faulty minutes.
    const deploy = async (service: string) =>
      Deployment.parse(
        await recordDeployment({
          actor: SYSTEM,
          input: { service, version: 'v1', environment: 'production', startedAt: new Date(asOf.getTime() - 150 * MIN).toISOString() },
          now: asOf,
        }),
      );
    const [da, db_] = await Promise.all([deploy(cleanSlo.serviceSlug), deploy(dirtySlo.serviceSlug)]);
    expect(db_.impact.map(({ burnedAfter, burnedBefore, verdict }) => ({ burnedAfter, burnedBefore, verdict }))).toEqual(
      da.impact.map(({ burnedAfter, burnedBefore, verdict }) => ({ burnedAfter, burnedBefore, verdict })),
    );

    // The release gate.
    const gate = async (service: string) =>
      GateEvaluation.parse(await (await callRoute(gateRoute.POST, { method: 'POST', params: { service }, body: { version: 'v2' } })).json());
    const [ga, gb] = await Promise.all([gate(cleanSlo.serviceSlug), gate(dirtySlo.serviceSlug)]);
    expect(gb.verdict).toBe(ga.verdict);
    expect(gb.reasons.map((r) => r.message.replace(dirtySlo.slug, ''))).toEqual(ga.reasons.map((r) => r.message.replace(cleanSlo.slug, '')));
    expect(gb.slos[0]!.budgetRemaining).toBe(ga.slos[0]!.budgetRemaining);

    // Embeds and badges.
    const embedOf = async (slo: typeof cleanSlo) => {
      const link = await createEmbed({
        actor: SYSTEM,
        input: { service: slo.serviceSlug, slo: slo.slug, panel: 'budget', label: '', expiresInDays: null },
        origin: 'https://umpire.example.com',
      });
      return (await resolveEmbed(link.token))!;
    };
    const [ea, eb] = [await embedOf(cleanSlo), await embedOf(dirtySlo)];
    const badgeA = await embedBadgeData(ea, asOf);
    const badgeB = await embedBadgeData(eb, asOf);
    expect({ ...badgeB, label: '' }).toEqual({ ...badgeA, label: '' });
    const view = { range: '7d' as const, theme: 'light' as const, width: 600, height: 300 };
    const panelA = await embedPanelData(ea, view, 'https://umpire.example.com', asOf);
    const panelB = await embedPanelData(eb, view, 'https://umpire.example.com', asOf);
    if (panelA.kind === 'service' || panelB.kind === 'service') throw new Error('an SLO panel was asked for');
    expect(panelB.series.points).toEqual(panelA.series.points);
    expect(panelB.status.errorBudget).toEqual(panelA.status.errorBudget);
  });
});

describe('timeslice burn rates page steadily through an outage (point 2)', () => {
  test.each([5, 10, 30, 60])('%i-minute slices: the page tier fires within a slice plus 5 minutes and stays firing, minute by minute', async (slice) => {
    const asOf = new Date(Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR);
    const outageStart = new Date(asOf.getTime() - 120 * MIN + 7 * MIN); // seven minutes into a slice for every length
    const buckets = constantBuckets(new Date(asOf.getTime() - 3 * DAY), asOf, 100, 0).map((b) => (b.start >= outageStart ? { ...b, good: 0 } : b));
    const slo = await makeSloWithBuckets(buckets, {
      objective: 0.999,
      window: { kind: 'rolling', days: 3 },
      budgeting: { method: 'timeslices', sliceMinutes: slice, threshold: 0.99 },
    });
    const pageFiring = async (at: Date) =>
      (await computeSloStatus(slo, { now: new Date(Date.now()), at })).alerts.some((a) => a.severity === 'page' && a.firing);
    expect(await pageFiring(new Date(outageStart.getTime() - MIN))).toBe(false);
    let first: number | null = null;
    for (let m = 1; m <= 113; m += m < slice + 10 ? 1 : 7) {
      const firing = await pageFiring(new Date(outageStart.getTime() + m * MIN));
      if (firing && first === null) first = m;
      if (first !== null) expect(firing, `still firing ${m} minutes into the outage`).toBe(true);
    }
    expect(first).not.toBeNull();
    expect(first!).toBeLessThanOrEqual(slice + 5);
    // The chart's burn rates (TimesliceIndex) are the status's (SQL) at every point.
    const series = await computeSloSeries(
      slo,
      { from: new Date(outageStart.getTime() - 60 * MIN), to: new Date(outageStart.getTime() + 60 * MIN), step: 300 },
      asOf,
    );
    for (const point of series.points) {
      const status = await computeSloStatus(slo, { now: asOf, at: new Date(point.t) });
      for (const [w, rate] of Object.entries(point.burnRates)) {
        if (rate === null) expect(status.burnRates[w], `${w} at ${point.t}`).toBeNull();
        else expect(status.burnRates[w], `${w} at ${point.t}`).toBeCloseTo(rate, 9);
      }
      expect(status.sli).toBeCloseTo(point.windowSli!, 12);
    }
  });
});

describe('new and partly covered windows (point 3)', () => {
  test('a 4-minute-old SLO: provisional figures, tiers guarded below minEvents, a gate that warns, charts with its data', async () => {
    const asOf = wholeMinute();
    // 4 minutes, 10 events a minute, every one failed: 40 events, below the default minimum of 100.
    const slo = await makeSloWithBuckets(constantBuckets(new Date(asOf.getTime() - 4 * MIN), asOf, 10, 1), { objective: 0.999 });
    const status = await computeSloStatus(slo, { now: asOf });
    expect(status.provisional).toBe(true);
    expect(status.provisionalReason).toBe('Provisional: 4 min of 30 days measured.');
    expect(status.measured).toEqual({ minutes: 4, windowMinutes: 30 * 1440, events: 40 });
    expect(status.minEvents).toBe(100);
    expect(status.errorBudget.remaining).toBeLessThan(-900);
    // Burning at 1000x, but on 40 events: no tier fires, and each says why.
    expect(status.alerts.every((a) => !a.firing && a.guarded && a.longEvents === 40)).toBe(true);

    const gate = GateEvaluation.parse(
      await (await callRoute(gateRoute.POST, { method: 'POST', params: { service: slo.serviceSlug }, body: { version: 'v1' } })).json(),
    );
    // Its budget (on 40 events, fewer than the minimum) is not judged: the default policy warns what it would have
    // meant, and never fails the release on it.
    expect(gate.verdict).toBe('warn');
    expect(gate.dataState).toBe('partial');
    expect(gate.reasons.map((r) => [r.rule, r.verdict])).toEqual([
      ['budget_remaining < 0%', 'warn'],
      ['budget_remaining < 25%', 'warn'],
    ]);
    expect(gate.reasons[0]!.message).toMatch(
      /^Test SLO: −\d+% of the error budget left, below 0% \(provisional: 4 min of 30 days measured; it may warn, not fail\)$/,
    );
    expect(gate.slos[0]).toMatchObject({ dataState: 'partial', provisional: 'Provisional: 4 min of 30 days measured.' });

    // The 7-day chart's 30-minute steps may not have reached it yet: the series ends with the minutes since the last
    // step, and every one of the 40 events is on the chart (in the last point, or the last two when the test's minute
    // falls just after a step).
    const series = await computeSloSeries(slo, { from: new Date(asOf.getTime() - 7 * DAY), to: asOf, step: 1800 }, asOf);
    const last = series.points.at(-1)!;
    expect(last.t).toBe(asOf.toISOString());
    expect(last.total).toBeGreaterThan(0);
    expect(series.points.reduce((sum, p) => sum + (p.total ?? 0), 0)).toBe(40);
    expect(last.windowSli).toBe(0);
  });

  test('above minEvents the tiers fire on a young SLO; a calendar period’s first minutes do not swing the gate', async () => {
    const asOf = wholeMinute();
    // 393 events in 4 minutes, 6 failed: a real 15x burn on enough events.
    const buckets = [0, 1, 2, 3].map((i) => ({ start: new Date(asOf.getTime() - (4 - i) * MIN), good: i === 3 ? 93 : 98, total: i === 3 ? 99 : 98 }));
    const young = await makeSloWithBuckets(buckets, { objective: 0.999 });
    const status = await computeSloStatus(young, { now: asOf });
    expect(status.measured.events).toBe(393);
    expect(status.provisional).toBe(true);
    expect(status.alerts.find((a) => a.longWindow === '1h')).toMatchObject({ guarded: false, firing: true });

    // minEvents is the SLO's own: raised, the same SLO's tiers hold back.
    await db().slo.update({ where: { id: young.id }, data: { minEvents: 1000 } });
    const held = await computeSloStatus(await findSloRecord(young.serviceSlug, young.slug), { now: asOf });
    expect(held.alerts.every((a) => !a.firing && a.guarded)).toBe(true);

    // A calendar month whose data began long ago, ten minutes into a new month: 20 events, 2 failed.
    const service = await makeService();
    const monthly = await makeSlo(service.slug, { objective: 0.999, window: { kind: 'calendar', unit: 'month', timeZone: 'UTC' } });
    const record = await findSloRecord(service.slug, monthly.slug);
    const monthStart = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1));
    const at = new Date(monthStart.getTime() + 10 * MIN);
    await writeBuckets(record.id, [
      ...constantBuckets(new Date(monthStart.getTime() - 5 * DAY), monthStart, 100, 0),
      ...constantBuckets(monthStart, at, 2, 0.1),
    ]);
    const early = await computeSloStatus(record, { now: asOf, at });
    expect(early.measured.events).toBeCloseTo(20, 9);
    expect(early.provisionalReason).toBe('Provisional: 20 events in the window, fewer than the 100 its figures need.');
    expect(early.errorBudget.remaining).toBeLessThan(-90);
  });
});

describe('figures as of a minute that was read, at any past minute (points 7 and 8)', () => {
  test('a pulled SLO is as of the minute the evaluator read; the minutes after are said to be unread', async () => {
    const asOf = wholeMinute();
    const slo = await makeSloWithBuckets(constantBuckets(new Date(asOf.getTime() - 2 * DAY), asOf, 100, 0.001), { objective: 0.999 });
    const freshUntil = new Date(asOf.getTime() - 3 * MIN);
    await db().sloEvaluation.create({
      data: {
        sloId: slo.id,
        historyFrom: new Date(asOf.getTime() - 90 * DAY),
        completeFrom: new Date(asOf.getTime() - 90 * DAY),
        freshUntil,
        lastSuccessAt: freshUntil,
      },
    });
    const status = await computeSloStatus(slo, { now: new Date(asOf.getTime() + 20_000) });
    expect(status.asOf).toBe(freshUntil.toISOString());
    expect(status.unread).toEqual({ from: freshUntil.toISOString(), to: asOf.toISOString() });
    // Its 5m burn rate covers five whole minutes that were read, not two and an unread tail.
    expect(status.burnRates['5m']).toBeCloseTo(1, 9);
    // The overview's card and the SLO page agree, loaded at different seconds of the minute.
    const listed = await callRoute(servicesRoute.GET, { path: `/?q=${slo.serviceSlug}` });
    const summary = ServiceSummary.array().parse(((await listed.json()) as { services: unknown[] }).services)[0]!;
    expect(summary.worstBudgetRemaining).toBe(status.errorBudget.remaining);
    const page = SloStatus.parse(await (await callRoute(statusRoute.GET, { params: { service: slo.serviceSlug, slo: slo.slug } })).json());
    expect(page.burnRates).toEqual(status.burnRates);
    expect(page.asOf).toBe(status.asOf);
  });

  test('GET status?at= reproduces what a gate saw; the services list takes at too; bad at is a 400 naming the field', async () => {
    const asOf = wholeMinute();
    const slo = await makeSloWithBuckets(constantBuckets(new Date(asOf.getTime() - 30 * DAY), asOf, 100, 0.0005), { objective: 0.999 });
    const gate = GateEvaluation.parse(
      await (await callRoute(gateRoute.POST, { method: 'POST', params: { service: slo.serviceSlug }, body: { version: 'v1' } })).json(),
    );
    expect(gate.asOf).toBe(asOf.toISOString());
    const stored = await db().gateCheck.findUniqueOrThrow({ where: { id: gate.id } });
    expect(stored.asOf?.toISOString()).toBe(gate.asOf);

    // Later minutes change the figures; ?at= the gate's asOf still gives what it saw.
    await writeBuckets(slo.id, constantBuckets(new Date(asOf.getTime() - 2 * HOUR), asOf, 100, 0.2));
    const now = SloStatus.parse(await (await callRoute(statusRoute.GET, { params: { service: slo.serviceSlug, slo: slo.slug } })).json());
    expect(now.errorBudget.remaining).not.toBe(gate.slos[0]!.budgetRemaining);
    const earlier = new Date(asOf.getTime() - 3 * HOUR);
    const then = SloStatus.parse(
      await (
        await callRoute(statusRoute.GET, { params: { service: slo.serviceSlug, slo: slo.slug }, path: `/?at=${encodeURIComponent(earlier.toISOString())}` })
      ).json(),
    );
    expect(then.asOf).toBe(earlier.toISOString());
    expect(then.window.to).toBe(earlier.toISOString());
    const direct = await computeSloStatus(slo, { at: earlier });
    expect(then.errorBudget).toEqual(direct.errorBudget);
    expect(then.errorBudget.remaining).toBeCloseTo(0.5, 6);

    const listed = await callRoute(servicesRoute.GET, { path: `/?q=${slo.serviceSlug}&at=${encodeURIComponent(earlier.toISOString())}` });
    expect(listed.status).toBe(200);
    const summary = ServiceSummary.array().parse(((await listed.json()) as { services: unknown[] }).services)[0]!;
    expect(summary.worstBudgetRemaining).toBeCloseTo(0.5, 6);

    for (const bad of ['yesterday', '2026-13-45T00:00:00Z', new Date(Date.now() + DAY).toISOString()]) {
      const response = await callRoute(statusRoute.GET, { params: { service: slo.serviceSlug, slo: slo.slug }, path: `/?at=${encodeURIComponent(bad)}` });
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('at');
      expect((await callRoute(servicesRoute.GET, { path: `/?at=${encodeURIComponent(bad)}` })).status).toBe(400);
    }
  });

  test('the SLI preview takes at: the demo source answers as of then', async () => {
    const at = new Date(wholeMinute().getTime() - 3 * DAY);
    const sli = { source: 'demo', profile: 'availability', eventsPerMinute: 100, baselineErrorRatio: 0.01, seed: 'preview-at' } as const;
    const response = await callRoute(previewRoute.POST, { method: 'POST', body: { sli, at: at.toISOString() } });
    const result = SliPreviewResult.parse(await response.json());
    if (!result.ok) throw new Error(result.error.message);
    expect(result.preview.at).toBe(at.toISOString());
    const hour = generateDemoBuckets(sli, new Date(at.getTime() - HOUR), at).reduce((a, b) => ({ good: a.good + b.good, total: a.total + b.total }), {
      good: 0,
      total: 0,
    });
    expect(result.preview.sliLastHour).toBeCloseTo(sliOf(hour)!, 12);
    expect((await callRoute(previewRoute.POST, { method: 'POST', body: { sli, at: 'soon' } })).status).toBe(400);
  });

  test('re-reading an SLO’s history keeps its bookkeeping: its figures stay whole, not "partial", while it runs', async () => {
    const service = await makeService();
    const slo = await makeSlo(service.slug, { objective: 0.999, window: { kind: 'rolling', days: 7 } });
    const record = await findSloRecord(service.slug, slo.slug);
    const now = wholeMinute();
    // A complete history first (the demo source answers at once).
    for (let pass = 0; pass < 20; pass++) {
      const outcome = await evaluateSlo(record, { now, backfillDays: 30 });
      if (outcome.status === 'ok' && outcome.complete) break;
    }
    const before = await computeSloStatus(record, { now });
    expect(before.dataState).toBe('ok');
    const response = await callRoute(backfillRoute.POST, { method: 'POST', params: { service: service.slug, slo: slo.slug } });
    expect(response.status).toBe(202);
    const during = await computeSloStatus(record, { now });
    expect(during.dataState).toBe('ok');
    expect(during.provisional).toBe(false);
    expect(during.evaluation.reread).toMatchObject({ until: now.toISOString(), progress: 0 });
    expect(during.errorBudget).toEqual(before.errorBudget);
    // One pass re-reads some days, newest first; the figures stay whole throughout, and it ends.
    await evaluateSlo(record, { now, backfillDays: 3 });
    const halfway = await computeSloStatus(record, { now });
    expect(halfway.dataState).toBe('ok');
    expect(halfway.evaluation.reread!.progress).toBeGreaterThan(0);
    for (let pass = 0; pass < 40 && (await computeSloStatus(record, { now })).evaluation.reread; pass++) await evaluateSlo(record, { now, backfillDays: 30 });
    const after = await computeSloStatus(record, { now });
    expect(after.evaluation.reread).toBeNull();
    expect(after.errorBudget).toEqual(before.errorBudget);
  });
});

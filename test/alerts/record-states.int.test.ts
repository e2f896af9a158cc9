// Issue 16: every evaluation keeps each SLO's state, steps its alerts, and queues the notifications of each
// transition in the same transaction, once, however many evaluators run.
import { describe, expect, test } from 'vitest';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { writeBuckets } from '../../lib/db/buckets';
import type { z } from 'zod';
import { SloInput, SloStatus } from '../../lib/schemas';
import { recordStates } from '../../lib/use-cases/alerts/record-states';
import { constantBuckets, makeSloWithBuckets, uniqueSlug } from '../factories';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = new Date(Math.floor(Date.now() / MIN) * MIN - 2 * HOUR);

/** Four days of clean traffic up to `T0`, then an hour of 5% errors: the 1h/5m and 6h/30m page tiers fire, no ticket tier. */
async function burningSlo() {
  const team = uniqueSlug('team');
  const buckets = [
    ...constantBuckets(new Date(T0.getTime() - 4 * DAY), new Date(T0.getTime() - HOUR), 1000, 0),
    ...constantBuckets(new Date(T0.getTime() - HOUR), T0, 1000, 0.05),
  ];
  const record = await makeSloWithBuckets(buckets, { labels: { journey: 'pay' } });
  await db().service.update({ where: { slug: record.serviceSlug }, data: { ownerTeam: team } });
  return { record, team };
}

const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

/**
 * A day's rolling window, 1,000 events a minute, clean but for a burst of 3% errors (900 bad) at [T0 - 1 day,
 * T0 - 1410 min), which leaves the window in the 30 minutes after T0, and an incident of 10% errors from T0 - 10 min
 * (1,000 bad) that pages from T0 (the test writes what comes after T0).
 */
async function incidentAfterBurst(overrides: Partial<z.input<typeof SloInput>>) {
  const buckets = [
    ...constantBuckets(at(-2 * 1440), at(-1440), 1000, 0),
    ...constantBuckets(at(-1440), at(-1410), 1000, 0.03),
    ...constantBuckets(at(-1410), at(-10), 1000, 0),
    ...constantBuckets(at(-10), T0, 1000, 0.1),
  ];
  const record = await makeSloWithBuckets(buckets, { window: { kind: 'rolling', days: 1 }, ...overrides });
  const pageOf = async () => (await eventsOf(record.id)).find((e) => e.alertKey === 'burn_rate:page:1h/5m');
  return { record, pageOf };
}

async function webhookChannel(team: string, routeOverrides: Record<string, unknown> = {}) {
  const channel = await db().notificationChannel.create({
    data: { slug: uniqueSlug('ch'), name: 'Team hook', kind: 'webhook', config: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' }, createdBy: 'test' },
  });
  await db().notificationRoute.create({ data: { team, channelId: channel.id, createdBy: 'test', ...routeOverrides } });
  return channel;
}

const eventsOf = (sloId: string) => db().alertEvent.findMany({ where: { sloId }, orderBy: [{ alertKey: 'asc' }] });
const outboxOf = (channelId: string) => db().notification.findMany({ where: { channelId }, orderBy: [{ createdAt: 'asc' }, { action: 'asc' }] });

describe('recordStates', () => {
  test('keeps the status, fires the page tiers once, queues a trigger per firing alert, and resolves them after recovery', async () => {
    const { record, team } = await burningSlo();
    const channel = await webhookChannel(team);

    const first = await recordStates({ now: T0, sloIds: [record.id] });
    expect(first).toMatchObject({ slos: 1, written: 1, failed: [] });

    const state = await db().sloState.findUniqueOrThrow({ where: { sloId: record.id } });
    const status = SloStatus.parse(state.status);
    expect(state.asOf.toISOString()).toBe(T0.toISOString());
    expect(status.asOf).toBe(T0.toISOString());
    expect(state.firing).toBe('page');
    expect(state.budgetRemaining).toBe(status.errorBudget.remaining);
    expect(status.alerts.filter((a) => a.firing).map((a) => `${a.longWindow}/${a.shortWindow}`)).toEqual(['1h/5m', '6h/30m']);

    const events = await eventsOf(record.id);
    expect(events.map((e) => [e.alertKey, e.state])).toEqual([
      ['burn_rate:page:1h/5m', 'firing'],
      ['burn_rate:page:6h/30m', 'firing'],
    ]);
    expect(events[0]!.startedAt!.toISOString()).toBe(T0.toISOString());
    expect(events[0]!.peakBurnRate).toBeGreaterThan(14.4);
    expect(events[0]!.budgetAtStart).toBe(status.errorBudget.remaining);

    let outbox = await outboxOf(channel.id);
    expect(outbox.map((n) => [n.action, n.status])).toEqual([
      ['trigger', 'pending'],
      ['trigger', 'pending'],
    ]);
    const payload = outbox[0]!.payload as { event: { groupKey: string; severity: string }; links: { slo: string }; summary: string };
    expect(payload.event).toMatchObject({ severity: 'page', groupKey: `umpire/${record.serviceSlug}/${record.slug}/burn_rate/page` });
    expect(payload.links.slo).toMatch(new RegExp(`/services/${record.serviceSlug}/slos/${record.slug}$`));
    expect(payload.summary).toContain(`${record.serviceSlug}/${record.slug} burns its error budget`);

    // The same minute again (a second evaluator, or a retry): nothing new.
    const again = await recordStates({ now: T0, sloIds: [record.id] });
    expect(again).toMatchObject({ written: 0, transitions: 0, notifications: 0 });
    expect(await outboxOf(channel.id)).toHaveLength(2);

    // Still burning a minute later: held, not re-triggered (a webhook is told once).
    await writeBuckets(record.id, constantBuckets(T0, new Date(T0.getTime() + MIN), 1000, 0.05));
    const held = await recordStates({ now: new Date(T0.getTime() + MIN), sloIds: [record.id] });
    expect(held).toMatchObject({ written: 1, transitions: 0, notifications: 0 });

    // An hour and a quarter of clean traffic: the 1h/5m tier resolves; the 6h/30m tier's long window still burns
    // above 6x until its short window clears.
    const recovered = new Date(T0.getTime() + 76 * MIN);
    await writeBuckets(record.id, constantBuckets(new Date(T0.getTime() + MIN), recovered, 1000, 0));
    await recordStates({ now: recovered, sloIds: [record.id] });
    const after = await eventsOf(record.id);
    expect(after.map((e) => [e.alertKey, e.state])).toEqual([
      ['burn_rate:page:1h/5m', 'resolved'],
      ['burn_rate:page:6h/30m', 'resolved'],
    ]);
    expect(after[0]!.endedAt!.toISOString()).toBe(recovered.toISOString());
    expect(after[0]!.budgetSpent).toBeGreaterThan(0);
    outbox = await outboxOf(channel.id);
    expect(outbox.map((n) => n.action).sort()).toEqual(['resolve', 'resolve', 'trigger', 'trigger']);
  });

  test("budget spent while firing counts the incident's own bad events, though an old burst leaves the window meanwhile", async () => {
    const { record, pageOf } = await incidentAfterBurst({});

    await recordStates({ now: T0, sloIds: [record.id] });
    const fired = await pageOf();
    expect(fired).toMatchObject({ state: 'firing', startedAt: T0, budgetSpent: 0 });
    // The window [T0 - 1 day, T0) holds 1,440,000 events, 1,440 bad allowed, and 900 + 1,000 bad.
    expect(fired!.budgetAtStart).toBeCloseTo(1 - 1900 / 1440, 9);

    await writeBuckets(record.id, constantBuckets(T0, at(30), 1000, 0.02));
    await recordStates({ now: at(30), sloIds: [record.id] });
    const held = await pageOf();
    expect(held).toMatchObject({ id: fired!.id, state: 'firing', startedAt: T0 });
    // Firing from T0 to T0 + 30 min: 30 x 20 = 600 bad events, over the 1,440 the window [T0 - 1410 min, T0 + 30 min)
    // allows (1,440,000 events at 0.1%).
    expect(held!.budgetSpent).toBeCloseTo(600 / 1440, 9);
    // The budget left rose meanwhile (the burst's 900 left, 600 came): budget at start minus budget now says 0.
    const state = await db().sloState.findUniqueOrThrow({ where: { sloId: record.id } });
    expect(state.budgetRemaining).toBeCloseTo(1 - 1600 / 1440, 9);
    expect(state.budgetRemaining!).toBeGreaterThan(held!.budgetAtStart!);
  });

  test('budget spent while firing counts bad slices for a timeslice SLO, over the slices its window allows', async () => {
    // 5-minute slices, good at 99% or better: the burst's and the incident's minutes are all bad, the rest good.
    const { record, pageOf } = await incidentAfterBurst({ objective: 0.99, budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 0.99 } });
    await recordStates({ now: T0, sloIds: [record.id] });
    const fired = await pageOf();
    expect(fired).toMatchObject({ state: 'firing', startedAt: T0, budgetSpent: 0 });

    await writeBuckets(record.id, constantBuckets(T0, at(30), 1000, 0.02));
    await recordStates({ now: at(30), sloIds: [record.id] });
    const held = await pageOf();
    // Firing for 30 minutes, all bad: 6 slices' worth (the edge slices count by their share inside), over the 1%
    // of the window's 288 slices with data (2.88) allowed.
    expect(held).toMatchObject({ id: fired!.id, state: 'firing' });
    expect(held!.budgetSpent).toBeCloseTo(6 / 2.88, 9);
    // The burst's 6 slices left as the incident's 6 came: budget at start minus budget now is about 0.
    const state = await db().sloState.findUniqueOrThrow({ where: { sloId: record.id } });
    expect(Math.abs(held!.budgetAtStart! - state.budgetRemaining!)).toBeLessThan(0.5);
  });

  test('two evaluators recording the same minute at once queue each notification once', async () => {
    const { record, team } = await burningSlo();
    const channel = await webhookChannel(team);
    const runs = await Promise.all([recordStates({ now: T0, sloIds: [record.id] }), recordStates({ now: T0, sloIds: [record.id] })]);
    expect(runs.reduce((n, r) => n + r.written, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.failed.length, 0)).toBe(0);
    expect(await eventsOf(record.id)).toHaveLength(2);
    expect(await outboxOf(channel.id)).toHaveLength(2);
  });

  test('routes pick by severity, kind and labels; a silence holds the trigger and releases it when it ends', async () => {
    const { record, team } = await burningSlo();
    const ticketsOnly = await webhookChannel(team, { severities: ['ticket'] });
    const otherJourney = await webhookChannel(team, { labels: { journey: 'search' } });
    const payJourney = await webhookChannel(team, { labels: { journey: 'pay' }, kinds: ['burn_rate'] });
    // A route of named SLOs (an OpenSLO notification target): this SLO's alerts only.
    const thisSlo = await webhookChannel(team, { services: [record.serviceSlug], slos: [record.slug], severities: ['page'], kinds: ['burn_rate'] });
    const otherSlo = await webhookChannel(team, { services: [record.serviceSlug], slos: ['another-slo'] });
    const silence = await db().silence.create({
      data: {
        scope: 'slo',
        team,
        serviceId: (await db().service.findUniqueOrThrow({ where: { slug: record.serviceSlug } })).id,
        sloId: record.id,
        startsAt: new Date(T0.getTime() - HOUR),
        endsAt: new Date(T0.getTime() + 10 * MIN),
        reason: 'load test',
        createdBy: 'test',
      },
    });
    await recordStates({ now: T0, sloIds: [record.id] });
    expect(await outboxOf(ticketsOnly.id)).toHaveLength(0);
    expect(await outboxOf(otherJourney.id)).toHaveLength(0);
    expect((await outboxOf(payJourney.id)).map((n) => n.status)).toEqual(['held', 'held']);
    expect((await outboxOf(thisSlo.id)).map((n) => n.status)).toEqual(['held', 'held']);
    expect(await outboxOf(otherSlo.id)).toHaveLength(0);

    // The alert still shows while silenced.
    expect((await eventsOf(record.id)).every((e) => e.state === 'firing')).toBe(true);

    await db().silence.update({ where: { id: silence.id }, data: { endsAt: new Date(T0.getTime() + MIN) } });
    await writeBuckets(record.id, constantBuckets(T0, new Date(T0.getTime() + 2 * MIN), 1000, 0.05));
    const run = await recordStates({ now: new Date(T0.getTime() + 2 * MIN), sloIds: [record.id] });
    expect(run.released).toBeGreaterThanOrEqual(2);
    expect((await outboxOf(payJourney.id)).map((n) => n.status)).toEqual(['pending', 'pending']);
  });

  test('the budget-low alert fires below the chosen share (UMPIRE_ALERT_BUDGET_LOW_SHARE), not above it', async () => {
    // One day's window, two days of 0.06% errors on 99.9%: 40% of the budget left, burning at 0.6x (no tier fires).
    const buckets = constantBuckets(new Date(T0.getTime() - 2 * DAY), T0, 1000, 0.0006);
    const quiet = await makeSloWithBuckets(buckets, { window: { kind: 'rolling', days: 1 } });
    await recordStates({ now: T0, sloIds: [quiet.id] });
    expect((await eventsOf(quiet.id)).map((e) => e.alertKey)).toEqual([]);

    const low = await makeSloWithBuckets(buckets, { window: { kind: 'rolling', days: 1 } });
    process.env.UMPIRE_ALERT_BUDGET_LOW_SHARE = '0.5';
    reloadEnv();
    try {
      await recordStates({ now: T0, sloIds: [low.id] });
    } finally {
      delete process.env.UMPIRE_ALERT_BUDGET_LOW_SHARE;
      reloadEnv();
    }
    const events = await eventsOf(low.id);
    expect(events.map((e) => [e.alertKey, e.kind, e.severity, e.state])).toEqual([['budget_low:50', 'budget_low', 'ticket', 'firing']]);
    expect(events[0]!.budgetAtStart).toBeCloseTo(0.4, 6);
  });

  test("an SLO's own budget-low share and absent delay win over the installation's; an alert it no longer has resolves", async () => {
    // 40% of the budget left, as above: the installation's 25% is quiet, the SLO's own 50% fires.
    const buckets = constantBuckets(new Date(T0.getTime() - 2 * DAY), T0, 1000, 0.0006);
    const own = await makeSloWithBuckets(buckets, { window: { kind: 'rolling', days: 1 }, alertPolicy: { budgetLowShare: 0.5, absentMinutes: 120 } });
    await recordStates({ now: T0, sloIds: [own.id] });
    const fired = await eventsOf(own.id);
    expect(fired.map((e) => [e.alertKey, e.state])).toEqual([['budget_low:50', 'firing']]);

    // No budget-low alert any more: the open event resolves at the next step rather than firing for ever.
    await db().slo.update({ where: { id: own.id }, data: { alertPolicy: { budgetLowShare: null, absentMinutes: 120 } } });
    await recordStates({ now: at(1), sloIds: [own.id] });
    const resolved = await eventsOf(own.id);
    expect(resolved.map((e) => [e.alertKey, e.state, e.endedAt?.toISOString()])).toEqual([['budget_low:50', 'resolved', at(1).toISOString()]]);

    // The data stops at T0: 60 minutes later the SLO's own 120-minute delay has not passed (the installation's 15 has).
    await recordStates({ now: at(60), sloIds: [own.id] });
    expect((await eventsOf(own.id)).filter((e) => e.kind === 'data_absent')).toEqual([]);
    await recordStates({ now: at(121), sloIds: [own.id] });
    expect((await eventsOf(own.id)).filter((e) => e.kind === 'data_absent').map((e) => e.state)).toEqual(['firing']);
  });
});

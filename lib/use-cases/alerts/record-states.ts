import { createHash, randomUUID } from 'node:crypto';
import { createEvents, deleteEvent, lastEventMinutes, lockRecentEvents, updateEvent, updateEvents, type AlertEventRow } from '../../db/alert-events';
import { sliceSumsMany, sumSpansMany } from '../../db/buckets';
import {
  enqueue,
  lockHeldTriggers,
  release,
  routingSnapshot,
  triggeredChannels,
  type OutboxWrite,
  type RoutingRoute,
  type RoutingSilence,
} from '../../db/notifications';
import { findStates, lockStates, upsertStates } from '../../db/slo-states';
import { listSlosForStates, toSloRecord, type SloForState, type SloRecord } from '../../db/slos';
import { transaction, type Tx } from '../../db/transaction';
import { log } from '../../log';
import { routeMatches, silenceCovers, type AlertSubject } from '../../notify/routing';
import { ALERT_DEFAULTS, AlertKind, Severity, type NotificationAction, type SloStatus } from '../../schemas/index';
import {
  alertConditions,
  budgetSpentBy,
  firingSpanStart,
  notificationAction,
  stepAlert,
  type AlertCondition,
  type Counts,
  type StoredEvent,
} from '../../slo/index';
import { EVALUATOR_ID } from '../evaluation/evaluate-slo';
import { computeSloStatuses } from '../slos/get-slo-status';
import { effectiveAlertSettings } from '../slos/slo-view';
import { alertMessage, type MessageSubject } from './alert-message';
import { notificationsQueued } from './outbox-signal';
import { overviewAnswers } from '../services/overview-cache';

const MINUTE_MS = 60_000;
/** SLOs whose states and alerts are written in one transaction. */
const CHUNK = 100;
/** How far back "the newest minute with events" is looked for; quieter SLOs count as absent. */
const LAST_EVENT_LOOKBACK_MS = 6 * 60 * MINUTE_MS;

export interface RecordRun {
  slos: number;
  /** States written in this pass (another process may have written the rest this minute). */
  written: number;
  transitions: number;
  notifications: number;
  released: number;
  failed: Array<{ service: string; slo: string; error: string }>;
  ms: number;
}

export interface RecordOptions {
  now?: Date;
  sloIds?: readonly string[];
}

/**
 * After each evaluator pass: every SLO's status as of its newest minute read is computed once and kept (slo_states),
 * its alerts are stepped (lib/slo/alert-lifecycle.ts), and each transition's notifications are written to the outbox
 * in the same transaction as the transition. Several processes may run this at once: an SLO whose state was written
 * this minute is skipped, its events are locked while they are stepped, and notifications are keyed so one
 * transition never queues twice.
 */
export async function recordStates(options: RecordOptions = {}): Promise<RecordRun> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const passMinute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const rows = await listSlosForStates(options.sloIds);
  const run: RecordRun = { slos: rows.length, written: 0, transitions: 0, notifications: 0, released: 0, failed: [], ms: 0 };
  const chunks: SloForState[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
  // Each process starts at its own chunk, so two processes mostly work on different SLOs.
  const offset = chunks.length === 0 ? 0 : createHash('sha1').update(EVALUATOR_ID).digest().readUInt32BE(0) % chunks.length;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[(i + offset) % chunks.length]!;
    try {
      await recordChunk(chunk, now, passMinute, run);
    } catch (error) {
      log.error('alerts.record_failed', { slos: chunk.length, error });
      for (const row of chunk) run.failed.push({ service: row.service.slug, slo: row.slug, error: error instanceof Error ? error.message : String(error) });
    }
  }
  run.released = await releaseEndedSilences(now).catch((error: unknown) => {
    log.error('alerts.release_failed', { error });
    return 0;
  });
  if (run.notifications > 0 || run.released > 0) notificationsQueued();
  // The overview answers from the states just written, not from a copy made before them.
  if (run.written > 0) overviewAnswers().invalidate();
  run.ms = Math.round(performance.now() - started);
  return run;
}

interface Computed {
  row: SloForState;
  record: SloRecord;
  status: SloStatus;
}

async function recordChunk(rows: SloForState[], now: Date, passMinute: Date, run: RecordRun): Promise<void> {
  const stored = await findStates(rows.map((r) => r.id));
  const todo = rows.filter((r) => !(stored.get(r.id)?.evaluatedAt && stored.get(r.id)!.evaluatedAt >= passMinute));
  if (todo.length === 0) return;
  const computed: Computed[] = [];
  const records: Array<{ row: SloForState; record: SloRecord }> = [];
  for (const row of todo) {
    try {
      records.push({ row, record: toSloRecord(row, row.service.slug) });
    } catch (error) {
      run.failed.push({ service: row.service.slug, slo: row.slug, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const statuses = await computeSloStatuses(
    records.map(({ row, record }) => ({ record, evaluation: row.evaluation })),
    { now },
  );
  for (const { row, record } of records) {
    const status = statuses.get(row.id);
    if (status instanceof Error || status === undefined)
      run.failed.push({ service: row.service.slug, slo: row.slug, error: status?.message ?? 'no status computed' });
    else computed.push({ row, record, status });
  }
  if (computed.length === 0) return;
  const lastEvents = await lastEventMinutes(
    computed.map((c) => c.row.id),
    new Date(now.getTime() - LAST_EVENT_LOOKBACK_MS),
  );

  await transaction(
    async (tx) => {
      const locked = await lockStates(
        tx,
        computed.map((c) => c.row.id),
      );
      // A state written meanwhile for a later minute, or this minute by another process, is left as it is.
      const fresh = computed.filter((c) => {
        const current = locked.get(c.row.id);
        return !current || (current.asOf.getTime() <= Date.parse(c.status.asOf) && current.evaluatedAt < passMinute);
      });
      if (fresh.length === 0) return;
      await upsertStates(
        tx,
        fresh.map((c) => ({
          sloId: c.row.id,
          asOf: new Date(c.status.asOf),
          status: c.status,
          dataState: c.status.dataState,
          budgetRemaining: c.status.errorBudget.remaining,
          firing: firingSeverity(c.status),
          evaluatedAt: passMinute,
        })),
      );
      run.written += fresh.length;
      await stepAlerts(tx, fresh, lastEvents, now, passMinute, run);
    },
    { timeout: 60_000 },
  );
}

function firingSeverity(status: SloStatus): Severity | null {
  const firing = status.alerts.filter((a) => a.firing);
  if (firing.some((a) => a.severity === 'page')) return 'page';
  return firing.length > 0 ? 'ticket' : null;
}

interface Sent {
  event: AlertEventRow;
  action: NotificationAction;
  computed: Computed;
}

async function stepAlerts(tx: Tx, fresh: Computed[], lastEvents: Map<string, Date>, now: Date, passMinute: Date, run: RecordRun): Promise<void> {
  const recent = await lockRecentEvents(
    tx,
    fresh.map((c) => c.row.id),
    new Date(now.getTime() - ALERT_DEFAULTS.reopenMinutes * MINUTE_MS - 5 * MINUTE_MS),
  );
  // The newest event per SLO and alert (rows come oldest first).
  const newest = new Map<string, AlertEventRow>();
  for (const event of recent) newest.set(`${event.sloId}|${event.alertKey}`, event);

  // Open events per SLO: one whose alert the SLO no longer has (a tier removed, the budget-low share changed) resolves.
  const open = new Map<string, AlertEventRow[]>();
  for (const event of newest.values()) if (event.state !== 'resolved') open.set(event.sloId, [...(open.get(event.sloId) ?? []), event]);
  const sends: Sent[] = [];
  const repeats: Sent[] = [];
  const heldUpdates: Parameters<typeof updateEvents>[1][number][] = [];
  const creates: AlertEventRow[] = [];
  // Firing events per SLO, kind and severity after this step: PagerDuty resolves an incident only when the last goes.
  const firingGroups = new Set<string>();
  const reopenMinutes = ALERT_DEFAULTS.reopenMinutes;
  // Every SLO's conditions first, so what the chunk's firing events spent is read in one go before they are stepped.
  const plans = fresh.map((computed) => {
    const { row, status } = computed;
    const conditions = alertConditions(
      {
        alerts: status.alerts,
        budgetRemaining: status.errorBudget.remaining,
        provisional: status.provisional,
        hadData: status.dataSince !== null,
        lastEventAt: lastEvents.get(row.id) ?? null,
        staleSince: row.evaluation?.staleSince ?? null,
        now: passMinute,
      },
      effectiveAlertSettings(computed.record),
    );
    const keys = new Set(conditions.map((c) => c.alertKey));
    for (const event of open.get(row.id) ?? []) if (!keys.has(event.alertKey)) conditions.push(retired(event));
    const asOf = new Date(status.asOf);
    const steps = conditions.map((condition) => {
      const previous = newest.get(`${row.id}|${condition.alertKey}`) ?? null;
      // Absence is judged against the clock: a source that stopped does not move its asOf.
      const at = condition.kind === 'data_absent' ? passMinute : asOf;
      return { condition, previous, stored: previous && toStored(previous), at };
    });
    return { computed, steps };
  });
  const spent = await budgetSpentWhileFiring(
    tx,
    plans.flatMap(({ computed, steps }) =>
      steps.flatMap(({ condition, stored, at }) => {
        const from = firingSpanStart(stored, condition, { asOf: at, reopenMinutes });
        return stored && from ? [{ computed, eventId: stored.id, from }] : [];
      }),
    ),
  );
  for (const { computed, steps } of plans) {
    const { row, status } = computed;
    for (const { condition, previous, stored, at } of steps) {
      const step = stepAlert(stored, condition, {
        asOf: at,
        budgetRemaining: status.errorBudget.remaining,
        budgetSpent: stored ? (spent.get(stored.id) ?? null) : null,
        reopenMinutes,
      });
      let event: AlertEventRow | null = previous;
      const write = step.write;
      if (write?.op === 'create') {
        // Inserted with the others in one statement once every SLO of the chunk is stepped.
        event = {
          ...write.event,
          id: randomUUID(),
          sloId: row.id,
          serviceId: row.service.id,
          kind: condition.kind,
          severity: condition.severity,
          alertKey: condition.alertKey,
          details: condition.details as AlertEventRow['details'],
          budgetAtEnd: null,
          createdAt: now,
          updatedAt: now,
        };
        creates.push(event);
      } else if (write?.op === 'update') {
        const details = { ...(previous?.details as Record<string, unknown>), ...condition.details };
        const budgetAtEnd = write.event.state === 'resolved' ? status.errorBudget.remaining : null;
        if (step.transition === 'held_firing' || step.transition === 'none') {
          // Written with the others in one statement; the message of a re-send reads it as it is now.
          const update = { ...write.event, id: write.id, details, budgetAtEnd };
          heldUpdates.push(update);
          event = { ...previous!, ...update, details: details as AlertEventRow['details'], updatedAt: now };
        } else event = await updateEvent(tx, write.id, { ...write.event, details, budgetAtEnd });
      } else if (write?.op === 'delete') {
        await deleteEvent(tx, write.id);
        event = null;
      }
      if (step.transition !== 'none' && step.transition !== 'held_firing') run.transitions++;
      if (event?.state === 'firing') firingGroups.add(`${row.id}|${event.kind}|${event.severity}`);
      const action = notificationAction(step.transition);
      if (event && action) sends.push({ event, action, computed });
      else if (event && step.transition === 'held_firing') repeats.push({ event, action: 'repeat', computed });
    }
  }
  await createEvents(tx, creates);
  await updateEvents(tx, heldUpdates);
  if (sends.length === 0 && repeats.length === 0) return;
  const routing = await routingSnapshot(tx, now);
  if (routing.routes.length === 0) return;
  const triggered = await triggeredChannels(
    tx,
    sends.filter((s) => s.action === 'resolve').map((s) => s.event.id),
  );
  const outbox: OutboxWrite[] = [];
  const queued = new Set<string>();
  const minuteKey = passMinute.toISOString();
  for (const send of [...sends, ...repeats]) {
    const subject = subjectOf(send);
    const silenced = routing.silences.some((s) => silenceCovers(s, subject, now));
    for (const route of matchingRoutes(routing.routes, subject)) {
      const channel = route.channel;
      if (send.action === 'repeat') {
        // Alertmanager forgets an alert that is not re-sent (Prometheus re-sends every minute); nothing else repeats.
        if (channel.kind !== 'alertmanager' || silenced) continue;
      } else if (send.action === 'resolve') {
        // Only channels that heard the trigger hear the resolution; a PagerDuty incident stays open while another
        // tier of the same severity still fires.
        if (!triggered.get(send.event.id)?.has(channel.id)) continue;
        if (channel.kind === 'pagerduty' && firingGroups.has(`${send.event.sloId}|${send.event.kind}|${send.event.severity}`)) continue;
      }
      const idempotencyKey = `${send.event.id}:${channel.id}:${send.action}:${minuteKey}`;
      if (queued.has(idempotencyKey)) continue;
      queued.add(idempotencyKey);
      outbox.push({
        idempotencyKey,
        alertEventId: send.event.id,
        channelId: channel.id,
        action: send.action,
        payload: alertMessage({ event: send.event, status: send.computed.status, action: send.action, subject: messageSubject(send.computed), idempotencyKey }),
        status: silenced && send.action === 'trigger' ? 'held' : 'pending',
      });
    }
  }
  run.notifications += await enqueue(tx, outbox);
}

/**
 * "Budget spent while firing" of the events a step continues (firingSpanStart): their bad events (timeslices: bad
 * slices) from their start to the status's asOf, faulty minutes left out as the status leaves them, over the
 * allowance its consumed divides by (budgetSpentBy). One statement per budgeting method for the chunk, in `tx`.
 */
async function budgetSpentWhileFiring(tx: Tx, spans: ReadonlyArray<{ computed: Computed; eventId: string; from: Date }>): Promise<Map<string, number | null>> {
  const bySlo = new Map<string, { computed: Computed; spans: Array<{ key: string; from: Date; to: Date }> }>();
  for (const { computed, eventId, from } of spans) {
    const to = new Date(computed.status.asOf);
    // An absent alert may start at the pass's minute, after its data's asOf: nothing spent since.
    const span = { key: eventId, from: from < to ? from : to, to };
    const group = bySlo.get(computed.row.id);
    if (group) group.spans.push(span);
    else bySlo.set(computed.row.id, { computed, spans: [span] });
  }
  const groups = [...bySlo.values()];
  const events = await sumSpansMany(
    groups.filter((g) => g.computed.record.budgeting.method === 'occurrences').map((g) => ({ sloId: g.computed.row.id, spans: g.spans })),
    tx,
  );
  const slices = await sliceSumsMany(
    groups.flatMap((g) => {
      const budgeting = g.computed.record.budgeting;
      return budgeting.method === 'timeslices' ? [{ sloId: g.computed.row.id, budgeting, spans: g.spans }] : [];
    }),
    tx,
  );
  const out = new Map<string, number | null>();
  for (const { computed, spans: sloSpans } of groups) {
    const { row, record, status } = computed;
    const timesliced = record.budgeting.method === 'timeslices';
    const window: Counts = timesliced ? (status.slices ?? { good: 0, total: 0 }) : { good: status.good, total: status.total };
    for (const span of sloSpans) {
      const counts = (timesliced ? slices : events).get(row.id)?.get(span.key);
      out.set(span.key, counts ? budgetSpentBy(counts, window, record.objective) : null);
    }
  }
  return out;
}

/** An alert the SLO no longer has, as a condition that no longer holds: its open event resolves (or, pending, goes). */
function retired(event: AlertEventRow): AlertCondition {
  return {
    alertKey: event.alertKey,
    kind: AlertKind.parse(event.kind),
    severity: Severity.parse(event.severity),
    active: false,
    forMinutes: 0,
    burnRate: null,
    details: {},
  };
}

function subjectOf(send: Sent): AlertSubject {
  const { row, record } = send.computed;
  return {
    team: row.service.ownerTeam,
    service: row.service.slug,
    slo: row.slug,
    severity: send.event.severity as Severity,
    kind: send.event.kind as AlertKind,
    labels: record.labels,
  };
}

/** One route per channel: two routes to the same channel send one notification. */
function matchingRoutes(routes: readonly RoutingRoute[], subject: AlertSubject): RoutingRoute[] {
  const byChannel = new Map<string, RoutingRoute>();
  for (const route of routes) if (routeMatches(route, subject) && !byChannel.has(route.channel.id)) byChannel.set(route.channel.id, route);
  return [...byChannel.values()];
}

function messageSubject({ row, record }: Computed): MessageSubject {
  return {
    service: {
      slug: row.service.slug,
      name: row.service.name,
      ownerTeam: row.service.ownerTeam,
      runbookUrl: row.service.runbookUrl,
      dashboardUrl: row.service.dashboardUrl,
    },
    slo: { slug: row.slug, name: row.name, objective: row.objective, labels: record.labels },
  };
}

function toStored(row: AlertEventRow): StoredEvent {
  return {
    id: row.id,
    state: row.state as StoredEvent['state'],
    pendingSince: row.pendingSince,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    lastFiringAt: row.lastFiringAt,
    peakBurnRate: row.peakBurnRate,
    budgetAtStart: row.budgetAtStart,
    budgetSpent: row.budgetSpent,
  };
}

/** Triggers held by a silence that has ended, for alerts still firing, go out now. */
async function releaseEndedSilences(now: Date): Promise<number> {
  return transaction(async (tx) => {
    const held = await lockHeldTriggers(tx);
    if (held.length === 0) return 0;
    const { silences } = await routingSnapshot(tx, now);
    const stillSilenced = (h: { team: string; service: string; slo: string }) => silences.some((s: RoutingSilence) => silenceCovers(s, h, now));
    return release(
      tx,
      held.filter((h) => !stillSilenced(h)).map((h) => h.id),
    );
  });
}

import type { AlertKind, Severity } from '../schemas/index';

// An alert's life from one evaluation to the next (docs/slo-math.md, "Alert lifecycle"): pure, so the live
// evaluator and any replay of history step through exactly the same states.

const MINUTE_MS = 60_000;

/** One alert condition of one SLO as of an evaluation: a burn-rate tier, the data going absent, a low budget. */
export interface AlertCondition {
  alertKey: string;
  kind: AlertKind;
  severity: Severity;
  /** The condition holds as of this evaluation. */
  active: boolean;
  /** Minutes it must hold before the alert fires (a tier's `for`); 0: at once. */
  forMinutes: number;
  /** The burn rate that makes it hold (burn_rate: the long window's), for the event's peak; null for other kinds. */
  burnRate: number | null;
  /** What the condition is, kept on the event (windows and threshold, the share, stale since). */
  details: Record<string, unknown>;
}

/** The newest event of an SLO's alert as stored. */
export interface StoredEvent {
  id: string;
  state: 'pending' | 'firing' | 'resolved';
  pendingSince: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  lastFiringAt: Date | null;
  peakBurnRate: number | null;
  budgetAtStart: number | null;
  budgetSpent: number | null;
}

/** What became of the alert: a notification goes out on fired, reopened and resolved. */
export type Transition = 'pending' | 'fired' | 'reopened' | 'held_firing' | 'resolved' | 'cancelled' | 'none';

export interface AlertStep {
  transition: Transition;
  /** The event to write: `create` a new one, `update` the stored one, `delete` a pending one that never fired, or nothing. */
  write: { op: 'create'; event: Omit<StoredEvent, 'id'> } | { op: 'update'; id: string; event: Omit<StoredEvent, 'id'> } | { op: 'delete'; id: string } | null;
}

export interface StepContext {
  asOf: Date;
  /** The SLO's budget left now (share of the whole budget), kept as a firing event's budget at start. */
  budgetRemaining: number | null;
  /**
   * "Budget spent while firing": what the stored event's span, from firingSpanStart to the status's asOf, spent of
   * the whole budget (budgetSpentBy), read by the caller from the buckets; null without data: the stored figure stands.
   */
  budgetSpent: number | null;
  /** A resolved event that fires again within this many minutes continues (ALERT_DEFAULTS.reopenMinutes). */
  reopenMinutes: number;
}

/**
 * The next state of one alert: pending while its condition has held for less than its `for`, firing from then
 * until the condition stops holding (resolved), and a resolved event that fires again within the reopen grace
 * continues rather than starting a new one. A pending condition that stops before its `for` leaves no event.
 */
export function stepAlert(stored: StoredEvent | null, condition: AlertCondition, context: StepContext): AlertStep {
  const { asOf, budgetRemaining } = context;
  const forMs = condition.forMinutes * MINUTE_MS;
  const peak = (previous: number | null) =>
    condition.burnRate === null ? previous : previous === null ? condition.burnRate : Math.max(previous, condition.burnRate);
  // Counted from the buckets, not as the budget at start minus the budget now: in a rolling window old bad events
  // leave while the alert fires, so the budget left may hardly fall (or rise) while the incident spends a lot.
  const spent = (previous: number | null) => context.budgetSpent ?? previous;

  const fresh = (): AlertStep => {
    if (!condition.active) return { transition: 'none', write: null };
    if (forMs > 0)
      return {
        transition: 'pending',
        write: {
          op: 'create',
          event: {
            state: 'pending',
            pendingSince: asOf,
            startedAt: null,
            endedAt: null,
            lastFiringAt: null,
            peakBurnRate: peak(null),
            budgetAtStart: null,
            budgetSpent: null,
          },
        },
      };
    return {
      transition: 'fired',
      write: {
        op: 'create',
        event: {
          state: 'firing',
          pendingSince: null,
          startedAt: asOf,
          endedAt: null,
          lastFiringAt: asOf,
          peakBurnRate: peak(null),
          budgetAtStart: budgetRemaining,
          budgetSpent: budgetRemaining === null ? null : 0,
        },
      },
    };
  };

  if (stored === null) return fresh();
  const { id } = stored;
  switch (stored.state) {
    case 'pending': {
      if (!condition.active) return { transition: 'cancelled', write: { op: 'delete', id } };
      const since = stored.pendingSince ?? asOf;
      if (asOf.getTime() - since.getTime() < forMs)
        return { transition: 'none', write: { op: 'update', id, event: { ...stored, peakBurnRate: peak(stored.peakBurnRate) } } };
      return {
        transition: 'fired',
        write: {
          op: 'update',
          id,
          event: {
            ...stored,
            state: 'firing',
            startedAt: asOf,
            lastFiringAt: asOf,
            peakBurnRate: peak(stored.peakBurnRate),
            budgetAtStart: budgetRemaining,
            budgetSpent: budgetRemaining === null ? null : 0,
          },
        },
      };
    }
    case 'firing': {
      if (condition.active)
        return {
          transition: 'held_firing',
          write: {
            op: 'update',
            id,
            event: { ...stored, lastFiringAt: asOf, peakBurnRate: peak(stored.peakBurnRate), budgetSpent: spent(stored.budgetSpent) },
          },
        };
      return {
        transition: 'resolved',
        write: { op: 'update', id, event: { ...stored, state: 'resolved', endedAt: asOf, budgetSpent: spent(stored.budgetSpent) } },
      };
    }
    case 'resolved': {
      if (!condition.active) return { transition: 'none', write: null };
      if (reopens(stored, context))
        return {
          transition: 'reopened',
          write: {
            op: 'update',
            id,
            event: {
              ...stored,
              state: 'firing',
              endedAt: null,
              lastFiringAt: asOf,
              peakBurnRate: peak(stored.peakBurnRate),
              budgetSpent: spent(stored.budgetSpent),
            },
          },
        };
      return fresh();
    }
  }
}

/** A resolved event whose condition holds again within the reopen grace continues, from its original start. */
function reopens(stored: StoredEvent, { asOf, reopenMinutes }: Pick<StepContext, 'asOf' | 'reopenMinutes'>): boolean {
  const endedAt = stored.endedAt ?? asOf;
  return stored.state === 'resolved' && stored.startedAt !== null && asOf.getTime() - endedAt.getTime() <= reopenMinutes * MINUTE_MS;
}

/**
 * Where the span whose budget this step records as spent starts: the stored event's startedAt when it holds firing,
 * resolves or reopens; null when the step records none from the buckets (a new or pending event has spent nothing).
 * A reopened event keeps counting from its original startedAt, the quiet minutes between resolution and reopening
 * included: one incident, one figure.
 */
export function firingSpanStart(stored: StoredEvent | null, condition: AlertCondition, context: Pick<StepContext, 'asOf' | 'reopenMinutes'>): Date | null {
  if (stored === null || stored.startedAt === null) return null;
  if (stored.state === 'firing' || (condition.active && reopens(stored, context))) return stored.startedAt;
  return null;
}

/** The notification a transition sends, if any. */
export function notificationAction(transition: Transition): 'trigger' | 'resolve' | null {
  if (transition === 'fired' || transition === 'reopened') return 'trigger';
  if (transition === 'resolved') return 'resolve';
  return null;
}

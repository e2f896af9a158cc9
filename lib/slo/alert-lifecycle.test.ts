import { describe, expect, it } from 'vitest';
import { firingSpanStart, notificationAction, stepAlert, type AlertCondition, type StoredEvent } from './alert-lifecycle';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));
const condition = (active: boolean, extra: Partial<AlertCondition> = {}): AlertCondition => ({
  alertKey: 'burn_rate:page:1h/5m',
  kind: 'burn_rate',
  severity: 'page',
  active,
  forMinutes: 0,
  burnRate: active ? 20 : null,
  details: {},
  ...extra,
});
const context = (minute: number, budgetRemaining: number | null = 0.8, budgetSpent: number | null = null) => ({
  asOf: at(minute),
  budgetRemaining,
  budgetSpent,
  reopenMinutes: 30,
});

/**
 * Steps an alert through conditions minute by minute, as the evaluator does, and lists the transitions; `spent` is
 * what the caller read from the buckets for the event's firing span, when the step needs one.
 */
function run(steps: Array<[minute: number, active: boolean, budget?: number, burn?: number, spent?: number]>, forMinutes = 0) {
  let stored: StoredEvent | null = null;
  const transitions: string[] = [];
  let ids = 0;
  for (const [minute, active, budget = 0.8, burn, spent = null] of steps) {
    const step = stepAlert(stored, condition(active, { forMinutes, burnRate: active ? (burn ?? 20) : null }), context(minute, budget, spent));
    transitions.push(`${minute}:${step.transition}`);
    const write = step.write;
    if (write?.op === 'create') stored = { id: `e${++ids}`, ...write.event };
    else if (write?.op === 'update') stored = { id: write.id, ...write.event };
    else if (write?.op === 'delete') stored = null;
  }
  return { transitions, stored, events: ids };
}

describe('stepAlert', () => {
  it('fires at once without a for, holds, and resolves with the budget spent and the peak burn', () => {
    const { transitions, stored } = run([
      [0, true, 0.8, 20],
      [1, true, 0.7, 35, 0.1],
      [2, true, 0.6, 25, 0.2],
      [3, false, 0.55, undefined, 0.25],
    ]);
    expect(transitions).toEqual(['0:fired', '1:held_firing', '2:held_firing', '3:resolved']);
    expect(stored).toMatchObject({ state: 'resolved', startedAt: at(0), endedAt: at(3), lastFiringAt: at(2), peakBurnRate: 35, budgetAtStart: 0.8 });
    expect(stored!.budgetSpent).toBeCloseTo(0.25, 10);
  });

  it('records what the firing span spent even while the budget left rises (old bad events leaving a rolling window)', () => {
    const { stored } = run([
      [0, true, 0.5],
      [1, true, 0.55, 20, 0.05],
      [2, false, 0.6, undefined, 0.1],
    ]);
    // The budget at start minus the budget now would say nothing was spent.
    expect(stored).toMatchObject({ state: 'resolved', budgetAtStart: 0.5 });
    expect(stored!.budgetSpent).toBeCloseTo(0.1, 10);
  });

  it('keeps the spent figure it had when a minute brings none (no data)', () => {
    const { stored } = run([
      [0, true],
      [1, true, 0.7, 20, 0.3],
      [2, true, 0.7, 20],
    ]);
    expect(stored!.budgetSpent).toBeCloseTo(0.3, 10);
  });

  it('waits out a for of 3 minutes: pending, then firing from the minute it has held 3 minutes', () => {
    const { transitions, stored } = run(
      [
        [0, true],
        [1, true],
        [2, true],
        [3, true],
        [4, true],
      ],
      3,
    );
    expect(transitions).toEqual(['0:pending', '1:none', '2:none', '3:fired', '4:held_firing']);
    expect(stored).toMatchObject({ state: 'firing', pendingSince: at(0), startedAt: at(3) });
  });

  it('forgets a pending alert whose condition stops before its for', () => {
    const { transitions, stored, events } = run(
      [
        [0, true],
        [1, true],
        [2, false],
        [3, false],
      ],
      5,
    );
    expect(transitions).toEqual(['0:pending', '1:none', '2:cancelled', '3:none']);
    expect(stored).toBeNull();
    expect(events).toBe(1);
  });

  it('continues the same event when it fires again within the reopen grace (30 min)', () => {
    const { transitions, stored, events } = run([
      [0, true],
      [1, false],
      [31, true],
    ]);
    expect(transitions).toEqual(['0:fired', '1:resolved', '31:reopened']);
    expect(events).toBe(1);
    expect(stored).toMatchObject({ id: 'e1', state: 'firing', startedAt: at(0), endedAt: null });
  });

  it('a reopened event records what it spent since its original start', () => {
    const { stored } = run([
      [0, true],
      [1, false, 0.8, undefined, 0.05],
      [31, true, 0.8, 20, 0.12],
    ]);
    expect(stored).toMatchObject({ state: 'firing', startedAt: at(0), budgetSpent: 0.12 });
  });

  it('starts a new event when it fires again after the grace', () => {
    const { transitions, stored, events } = run([
      [0, true],
      [1, false],
      [32, true],
    ]);
    expect(transitions).toEqual(['0:fired', '1:resolved', '32:fired']);
    expect(events).toBe(2);
    expect(stored).toMatchObject({ id: 'e2', startedAt: at(32) });
  });

  it('keeps quiet while nothing holds', () => {
    expect(
      run([
        [0, false],
        [1, false],
      ]).transitions,
    ).toEqual(['0:none', '1:none']);
  });

  it('leaves budget spent unknown without a budget figure', () => {
    const { stored } = run([
      [0, true, null as unknown as number],
      [1, false, 0.5],
    ]);
    expect(stored).toMatchObject({ budgetAtStart: null, budgetSpent: null });
  });
});

describe('firingSpanStart', () => {
  const event = (state: StoredEvent['state'], extra: Partial<StoredEvent> = {}): StoredEvent => ({
    id: 'e1',
    state,
    pendingSince: null,
    startedAt: state === 'pending' ? null : at(0),
    endedAt: state === 'resolved' ? at(10) : null,
    lastFiringAt: null,
    peakBurnRate: null,
    budgetAtStart: null,
    budgetSpent: null,
    ...extra,
  });
  it.each([
    ['no event yet', null, true, 20, null],
    ['a pending event', event('pending', { pendingSince: at(0) }), true, 20, null],
    ['a firing event that holds', event('firing'), true, 20, at(0)],
    ['a firing event that resolves', event('firing'), false, 20, at(0)],
    ['a resolved event that reopens (its original start)', event('resolved'), true, 40, at(0)],
    ['a resolved event past the grace (a new event)', event('resolved'), true, 41, null],
    ['a resolved event that stays quiet', event('resolved'), false, 20, null],
  ])('%s', (_, stored, active, minute, want) => {
    expect(firingSpanStart(stored, condition(active), { asOf: at(minute), reopenMinutes: 30 })).toEqual(want);
  });
});

describe('notificationAction', () => {
  it.each([
    ['fired', 'trigger'],
    ['reopened', 'trigger'],
    ['resolved', 'resolve'],
    ['pending', null],
    ['held_firing', null],
    ['cancelled', null],
    ['none', null],
  ] as const)('%s sends %s', (transition, action) => {
    expect(notificationAction(transition)).toBe(action);
  });
});

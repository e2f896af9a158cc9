import { describe, expect, test } from 'vitest';
import type { AlertEvent } from '@/lib/schemas';
import { alertDurationMs, byUrgency, describeAlertKind, formatAgo, formatDuration } from './alerts';

function event(overrides: Partial<AlertEvent>): AlertEvent {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    service: 'checkout',
    slo: 'availability',
    sloName: 'Availability',
    team: 'payments',
    kind: 'burn_rate',
    severity: 'page',
    alertKey: 'burn_rate:page:1h/5m',
    state: 'firing',
    pendingSince: null,
    startedAt: '2026-12-07T10:00:00.000Z',
    endedAt: null,
    lastFiringAt: null,
    peakBurnRate: null,
    budgetAtStart: null,
    budgetSpent: null,
    details: {},
    silenced: false,
    ...overrides,
  };
}

describe('describeAlertKind', () => {
  test.each([
    ['burn_rate', { longWindow: '1h', shortWindow: '5m', threshold: 14.4, longBurnRate: 20 }, 'Burn rate 1h/5m above 14.4×'],
    ['burn_rate', { longWindow: '3d', shortWindow: '6h', threshold: 1 }, 'Burn rate 3d/6h above 1×'],
    ['burn_rate', {}, 'Burn rate'],
    ['data_absent', { afterMinutes: 15, lastEventAt: null }, 'No data for 15 min'],
    ['data_absent', { afterMinutes: 'x' }, 'No data'],
    ['budget_low', { share: 0.25, budgetRemaining: 0.2 }, 'Budget below 25%'],
    ['budget_low', { share: 0.125 }, 'Budget below 12.5%'],
    ['budget_low', { share: null }, 'Budget low'],
  ] as const)('%s %j -> %s', (kind, details, want) => {
    expect(describeAlertKind({ kind, details })).toBe(want);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0 s'],
    [42_000, '42 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [12 * 60_000 + 59_000, '12 min'],
    [3_600_000, '1 h'],
    [3_900_000, '1 h 5 min'],
    [86_400_000, '1 d'],
    [2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000, '2 d 3 h'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d ms -> %s', (ms, want) => expect(formatDuration(ms)).toBe(want));
});

describe('formatAgo', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  test.each([
    ['2026-12-07T11:59:30Z', 'just now'],
    ['2026-12-07T11:48:00Z', '12 min ago'],
    ['2026-12-07T10:55:00Z', '1 h 5 min ago'],
  ])('%s -> %s', (iso, want) => expect(formatAgo(iso, now)).toBe(want));
});

describe('alertDurationMs', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  test('an open event lasts until now, a resolved one until its end, a pending one from when it first held', () => {
    expect(alertDurationMs(event({}), now)).toBe(2 * 3_600_000);
    expect(alertDurationMs(event({ endedAt: '2026-12-07T10:30:00.000Z', state: 'resolved' }), now)).toBe(30 * 60_000);
    expect(alertDurationMs(event({ startedAt: null, pendingSince: '2026-12-07T11:55:00.000Z', state: 'pending' }), now)).toBe(5 * 60_000);
    expect(alertDurationMs(event({ startedAt: null, pendingSince: null }), now)).toBeNull();
  });
});

describe('byUrgency', () => {
  test('firing before pending, pages before tickets, then the oldest first', () => {
    const events = [
      event({ id: 'pending-page', state: 'pending', startedAt: null, pendingSince: '2026-12-07T09:00:00.000Z' }),
      event({ id: 'ticket-old', severity: 'ticket', startedAt: '2026-12-07T08:00:00.000Z' }),
      event({ id: 'page-new', startedAt: '2026-12-07T11:00:00.000Z' }),
      event({ id: 'page-old', startedAt: '2026-12-07T09:00:00.000Z' }),
    ];
    expect([...events].sort(byUrgency).map((e) => e.id)).toEqual(['page-old', 'page-new', 'ticket-old', 'pending-page']);
  });
});

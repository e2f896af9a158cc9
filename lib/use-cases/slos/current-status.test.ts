import { describe, expect, test } from 'vitest';
import { buildSloStatus } from '@/test/slo-status';
import { chooseStatus, refreshUnread } from './current-status';

const changed = new Date('2026-12-07T10:00:00Z');
const written = new Date('2026-12-07T12:00:30Z');
const stored = buildSloStatus({ service: 'checkout', slo: 'availability', asOf: new Date('2026-12-07T12:00:00Z'), budgetRemaining: 0.42 });

describe('chooseStatus: the stored status, or why the SLO is computed live', () => {
  test.each([
    ['a valid state, nothing more asked', { state: { status: stored, updatedAt: written }, options: {} }, null],
    ['windows the state has', { state: { status: stored, updatedAt: written }, options: { extraBurnWindows: ['1h', '3d'] } }, null],
    ['?at= asked', { state: { status: stored, updatedAt: written }, options: { at: new Date('2026-12-01T00:00:00Z') } }, 'at'],
    ['no state (never evaluated)', { state: undefined, options: {} }, 'no_state'],
    ['a window the state lacks', { state: { status: stored, updatedAt: written }, options: { extraBurnWindows: ['1h', '2h'] } }, 'windows'],
    ['a state written before the SLO changed', { state: { status: stored, updatedAt: new Date('2026-12-07T09:59:59Z') }, options: {} }, 'changed'],
    ['a state that fails the schema', { state: { status: { ...stored, burnRates: 'fast' }, updatedAt: written }, options: {} }, 'invalid'],
    ['not even an object', { state: { status: null, updatedAt: written }, options: {} }, 'invalid'],
  ])('%s', (_name, { state, options }, live) => {
    const choice = chooseStatus({ updatedAt: changed }, state, options);
    expect(choice.live).toBe(live);
    if (live === null) expect(choice.status).toEqual(stored);
    else expect(choice.status).toBeNull();
  });
});

describe('refreshUnread: the minutes since the stored asOf', () => {
  test('none in the minute it is as of', () => {
    expect(refreshUnread(stored, new Date('2026-12-07T12:00:59Z')).unread).toBeNull();
  });
  test('from asOf to the last whole minute later', () => {
    const refreshed = refreshUnread(stored, new Date('2026-12-07T12:03:20Z'));
    expect(refreshed.unread).toEqual({ from: '2026-12-07T12:00:00.000Z', to: '2026-12-07T12:03:00.000Z' });
    expect(refreshed.asOf).toBe(stored.asOf);
    expect(refreshed.errorBudget.remaining).toBe(0.42);
  });
});

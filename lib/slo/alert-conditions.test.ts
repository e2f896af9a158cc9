import { describe, expect, it } from 'vitest';
import { alertConditions, burnAlertKey, type ConditionInput } from './alert-conditions';

const now = new Date('2026-12-07T10:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const tier = {
  severity: 'page' as const,
  longWindow: '60m',
  shortWindow: '5m',
  threshold: 14.4,
  longBurnRate: 20,
  shortBurnRate: 30,
  longEvents: 5000,
  guarded: false,
  firing: true,
  for: '2m',
};
const base: ConditionInput = { alerts: [tier], budgetRemaining: 0.5, provisional: false, hadData: true, lastEventAt: minutesAgo(1), staleSince: null, now };
const byKind = (input: Partial<ConditionInput>) => Object.fromEntries(alertConditions({ ...base, ...input }).map((c) => [c.kind, c]));

describe('alertConditions', () => {
  it('keys a tier by severity and canonical windows, with its for and long burn rate', () => {
    expect(burnAlertKey(tier)).toBe('burn_rate:page:1h/5m');
    expect(byKind({}).burn_rate).toMatchObject({ alertKey: 'burn_rate:page:1h/5m', active: true, forMinutes: 2, burnRate: 20, severity: 'page' });
  });

  it.each([
    ['events a minute ago', { lastEventAt: minutesAgo(1) }, false],
    ['no events for 14 minutes', { lastEventAt: minutesAgo(14) }, false],
    ['no events for 15 minutes', { lastEventAt: minutesAgo(15) }, true],
    ['no events lately at all', { lastEventAt: null }, true],
    ['never had data', { lastEventAt: null, hadData: false }, false],
    ['the source failing for 20 minutes', { staleSince: minutesAgo(20) }, true],
    ['the source failing for 5 minutes', { staleSince: minutesAgo(5) }, false],
  ])('data absent: %s -> %s', (_name, input, active) => {
    expect(byKind(input).data_absent!.active).toBe(active);
  });

  it.each([
    ['half the budget left', { budgetRemaining: 0.5 }, false],
    ['a quarter left (not below)', { budgetRemaining: 0.25 }, false],
    ['a fifth left', { budgetRemaining: 0.2 }, true],
    ['overspent', { budgetRemaining: -0.3 }, true],
    ['provisional figures', { budgetRemaining: 0.1, provisional: true }, false],
    ['no budget figure', { budgetRemaining: null }, false],
  ])('budget low: %s -> %s', (_name, input, active) => {
    expect(byKind(input).budget_low!.active).toBe(active);
  });

  it('takes a chosen share', () => {
    const low = alertConditions({ ...base, budgetRemaining: 0.4 }, { absentMinutes: 15, budgetLowShare: 0.5 }).find((c) => c.kind === 'budget_low');
    expect(low).toMatchObject({ alertKey: 'budget_low:50', active: true });
  });
});

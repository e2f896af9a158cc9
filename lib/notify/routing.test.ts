import { describe, expect, it } from 'vitest';
import { routeMatches, silenceCovers, type AlertSubject } from './routing';

const alert: AlertSubject = {
  team: 'payments',
  service: 'checkout',
  slo: 'availability',
  severity: 'page',
  kind: 'burn_rate',
  labels: { tier: '1', journey: 'pay' },
};
const route = { team: 'payments', services: [], slos: [], severities: [], kinds: [], labels: {} };

describe('routeMatches', () => {
  it.each([
    ['an empty route of the team', route, true],
    ['another team', { ...route, team: 'search' }, false],
    ['its service listed', { ...route, services: ['checkout', 'cart'] }, true],
    ['other services only', { ...route, services: ['cart'] }, false],
    ['its SLO named', { ...route, services: ['checkout'], slos: ['availability', 'latency'] }, true],
    ['other SLOs only', { ...route, services: ['checkout'], slos: ['latency'] }, false],
    ['its severity', { ...route, severities: ['page'] }, true],
    ['tickets only', { ...route, severities: ['ticket'] }, false],
    ['its kind', { ...route, kinds: ['burn_rate', 'data_absent'] }, true],
    ['budget alerts only', { ...route, kinds: ['budget_low'] }, false],
    ['a label it has', { ...route, labels: { tier: '1' } }, true],
    ['a label with another value', { ...route, labels: { tier: '2' } }, false],
    ['a label it lacks', { ...route, labels: { region: 'eu' } }, false],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(routeMatches(candidate, alert)).toBe(expected);
  });
});

describe('silenceCovers', () => {
  const startsAt = new Date('2026-12-07T10:00:00Z');
  const endsAt = new Date('2026-12-07T12:00:00Z');
  const at = new Date('2026-12-07T11:00:00Z');
  it.each([
    ['the team', { scope: 'team' as const, team: 'payments', service: null, slo: null }, at, true],
    ['another team', { scope: 'team' as const, team: 'search', service: null, slo: null }, at, false],
    ['the service', { scope: 'service' as const, team: 'payments', service: 'checkout', slo: null }, at, true],
    ['another service', { scope: 'service' as const, team: 'payments', service: 'cart', slo: null }, at, false],
    ['the SLO', { scope: 'slo' as const, team: 'payments', service: 'checkout', slo: 'availability' }, at, true],
    ['another SLO of the service', { scope: 'slo' as const, team: 'payments', service: 'checkout', slo: 'latency' }, at, false],
    ['before it starts', { scope: 'team' as const, team: 'payments', service: null, slo: null }, new Date('2026-12-07T09:59:59Z'), false],
    ['at its end (exclusive)', { scope: 'team' as const, team: 'payments', service: null, slo: null }, endsAt, false],
  ])('%s', (_name, silence, when, expected) => {
    expect(silenceCovers({ ...silence, startsAt, endsAt }, alert, when)).toBe(expected);
  });
});

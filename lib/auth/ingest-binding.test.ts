import { describe, expect, test } from 'vitest';
import { feedRefusal, ingestBindingOf, isRestricted, resourceAllowed, type IngestBinding } from './ingest-binding';
import type { TokenActor } from './permissions';

const service = (name: string, teams: string[] = [], serviceNames: string[] = []) =>
  ingestBindingOf({ id: `id-${name}`, name, tokenKind: 'service', scopes: ['ingest'], teams, owner: null, serviceNames });
const personal = (role: 'viewer' | 'editor' | 'admin', teams: string[], serviceNames: string[] = []) =>
  ingestBindingOf({
    id: 'p',
    name: 'laptop',
    tokenKind: 'personal',
    scopes: ['ingest'],
    teams: [],
    owner: { id: 'u', username: 'ann', role, teams } as TokenActor['owner'],
    serviceNames,
  });

const checkout = { team: 'payments', service: 'payments', slo: 'checkout' };
const search = { team: 'discovery', service: 'search', slo: 'availability' };

describe('ingestBindingOf', () => {
  test.each<[string, IngestBinding, { teams: 'all' | string[]; serviceNames: string[] | null; seriesKey: string; restricted: boolean }]>([
    ['a service token without teams feeds every team (as before)', service('all'), { teams: 'all', serviceNames: null, seriesKey: '', restricted: false }],
    [
      'a service token with teams feeds those',
      service('pay', ['payments', 'billing']),
      { teams: ['billing', 'payments'], serviceNames: null, seriesKey: 'billing\u0001payments', restricted: true },
    ],
    [
      'pins alone restrict, but keep the series of a token of every team',
      service('pinned', [], ['checkout']),
      { teams: 'all', serviceNames: ['checkout'], seriesKey: '', restricted: true },
    ],
    ['an admin’s personal token feeds every team', personal('admin', ['ops']), { teams: 'all', serviceNames: null, seriesKey: '', restricted: false }],
    [
      'an editor’s personal token (no ingest scope today) would feed only their teams',
      personal('editor', ['shop']),
      { teams: ['shop'], serviceNames: null, seriesKey: 'shop', restricted: true },
    ],
  ])('%s', (_, binding, want) => {
    expect(binding.teams === 'all' ? 'all' : [...binding.teams].sort()).toEqual(want.teams);
    expect(binding.serviceNames === null ? null : [...binding.serviceNames]).toEqual(want.serviceNames);
    expect(binding.seriesKey).toBe(want.seriesKey);
    expect(isRestricted(binding)).toBe(want.restricted);
  });

  test('the series key does not depend on the order teams were given in', () => {
    expect(service('a', ['b', 'a']).seriesKey).toBe(service('b', ['a', 'b']).seriesKey);
  });
});

describe('feedRefusal', () => {
  test.each<[string, IngestBinding, typeof checkout, string | undefined, string | null]>([
    ['unbound: anything', service('all'), checkout, 'anything', null],
    ['unbound: no service.name at all', service('all'), search, undefined, null],
    ['team matches', service('pay', ['payments']), checkout, 'checkout-api', null],
    [
      'team does not match',
      service('pay', ['payments']),
      search,
      'search-api',
      'token "pay" may not feed SLO search/availability (team "discovery" not in ["payments"])',
    ],
    ['pinned, name matches, any team', service('pin', [], ['checkout-api']), search, 'checkout-api', null],
    [
      'pinned, another name',
      service('pin', [], ['checkout-api']),
      checkout,
      'search-api',
      'token "pin" may not feed SLO payments/checkout (service.name "search-api" not in ["checkout-api"])',
    ],
    [
      'pinned, no service.name',
      service('pin', [], ['b', 'a']),
      checkout,
      undefined,
      'token "pin" may not feed SLO payments/checkout (the resource has no service.name; the token is pinned to ["a", "b"])',
    ],
    [
      'pinned and teams: both must hold (the pin is checked first)',
      service('both', ['payments'], ['checkout-api']),
      search,
      'search-api',
      'token "both" may not feed SLO search/availability (service.name "search-api" not in ["checkout-api"])',
    ],
    [
      'pinned and teams: name holds, team does not',
      service('both', ['payments'], ['checkout-api']),
      search,
      'checkout-api',
      'token "both" may not feed SLO search/availability (team "discovery" not in ["payments"])',
    ],
    [
      'names are quoted as JSON, and long ones cut',
      service('pin"x', [], ['a']),
      checkout,
      'z'.repeat(150),
      `token "pin\\"x" may not feed SLO payments/checkout (service.name "${'z'.repeat(100)}…" not in ["a"])`,
    ],
  ])('%s', (_, binding, slo, serviceName, want) => {
    expect(feedRefusal(binding, slo, serviceName)).toBe(want);
  });

  test.each<[string[], string | undefined, boolean]>([
    [[], undefined, true],
    [[], 'x', true],
    [['x'], 'x', true],
    [['x'], 'y', false],
    [['x'], undefined, false],
  ])('resourceAllowed(pins %j, %s) = %s', (pins, name, want) => {
    expect(resourceAllowed(service('t', [], pins), name)).toBe(want);
  });
});

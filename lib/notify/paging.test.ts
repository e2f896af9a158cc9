import { describe, expect, test } from 'vitest';
import { pagingPaths, type PagingRouteIn } from './paging';

const service = { slug: 'checkout', team: 'payments' };
const slos = [
  { slug: 'availability', labels: { tier: '1' } },
  { slug: 'latency', labels: { tier: '2' } },
];

function route(id: string, overrides: Partial<PagingRouteIn> = {}): PagingRouteIn {
  return {
    id,
    team: 'payments',
    services: [],
    slos: [],
    severities: [],
    kinds: [],
    labels: {},
    channel: { slug: id, name: id, kind: 'webhook' },
    ...overrides,
  };
}

/** "severity/kind" → "route(slos)" for every path a route takes. */
function table(routes: PagingRouteIn[]): Record<string, string[]> {
  return Object.fromEntries(
    pagingPaths(routes, service, slos).map((p) => [
      `${p.severity}/${p.kind}`,
      p.routes.map((r) => (r.slos ? `${r.route.id}(${r.slos.join(',')})` : r.route.id)),
    ]),
  );
}

describe('pagingPaths', () => {
  test('one path per severity and kind, in a fixed order', () => {
    expect(Object.keys(table([]))).toEqual([
      'page/burn_rate',
      'page/data_absent',
      'page/budget_low',
      'ticket/burn_rate',
      'ticket/data_absent',
      'ticket/budget_low',
    ]);
  });

  test.each([
    ['a catch-all route of the team takes everything', route('all'), { 'page/burn_rate': ['all'], 'ticket/budget_low': ['all'] }],
    ['another team’s route takes nothing', route('other', { team: 'search' }), { 'page/burn_rate': [], 'ticket/data_absent': [] }],
    ['pages only', route('pages', { severities: ['page'] }), { 'page/data_absent': ['pages'], 'ticket/burn_rate': [] }],
    ['burn rate only', route('burn', { kinds: ['burn_rate'] }), { 'page/burn_rate': ['burn'], 'page/budget_low': [], 'ticket/burn_rate': ['burn'] }],
    ['another service only', route('svc', { services: ['search-api'] }), { 'page/burn_rate': [] }],
    ['this service named', route('svc', { services: ['search-api', 'checkout'] }), { 'page/burn_rate': ['svc'] }],
    ['labels narrow it to the SLOs that have them', route('tier1', { labels: { tier: '1' } }), { 'page/burn_rate': ['tier1(availability)'] }],
    ['an SLO named takes that SLO only', route('one', { services: ['checkout'], slos: ['latency'] }), { 'page/burn_rate': ['one(latency)'] }],
    ['labels no SLO has take nothing', route('tier3', { labels: { tier: '3' } }), { 'page/burn_rate': [], 'ticket/burn_rate': [] }],
  ])('%s', (_, r, want) => {
    const got = table([r]);
    for (const [path, routes] of Object.entries(want)) expect(got[path], path).toEqual(routes);
  });

  test('several routes keep their order', () => {
    const got = table([route('a'), route('b', { severities: ['ticket'] }), route('c', { labels: { tier: '2' } })]);
    expect(got['page/burn_rate']).toEqual(['a', 'c(latency)']);
    expect(got['ticket/burn_rate']).toEqual(['a', 'b', 'c(latency)']);
  });
});

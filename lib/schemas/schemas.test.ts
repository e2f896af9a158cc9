import { describe, expect, test } from 'vitest';
import { durationMinutes, HttpUrl, Slug, TimeZone, Duration, Labels } from './common';
import { ServiceInput, ServicePatch } from './service';
import { AlertTier, SloInput, SloPatch, SliSpec } from './slo';
import { SeriesQuery } from './status';
import { TokenInput, TokenPatch, tokenBindingProblems } from './token';

const issues = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.map(String).join('.'), i.message]));

describe('Slug', () => {
  test.each(['a', 'checkout-api', 'v2', 'a1-b2-c3'])('accepts %s', (s) => expect(Slug.safeParse(s).success).toBe(true));
  test.each(['', 'Checkout', 'two words', '-lead', 'trail-', 'double--hyphen', 'ümlaut', 'a'.repeat(64), 'a/b'])('refuses %j', (s) =>
    expect(Slug.safeParse(s).success).toBe(false),
  );
});

describe('Duration', () => {
  test.each([
    ['5m', 5],
    ['1h', 60],
    ['3d', 4320],
    ['90m', 90],
  ])('%s is %i minutes', (d, minutes) => {
    expect(Duration.safeParse(d).success).toBe(true);
    expect(durationMinutes(d)).toBe(minutes);
  });
  test.each(['0m', '5s', '1.5h', '1 h', 'h', '', '-1h', '1w'])('refuses %j', (d) => {
    expect(Duration.safeParse(d).success).toBe(false);
    expect(durationMinutes(d)).toBeNaN();
  });
});

describe('HttpUrl', () => {
  test.each(['https://runbooks.example.com/x', 'http://localhost:3000/a?b=c'])('accepts %s', (u) => expect(HttpUrl.safeParse(u).success).toBe(true));
  test.each(['javascript:alert(1)', 'data:text/html,hi', 'ftp://x.example.com', 'not a url', '//example.com'])('refuses %s', (u) =>
    expect(HttpUrl.safeParse(u).success).toBe(false),
  );
});

describe('TimeZone', () => {
  test.each(['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/Argentina/Buenos_Aires'])('accepts %s', (z) =>
    expect(TimeZone.safeParse(z).success).toBe(true),
  );
  test.each(['Mars/Olympus', '', 'Europe/Berln'])('refuses %j', (z) => expect(TimeZone.safeParse(z).success).toBe(false));
});

describe('Labels', () => {
  test('accepts Prometheus-style names and refuses others', () => {
    expect(Labels.safeParse({ team: 'payments', cost_centre: '42' }).success).toBe(true);
    expect(Labels.safeParse({ 'bad-name': 'x' }).success).toBe(false);
    expect(Labels.safeParse(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'x']))).success).toBe(false);
  });
});

describe('ServiceInput', () => {
  test('fills defaults and drops empty links', () => {
    const parsed = ServiceInput.parse({ slug: 'orders', name: ' Orders ', ownerTeam: 'shop', tier: 2, links: { runbook: '' } });
    expect(parsed).toEqual({ slug: 'orders', name: 'Orders', ownerTeam: 'shop', tier: 2, description: '', links: { runbook: undefined } });
  });
  test('names every failing field', () => {
    const result = ServiceInput.safeParse({ slug: 'Bad Slug', name: '', ownerTeam: '', tier: 0, links: { dashboard: 'javascript:x' } });
    expect(Object.keys(issues(result)).sort()).toEqual(['links.dashboard', 'name', 'ownerTeam', 'slug', 'tier']);
  });
  test('a patch needs at least one field and refuses unknown ones', () => {
    expect(ServicePatch.safeParse({}).success).toBe(false);
    expect(ServicePatch.safeParse({ tier: 3 }).success).toBe(true);
    expect(ServicePatch.safeParse({ owner: 'x' }).success).toBe(false);
  });
});

describe('SloInput', () => {
  const base = { slug: 'availability', name: 'Availability', objective: 0.999, sli: { source: 'demo', profile: 'availability' } };

  test('defaults: 30-day rolling window, occurrences, default alert policy, demo traffic', () => {
    const parsed = SloInput.parse(base);
    expect(parsed.window).toEqual({ kind: 'rolling', days: 30 });
    expect(parsed.budgeting).toEqual({ method: 'occurrences' });
    expect(parsed.alertPolicy).toBeNull();
    expect(parsed.labels).toEqual({});
    expect(parsed.sli).toEqual({ source: 'demo', profile: 'availability', eventsPerMinute: 600, baselineErrorRatio: 0.0003, seed: 'umpire' });
  });

  test.each([
    [{ objective: 0 }, 'objective'],
    [{ objective: 1 }, 'objective'],
    [{ objective: 99.9 }, 'objective'],
    [{ objective: '0.999' }, 'objective'],
    [{ window: { kind: 'rolling', days: 0 } }, 'window.days'],
    [{ window: { kind: 'rolling', days: 7.5 } }, 'window.days'],
    [{ window: { kind: 'calendar', unit: 'year', timeZone: 'UTC' } }, 'window.unit'],
    [{ window: { kind: 'sliding', days: 7 } }, 'window.kind'],
    [{ budgeting: { method: 'timeslices', sliceMinutes: 0, threshold: 0.9 } }, 'budgeting.sliceMinutes'],
    [{ sli: { source: 'demo', profile: 'throughput' } }, 'sli.profile'],
    [{ alertPolicy: { tiers: [] } }, 'alertPolicy.tiers'],
    [{ labels: { 'has space': 'x' } }, 'labels.has space'],
  ])('refuses %j on %s', (change, field) => {
    expect(Object.keys(issues(SloInput.safeParse({ ...base, ...change })))).toContain(field);
  });

  test('a patch may set alertPolicy to null to restore the default', () => {
    expect(SloPatch.parse({ alertPolicy: null })).toEqual({ alertPolicy: null });
  });

  test('the SLI union is keyed by source', () => {
    expect(SliSpec.safeParse({ source: 'prometheus' }).success).toBe(false);
  });

  test('an alert tier needs its short window shorter than its long one', () => {
    expect(AlertTier.safeParse({ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }).success).toBe(true);
    expect(issues(AlertTier.safeParse({ severity: 'page', longWindow: '1h', shortWindow: '60m', burnRate: 14.4 }))).toHaveProperty('shortWindow');
    expect(issues(AlertTier.safeParse({ severity: 'page', longWindow: '91d', shortWindow: '1d', burnRate: 1 }))).toHaveProperty('longWindow');
  });
});

describe('SeriesQuery', () => {
  test.each([
    [{ from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z', step: '1h' }, Date.parse('2026-11-25T00:00:00Z'), 3600],
    [{ from: '1764028800', to: '1764115200', step: '300' }, 1764028800000, 300],
    [{ from: '1764028800.5', to: '1764115200', step: '5m' }, 1764028800500, 300],
  ])('parses %j', (query, fromMs, step) => {
    const parsed = SeriesQuery.parse(query);
    expect(parsed.from.getTime()).toBe(fromMs);
    expect(parsed.step).toBe(step);
  });

  test.each([
    [{ from: 'yesterday', to: '1764115200', step: '1h' }, 'from'],
    [{ from: '1764115200', to: '1764028800', step: '1h' }, 'to'],
    [{ from: '1764028800', to: '1764115200', step: '90' }, 'step'],
    [{ from: '1764028800', to: '1764115200', step: '30s' }, 'step'],
    [{ from: '1764028800', to: '1764115200', step: '1m' }, ''],
    [{ from: '1756252800', to: '1764115200', step: '1m' }, 'step'],
  ])('refuses %j on %s', (query, field) => {
    const result = SeriesQuery.safeParse(query);
    if (field === '') expect(result.success).toBe(true);
    else expect(Object.keys(issues(result))).toContain(field);
  });
});

describe('TokenInput: bindings', () => {
  test.each<[string, unknown, Record<string, unknown>]>([
    [
      'an ingest token pinned to service names: each once, sorted',
      { name: 'x', scopes: ['ingest'], serviceNames: ['b', ' a ', 'b'] },
      { serviceNames: ['a', 'b'], teams: [] },
    ],
    ['teams: each once, sorted', { name: 'x', scopes: ['ingest'], teams: ['pay', 'discovery', 'pay'] }, { teams: ['discovery', 'pay'], serviceNames: [] }],
    ['no pins: any service.name', { name: 'x' }, { scopes: ['ingest'], serviceNames: [] }],
  ])('accepts %s', (_, input, want) => {
    expect(TokenInput.parse(input)).toMatchObject(want);
  });

  test.each<[string, unknown, Record<string, string>]>([
    [
      'pins on a token that cannot push',
      { name: 'x', scopes: ['gate'], serviceNames: ['a'] },
      { serviceNames: 'apply to tokens with the ingest scope only (they pin the service.name its points may carry)' },
    ],
    ['an empty pin', { name: 'x', serviceNames: ['  '] }, { 'serviceNames.0': 'must not be empty' }],
    ['a pin that is not text', { name: 'x', serviceNames: [7] }, { 'serviceNames.0': 'must be a service.name value' }],
    ['pins that are not a list', { name: 'x', serviceNames: 'checkout' }, { serviceNames: 'must be a list of service.name values' }],
    ['too long a pin', { name: 'x', serviceNames: ['a'.repeat(256)] }, { 'serviceNames.0': 'must be at most 255 characters' }],
    [
      'teams on a personal token',
      { name: 'x', kind: 'personal', scopes: ['read'], teams: ['a'] },
      { teams: 'apply to service tokens only (a personal token acts for its owner’s teams)' },
    ],
  ])('refuses %s, naming the field', (_, input, want) => {
    expect(issues(TokenInput.safeParse(input))).toEqual(want);
  });
});

describe('TokenPatch', () => {
  test('changes only what it names', () => {
    expect(TokenPatch.parse({ serviceNames: ['b', 'a'] })).toEqual({ serviceNames: ['a', 'b'] });
    expect(TokenPatch.parse({ teams: [] })).toEqual({ teams: [] });
  });
  test.each<[unknown, Record<string, string>]>([
    [{}, { '': 'names no field to change' }],
    [{ name: 'a', scopes: ['admin'] }, { '': 'Unrecognized key: "scopes"' }],
    [{ name: ' ' }, { name: 'is required' }],
  ])('refuses %j', (input, want) => {
    expect(issues(TokenPatch.safeParse(input))).toEqual(want);
  });
  test.each<[string, Parameters<typeof tokenBindingProblems>[0], Record<string, string>]>([
    ['a service ingest token takes both', { kind: 'service', scopes: ['ingest'], teams: ['a'], serviceNames: ['b'] }, {}],
    [
      'a personal token takes no teams',
      { kind: 'personal', scopes: ['ingest'], teams: ['a'], serviceNames: [] },
      { teams: 'apply to service tokens only (a personal token acts for its owner’s teams)' },
    ],
    [
      'a gate token takes no pins',
      { kind: 'service', scopes: ['gate'], teams: [], serviceNames: ['b'] },
      { serviceNames: 'apply to tokens with the ingest scope only (they pin the service.name its points may carry)' },
    ],
  ])('tokenBindingProblems: %s', (_, token, want) => {
    expect(tokenBindingProblems(token)).toEqual(want);
  });
});

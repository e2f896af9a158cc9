import { describe, expect, test } from 'vitest';
import { SloInput, SloPatch, type Slo } from '@/lib/schemas';
import { zodFieldErrors } from '@/lib/schemas/field-errors';
import { ApiRequestError } from '@/lib/queries/api';
import { windowDefaultTiers, type PeriodContext } from './tier-draft';
import {
  bodyOf,
  draftOf,
  errorPlace,
  isFieldError,
  localErrors,
  locate,
  periodMinutesOf,
  periodTextOf,
  rewriteIssue,
  shortSliceWindowsOf,
  sliOf,
  withoutSliErrors,
  type SloDraft,
} from './slo-draft';

const ctx: PeriodContext = { asOf: new Date('2026-03-25T12:00:00Z'), browserZone: 'Europe/Berlin' };
const fresh = (patch: Partial<SloDraft> = {}): SloDraft => ({ ...draftOf(undefined, [], ctx), ...patch });

const stored: Slo = {
  service: 'checkout',
  slug: 'availability',
  name: 'Checkout availability',
  description: 'Requests answered without a 5xx.',
  objective: 0.995,
  window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
  budgeting: { method: 'timeslices', sliceMinutes: 10, threshold: 0.95 },
  sli: { source: 'demo', profile: 'latency', eventsPerMinute: 120, baselineErrorRatio: 0.001, seed: 's1' },
  alertPolicy: {
    isDefault: false,
    tiers: [
      { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 10, for: '2m' },
      { severity: 'ticket', longWindow: '1d', shortWindow: '2h', burnRate: 2 },
    ],
    budgetLow: { share: 0.1, isDefault: false },
    absent: { minutes: 15, isDefault: true },
  },
  minEvents: 50,
  labels: { team: 'payments', tier: '1' },
  managedBy: null,
  createdAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
};

const parse = (draft: SloDraft) => SloInput.safeParse(bodyOf(draft, 'Europe/Berlin'));
const errorsOf = (draft: SloDraft) => {
  const parsed = parse(draft);
  return parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue);
};

describe('draftOf', () => {
  test('a new SLO: demo source, 99.9% over a rolling 30 days, the default policy with its rows seeded', () => {
    const draft = fresh();
    expect(draft).toMatchObject({
      objectivePct: '99.9',
      windowKind: 'rolling',
      rollingDays: '30',
      source: 'demo',
      policy: 'default',
      labels: [],
      tiersEdited: false,
    });
    expect(draft.tiers.length).toBeGreaterThan(0);
    expect(parse(draft).success).toBe(false); // no name or slug yet
  });

  test('a stored SLO comes back as typed: the objective in percent, the labels as rows', () => {
    const draft = draftOf(stored, [], ctx);
    expect(draft).toMatchObject({
      objectivePct: '99.5',
      windowKind: 'calendar',
      calendarUnit: 'week',
      timeZone: 'UTC',
      budgeting: 'timeslices',
      sliceMinutes: '10',
      sliceThresholdPct: '95',
    });
    expect(draft.labels.map((l) => [l.name, l.value])).toEqual([
      ['team', 'payments'],
      ['tier', '1'],
    ]);
  });
});

describe('bodyOf', () => {
  test('a stored SLO round-trips to the same fields', () => {
    const parsed = parse(draftOf(stored, [], ctx));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({
      objective: 0.995,
      window: stored.window,
      budgeting: stored.budgeting,
      sli: stored.sli,
      alertPolicy: { tiers: stored.alertPolicy.tiers, budgetLowShare: 0.1 },
      minEvents: 50,
      labels: stored.labels,
    });
  });

  test('the default policy is sent as null; a calendar window without a zone takes the browser’s; empty label rows are dropped', () => {
    const body = bodyOf(
      fresh({
        name: 'A',
        slug: ' a ',
        windowKind: 'calendar',
        labels: [
          { key: 1, name: '', value: '' },
          { key: 2, name: ' team ', value: 'x' },
        ],
      }),
      'Asia/Tokyo',
    );
    expect(body).toMatchObject({ slug: 'a', alertPolicy: null, window: { kind: 'calendar', unit: 'month', timeZone: 'Asia/Tokyo' }, labels: { team: 'x' } });
    expect(SloPatch.safeParse(body).success).toBe(true);
  });
});

describe('the budget-low and data-absent alerts', () => {
  test('empty fields keep the installation’s; typed ones are sent alone, without the default tiers', () => {
    const draft = draftOf(stored, [], ctx);
    expect(draft).toMatchObject({ budgetLowPct: '10', budgetLowOff: false, absentMinutes: '' });
    expect(parse(draft).data?.alertPolicy).not.toHaveProperty('absentMinutes');
    const own = fresh({ name: 'A', slug: 'a', budgetLowPct: '12.5', absentMinutes: '30' });
    expect(bodyOf(own, 'UTC').alertPolicy).toEqual({ budgetLowShare: 0.125, absentMinutes: 30 });
    expect(parse(own).success).toBe(true);
    expect(bodyOf(fresh({ budgetLowPct: '12.5', budgetLowOff: true }), 'UTC').alertPolicy).toEqual({ budgetLowShare: null });
    expect(bodyOf(fresh(), 'UTC').alertPolicy).toBeNull();
  });

  test('a stored SLO without a budget-low alert comes back with the box ticked', () => {
    const none = draftOf(
      { ...stored, alertPolicy: { ...stored.alertPolicy, budgetLow: { share: null, isDefault: false }, absent: { minutes: 45, isDefault: false } } },
      [],
      ctx,
    );
    expect(none).toMatchObject({ budgetLowPct: '', budgetLowOff: true, absentMinutes: '45' });
  });

  test.each<[string, Partial<SloDraft>, string, string, string]>([
    ['a share of 100%', { budgetLowPct: '100' }, 'alertPolicy.budgetLowShare', 'must be a percentage above 0 and below 100, e.g. 25', 'slo-budget-low'],
    ['a share of 0%', { budgetLowPct: '0' }, 'alertPolicy.budgetLowShare', 'must be a percentage above 0 and below 100, e.g. 25', 'slo-budget-low'],
    ['half a minute', { absentMinutes: '0.5' }, 'alertPolicy.absentMinutes', 'must be a whole number of minutes from 1 to 1440', 'slo-absent-minutes'],
    ['two days', { absentMinutes: '2880' }, 'alertPolicy.absentMinutes', 'must be a whole number of minutes from 1 to 1440', 'slo-absent-minutes'],
  ])('%s: an error on its own field', (_name, patch, path, message, id) => {
    const draft = fresh({ name: 'A', slug: 'a', ...patch });
    expect(errorsOf(draft)).toEqual({ [path]: message });
    expect(locate(path, draft)?.id).toBe(id);
  });
});

describe('a tier’s for', () => {
  test('an empty for is left out; a bad one is an error on its own field', () => {
    const draft = draftOf(stored, [], ctx);
    expect(draft.tiers.map((t) => t.for)).toEqual(['2m', '']);
    const bad = { ...draft, name: 'A', slug: 'a', tiers: draft.tiers.map((t, i) => (i === 0 ? { ...t, for: 'soon' } : t)) };
    const errors = errorsOf(bad);
    expect(Object.keys(errors)).toEqual(['alertPolicy.tiers.0.for']);
    expect(locate('alertPolicy.tiers.0.for', bad)).toEqual({ id: `slo-tier-${bad.tiers[0]!.key}-for`, label: 'Tier 1: For' });
  });
});

describe('rewriteIssue', () => {
  test.each<[string, Partial<SloDraft>, string, string]>([
    ['objective not a number', { objectivePct: 'abc' }, 'objective', 'must be a percentage such as 99.9'],
    ['objective of 100%', { objectivePct: '100' }, 'objective', 'must be below 100%: an objective of 100% leaves no error budget'],
    ['objective of 0%', { objectivePct: '0' }, 'objective', 'must be above 0%'],
    ['slice threshold above 100%', { budgeting: 'timeslices', sliceThresholdPct: '101' }, 'budgeting.threshold', 'must be at most 100%'],
    ['empty seed', { seed: '' }, 'sli.seed', 'is required'],
    ['events per minute not a number', { eventsPerMinute: 'lots' }, 'sli.eventsPerMinute', 'must be a number'],
  ])('%s', (_name, patch, path, message) => {
    expect(errorsOf(fresh({ name: 'A', slug: 'a', ...patch }))[path]).toBe(message);
  });
});

describe('locate', () => {
  const draft = fresh({ labels: [{ key: 7, name: 'team', value: 'x' }] });
  test.each<[string, string | null, string | null]>([
    ['objective', 'slo-objective', 'Objective'],
    ['window.days', 'slo-days', 'Days'],
    ['sli.source', 'slo-source-demo', 'SLI source'],
    ['alertPolicy.tiers.0.burnRate', `slo-tier-${draft.tiers[0]!.key}-burnRate`, 'Tier 1: Burn-rate threshold'],
    ['labels.team', 'slo-label-7-name', 'Label “team”'],
    ['labels.other', null, null],
    ['nowhere', null, null],
  ])('%s', (path, id, label) => {
    const where = locate(path, draft);
    expect(where?.id ?? null).toBe(id);
    expect(where?.label ?? null).toBe(label);
  });

  test('a label row without a name is found by its row', () => {
    expect(errorPlace('labels.7#empty', draft)).toEqual({ id: 'slo-label-7-name', label: 'Label' });
    expect(errorPlace('objective', draft)).toEqual(locate('objective', draft));
  });
});

test('localErrors: a label used twice, a value without a name', () => {
  const draft = fresh({
    labels: [
      { key: 1, name: 'team', value: 'a' },
      { key: 2, name: ' team', value: 'b' },
      { key: 3, name: '', value: 'c' },
    ],
  });
  expect(localErrors(draft, undefined)).toEqual({ 'labels.team': 'is used twice', 'labels.3#empty': 'needs a name' });
  expect(localErrors(fresh(), undefined)).toEqual({});
});

test('isFieldError: only an API failure naming SLI fields', () => {
  expect(isFieldError(new ApiRequestError(422, 'invalid', 'Invalid', { 'sli.datasource': 'is unknown' }))).toBe(true);
  expect(isFieldError(new ApiRequestError(422, 'invalid', 'Invalid', { name: 'is required' }))).toBe(false);
  expect(isFieldError(new Error('offline'))).toBe(false);
});

test('withoutSliErrors keeps every error but the SLI’s', () => {
  expect(withoutSliErrors({ sli: 'a', 'sli.seed': 'b', name: 'c', slicing: 'd' })).toEqual({ name: 'c', slicing: 'd' });
});

test('sliOf gives the demo fields as numbers, NaN when not one', () => {
  expect(sliOf(fresh({ eventsPerMinute: 'x' }))).toMatchObject({ source: 'demo', eventsPerMinute: Number.NaN, baselineErrorRatio: 0.0003 });
});

describe('the window, in minutes and in words', () => {
  test.each<[string, Partial<SloDraft>, number | null, string]>([
    ['rolling 7 days', { rollingDays: '7' }, 7 * 1440, '7 days'],
    ['rolling, not a number', { rollingDays: 'x' }, null, 'x days'],
    ['rolling 91 days', { rollingDays: '91' }, null, '91 days'],
    ['calendar week', { windowKind: 'calendar', calendarUnit: 'week' }, 7 * 1440, 'week'],
    ['calendar month', { windowKind: 'calendar', calendarUnit: 'month' }, 30 * 1440, '30-day month'],
    ['calendar quarter', { windowKind: 'calendar', calendarUnit: 'quarter' }, 91 * 1440, '91-day quarter'],
  ])('%s', (_name, patch, minutes, text) => {
    expect(periodMinutesOf(fresh(patch))).toBe(minutes);
    expect(periodTextOf(fresh(patch))).toBe(text);
  });
});

describe('shortSliceWindowsOf', () => {
  const custom = (tiers: Array<[string, string]>) =>
    fresh({
      policy: 'custom',
      budgeting: 'timeslices',
      sliceMinutes: '10',
      tiers: tiers.map(([longWindow, shortWindow], key) => ({ key, severity: 'page', longWindow, shortWindow, burnRate: '10', for: '' })),
    });

  test('the tier windows shorter than a slice, each once', () => {
    const draft = custom([
      ['1h', '5m'],
      ['6h', '5m'],
      ['3d', '9m'],
    ]);
    expect(shortSliceWindowsOf(draft, [])).toEqual(['5m', '9m']);
  });

  test('none for occurrences, or a slice length that is not a whole number', () => {
    expect(shortSliceWindowsOf({ ...custom([['1h', '5m']]), budgeting: 'occurrences' }, [])).toEqual([]);
    expect(shortSliceWindowsOf({ ...custom([['1h', '5m']]), sliceMinutes: '2.5' }, [])).toEqual([]);
  });

  test('the default policy’s tiers, when it is chosen', () => {
    const draft = fresh({ budgeting: 'timeslices', sliceMinutes: '60' });
    expect(shortSliceWindowsOf(draft, windowDefaultTiers(draft, ctx))).toEqual(expect.arrayContaining(['5m']));
  });
});

import { describe, expect, test } from 'vitest';
import type { CatalogStep } from '@/lib/schemas';
import { actionLabel, appliedLine, countsLine, describeChange, hasWork, stepHref, touchedServices } from './plan-view';

const step = (action: CatalogStep['action'], name: string, kind: CatalogStep['kind'] = 'service'): CatalogStep => ({
  kind,
  name,
  action,
  fields: [],
  changes: [],
  file: action === 'delete' ? null : 'slos.yaml',
});

describe('describeChange', () => {
  test.each([
    [{ field: 'tier', from: 2, to: 1 }, 'tier: 2 → 1'],
    [{ field: 'name', from: 'Checkout', to: 'Checkout API' }, 'name: "Checkout" → "Checkout API"'],
    [{ field: 'objective', from: 0.99, to: 0.999 }, 'objective: 0.99 → 0.999'],
    [{ field: 'description', from: '', to: 'x'.repeat(41) }, 'description'],
    [{ field: 'description', from: 'a\nb', to: 'a' }, 'description'],
    [{ field: 'sli', from: { source: 'demo' }, to: { source: 'prometheus' } }, 'sli'],
    [{ field: 'links.runbook', from: null, to: 'https://r.example.com' }, 'links.runbook: none → "https://r.example.com"'],
    [{ field: 'managedBy', from: null, to: { source: 'github.com/acme/slos', path: 'slos/a.yaml' } }, 'managed by github.com/acme/slos (slos/a.yaml)'],
    [{ field: 'managedBy', from: null, to: { source: 'github.com/acme/slos', path: null } }, 'managed by github.com/acme/slos'],
    [{ field: 'managedBy', from: { source: 'github.com/acme/slos', path: 'a.yaml' }, to: null }, 'no longer managed by github.com/acme/slos'],
  ])('%j → %s', (change, want) => expect(describeChange(change)).toBe(want));
});

describe('countsLine', () => {
  test.each<[CatalogStep[], string]>([
    [[], 'Nothing in the files'],
    [
      [step('create', 'a'), step('create', 'a/x', 'slo'), step('change', 'b'), step('unchanged', 'c'), step('unchanged', 'd'), step('unchanged', 'e')],
      '2 to create, 1 to change, 3 unchanged',
    ],
    [[step('unchanged', 'a')], '1 unchanged'],
    [[step('delete', 'a'), step('create', 'b')], '1 to create, 1 to delete'],
  ])('%#', (steps, want) => expect(countsLine(steps)).toBe(want));
});

test('hasWork: only when something would be written', () => {
  expect(hasWork([])).toBe(false);
  expect(hasWork([step('unchanged', 'a'), step('unchanged', 'a/b', 'slo')])).toBe(false);
  expect(hasWork([step('unchanged', 'a'), step('change', 'b')])).toBe(true);
  expect(hasWork([step('delete', 'a')])).toBe(true);
});

test('appliedLine counts created and changed, and deleted when any', () => {
  expect(appliedLine([step('create', 'a'), step('create', 'a/x', 'slo'), step('change', 'b'), step('unchanged', 'c')])).toBe('Applied: 2 created, 1 changed');
  expect(appliedLine([step('delete', 'a')])).toBe('Applied: 0 created, 0 changed, 1 deleted');
});

test('stepHref links services and SLOs, escaped', () => {
  expect(stepHref({ kind: 'service', name: 'checkout' })).toBe('/services/checkout');
  expect(stepHref({ kind: 'slo', name: 'checkout/latency' })).toBe('/services/checkout/slos/latency');
  expect(stepHref({ kind: 'service', name: 'a b' })).toBe('/services/a%20b');
});

test('touchedServices: each created or changed service once, SLOs counted for their service', () => {
  expect(touchedServices([step('create', 'a'), step('create', 'a/x', 'slo'), step('unchanged', 'b'), step('change', 'c/y', 'slo')])).toEqual(['a', 'c']);
});

test('actionLabel says the action in words', () => {
  expect(['create', 'change', 'unchanged', 'delete'].map((a) => actionLabel(a as CatalogStep['action']))).toEqual(['Create', 'Change', 'Unchanged', 'Delete']);
});

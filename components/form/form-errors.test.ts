import { describe, expect, test } from 'vitest';
import { ApiRequestError } from '@/lib/queries/api';
import { apiErrors, errorsByField, placedIds, placeErrors, summaryInFieldOrder, topField, unplacedMessage } from './form-errors';

const PLACES: Record<string, { id: string; label: string }> = {
  name: { id: 'x-name', label: 'Name' },
  slug: { id: 'x-slug', label: 'Slug' },
  'window.days': { id: 'x-days', label: 'Days' },
  window: { id: 'x-days', label: 'Window' },
};
const placeOf = (path: string) => PLACES[path];

describe('apiErrors', () => {
  test('field errors a control shows go to it; the message only when some could not be placed', () => {
    const error = new ApiRequestError(409, 'conflict', 'Slug is taken', { slug: 'is already taken' });
    expect(apiErrors(error, (path) => path in PLACES)).toEqual({ fields: { slug: 'is already taken' }, form: null });
    const mixed = new ApiRequestError(400, 'invalid', 'Invalid input', { slug: 'is already taken', other: 'is wrong' });
    expect(apiErrors(mixed, (path) => path in PLACES)).toEqual({ fields: { slug: 'is already taken' }, form: 'Invalid input' });
  });

  test('an error without fields, or not from the API at all, is the form-level message', () => {
    expect(apiErrors(new ApiRequestError(500, 'internal', 'Server error'), () => true)).toEqual({ fields: {}, form: 'Server error' });
    expect(apiErrors(new Error('offline'), () => true)).toEqual({ fields: {}, form: 'offline' });
    expect(apiErrors('??', () => true)).toEqual({ fields: {}, form: 'Something went wrong' });
  });
});

test.each([
  ['teams.2', 'teams'],
  ['name', 'name'],
  ['links.runbook', 'links'],
])('topField(%s) = %s', (path, want) => expect(topField(path)).toBe(want));

test('errorsByField keeps one error per field, where its first item failed, with the last message', () => {
  expect(errorsByField({ 'teams.0': 'a', name: 'b', 'teams.2': 'c' })).toEqual({ teams: 'c', name: 'b' });
  expect(Object.keys(errorsByField({ 'teams.0': 'a', name: 'b', 'teams.2': 'c' }))).toEqual(['teams', 'name']);
});

describe('placeErrors', () => {
  test('lists each control once, with its first error, in the order given; unplaced errors are left out', () => {
    const { byId, summary } = placeErrors(
      { slug: 'is taken', nowhere: 'x', 'window.days': 'must be 1 to 90', window: 'is invalid', name: 'is required' },
      placeOf,
    );
    expect(summary).toEqual([
      { id: 'x-slug', label: 'Slug', message: 'is taken' },
      { id: 'x-days', label: 'Days', message: 'must be 1 to 90' },
      { id: 'x-name', label: 'Name', message: 'is required' },
    ]);
    expect(byId.get('x-days')).toBe('must be 1 to 90');
    expect(byId.has('nowhere')).toBe(false);
  });

  test('rewords messages for display, in the map and the summary alike', () => {
    const { byId, summary } = placeErrors({ name: 'is required' }, placeOf, (path, message) => `${path}: ${message}`);
    expect(byId.get('x-name')).toBe('name: is required');
    expect(summary[0]?.message).toBe('name: is required');
  });
});

test('summaryInFieldOrder lists errors in the order of the form’s fields', () => {
  const fields = [
    { path: 'name', id: 'x-name', label: 'Name' },
    { path: 'slug', id: 'x-slug', label: 'Slug' },
  ];
  expect(summaryInFieldOrder({ slug: 'is taken', name: 'is required', other: 'x' }, fields)).toEqual([
    { id: 'x-name', label: 'Name', message: 'is required' },
    { id: 'x-slug', label: 'Slug', message: 'is taken' },
  ]);
});

describe('unplacedMessage', () => {
  test('names every error when none has a control', () => {
    expect(unplacedMessage({ a: 'is wrong', b: 'is missing' }, 0, 'The SLO')).toBe('The SLO could not be saved: is wrong; is missing');
  });
  test('is null when some error is placed, or there is none', () => {
    expect(unplacedMessage({ a: 'is wrong' }, 1, 'The SLO')).toBeNull();
    expect(unplacedMessage({}, 0, 'The SLO')).toBeNull();
  });
});

test('placedIds gives the controls to focus, in order, skipping errors without one', () => {
  expect(placedIds({ nowhere: 'x', slug: 'is taken', name: 'is required' }, placeOf)).toEqual(['x-slug', 'x-name']);
});

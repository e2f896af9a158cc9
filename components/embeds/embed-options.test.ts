import { expect, test } from 'vitest';
import { initialOptions, inputOf, viewOf } from './embed-options';

const slo = initialOptions('burn_rate', 'availability');

test.each([
  [{ size: 'small' as const }, { width: 400, height: 200 }],
  [{ size: 'large' as const }, { width: 900, height: 400 }],
  [
    { size: 'custom' as const, width: ' 1600 ', height: '100' },
    { width: 1600, height: 100 },
  ],
])('viewOf %o', (patch, want) => expect(viewOf({ ...slo, ...patch }).view).toEqual({ range: '7d', theme: 'auto', ...want }));

test.each([
  [{ width: '199', height: '300' }, ['width']],
  [{ width: '600', height: '1001' }, ['height']],
  [{ width: '', height: 'tall' }, ['width', 'height']],
  [{ width: '600.5', height: '300' }, ['width']],
])('viewOf custom %o is refused on %o', (size, fields) => {
  const result = viewOf({ ...slo, size: 'custom', ...size });
  expect(result.view).toBeNull();
  expect(Object.keys(result.errors ?? {}).sort()).toEqual([...fields].sort());
});

test('inputOf: an SLO panel names its SLO, expiry in days', () => {
  expect(inputOf('checkout-api', { ...slo, expiry: '30', label: 'wiki' }).input).toEqual({
    service: 'checkout-api',
    slo: 'availability',
    panel: 'burn_rate',
    label: 'wiki',
    expiresInDays: 30,
  });
});

test('inputOf: the service panel leaves the SLO out, never expires by default', () => {
  expect(inputOf('checkout-api', { ...slo, panel: 'service' }).input).toEqual({ service: 'checkout-api', panel: 'service', label: '', expiresInDays: null });
});

test('inputOf refuses a label over 100 characters', () => {
  expect(inputOf('checkout-api', { ...slo, label: 'x'.repeat(101) }).errors).toEqual({ label: 'must be at most 100 characters' });
});

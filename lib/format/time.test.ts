import { describe, expect, test } from 'vitest';
import { formatDateTime } from './time';

describe('formatDateTime', () => {
  test('explicit date and 24-hour time in the given zone', () => {
    expect(formatDateTime('2026-10-27T13:00:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('27 Oct 14:00');
    expect(formatDateTime('2026-10-31T23:00:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('1 Nov 00:00');
    expect(formatDateTime('2026-10-31T23:00:00Z', { locale: 'en-GB', timeZone: 'UTC' }, { year: true })).toBe('31 Oct 2026 23:00');
  });
});

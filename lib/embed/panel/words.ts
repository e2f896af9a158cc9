import { rollingDays } from '@/lib/format/labels';
import type { SloStatus } from '../../schemas';

/* Words: window, range and time, as the app states them. */

/** "30-day rolling window" or "calendar month (Europe/Berlin)". */
export function windowWords(window: SloStatus['window']): string {
  if (window.kind === 'rolling') return `${rollingDays(window)}-day rolling window`;
  return `calendar ${window.unit ?? 'month'} (${window.timeZone ?? 'UTC'})`;
}

/** "30-day" or "calendar-month", for captions. */
export function windowShort(window: SloStatus['window']): string {
  return window.kind === 'rolling' ? `${rollingDays(window)}-day` : `calendar-${window.unit ?? 'month'}`;
}

/** "7d" -> "last 7 days", "24h" -> "last 24 hours", in the unit it was given in; anything else as given. */
export function rangeWords(range: string): string {
  const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(range);
  if (!match) return `range ${range}`;
  const count = Number(match[1]);
  const unit = ({ m: 'minute', h: 'hour', d: 'day' } as const)[match[2] as 'm' | 'h' | 'd'];
  return `last ${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "2026-11-26 14:05 UTC". */
export function utcMinute(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

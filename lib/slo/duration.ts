/** One minute in milliseconds: Umpire's buckets are one minute, the finest grain any window is measured in. */
export const MINUTE_MS = 60_000;

import { durationMinutes } from '@/lib/schemas/common';

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

/** "5m" -> 5, "1h" -> 60, "3d" -> 4320; the grammar is the Duration schema's, so the two cannot disagree. */
export function durationToMinutes(d: string): number {
  const minutes = durationMinutes(d);
  if (Number.isNaN(minutes)) throw new RangeError(`"${d}" is not a duration like 5m, 1h or 3d`);
  return minutes;
}

/** Canonical shortest form, so "60m" and "1h" name the same window: 1440 -> "1d", 90 -> "90m". */
export function minutesToDuration(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || minutes <= 0) {
    throw new RangeError(`${minutes} is not a whole, positive number of minutes`);
  }
  if (minutes % UNIT_MINUTES.d === 0) return `${minutes / UNIT_MINUTES.d}d`;
  if (minutes % UNIT_MINUTES.h === 0) return `${minutes / UNIT_MINUTES.h}h`;
  return `${minutes}m`;
}

/** The canonical spelling of a duration string: "60m" -> "1h". */
export function canonicalDuration(d: string): string {
  return minutesToDuration(durationToMinutes(d));
}

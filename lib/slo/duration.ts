/** One minute in milliseconds: Umpire's buckets are one minute, the finest grain any window is measured in. */
export const MINUTE_MS = 60_000;

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

// Same grammar as the Duration schema in lib/schemas/common.ts: whole minutes, hours or days.
const DURATION = /^([1-9][0-9]{0,5})([mhd])$/;

/** "5m" -> 5, "1h" -> 60, "3d" -> 4320. */
export function durationToMinutes(d: string): number {
  const match = DURATION.exec(d);
  const unit = match?.[2] as keyof typeof UNIT_MINUTES | undefined;
  if (!match || !unit) throw new RangeError(`"${d}" is not a duration like 5m, 1h or 3d`);
  return Number(match[1]) * UNIT_MINUTES[unit];
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

import { MINUTE_MS } from './duration';

/** A run of minutes without data in a source, ended by a minute with data (docs/slo-math.md, "Gaps in the backend's samples"). */
export interface GapEnd {
  /** Where the gap begins: the end of the last minute with data before it (ms). */
  gapStart: number;
  /** Start of the first minute with data after it (ms): the minute that holds the events counted across it. */
  start: number;
}

/**
 * The minutes that end a gap: each minute with data whose previous minute has none, when an earlier minute had data.
 * `starts` are the minutes just read with data (minute starts in ms, ascending); `before` is the newest minute with
 * data known before them and `after` the oldest known after them (from earlier reads), or null. A gap with no
 * minute before it is not one: the counters had no samples before, as far as anyone knows.
 */
export function gapEnds(starts: readonly number[], known: { before: number | null; after: number | null } = { before: null, after: null }): GapEnd[] {
  const minutes = [...(known.before !== null ? [known.before] : []), ...starts, ...(known.after !== null ? [known.after] : [])];
  const ends: GapEnd[] = [];
  for (let i = 1; i < minutes.length; i++) {
    const previous = minutes[i - 1]!;
    const minute = minutes[i]!;
    if (minute <= previous) throw new RangeError(`minutes must ascend: ${new Date(minute).toISOString()} follows ${new Date(previous).toISOString()}`);
    if (minute - previous > MINUTE_MS) ends.push({ gapStart: previous + MINUTE_MS, start: minute });
  }
  return ends;
}

import { sliOf, type Counts } from './budget';

/**
 * OpenSLO `Timeslices`: each slice becomes one event, good when its own SLI meets `threshold`. A slice without
 * events counts neither way, so SLI = good slices / slices with data and all window maths apply unchanged.
 */
export function sliceEvents(slices: Counts[], threshold: number): Counts[] {
  return slices.map((slice) => {
    const sli = sliOf(slice);
    if (sli === null) return { good: 0, total: 0 };
    return { good: sli >= threshold ? 1 : 0, total: 1 };
  });
}

/**
 * OpenSLO `RatioTimeslices`: the mean of per-slice ratios over slices with data; null when none has data.
 * Not traffic-weighted: a quiet slice weighs as much as a busy one, so it differs from sum(good)/sum(total).
 */
export function ratioTimeslices(slices: Counts[]): number | null {
  let sum = 0;
  let count = 0;
  for (const slice of slices) {
    const sli = sliOf(slice);
    if (sli === null) continue;
    sum += sli;
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

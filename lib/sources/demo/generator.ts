import type { DemoSli } from '../../schemas';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Incidents are scheduled per slot of this many minutes, so the history is the same whenever it is asked for. */
const SLOT_MINUTES = 4 * DAY_MINUTES;

export type IncidentShape = 'outage' | 'slow-burn' | 'latency-regression';

export interface Incident {
  shape: IncidentShape;
  /** Epoch minutes, inclusive start and exclusive end. */
  start: number;
  end: number;
  /** Extra error ratio at the incident's peak. */
  peak: number;
}

/** FNV-1a then a murmur3 finaliser: a stable 32-bit hash of a seed and integers. */
function hash(seed: string, ...values: number[]): number {
  let h = 0x811c9dc5;
  const text = seed + ':' + values.join(':');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1), deterministic in its inputs. */
function unit(seed: string, ...values: number[]): number {
  return hash(seed, ...values) / 0x1_0000_0000;
}

/** The incident (if any) scheduled in a slot; its shape depends on the SLI's profile. */
export function incidentInSlot(spec: DemoSli, slot: number): Incident | undefined {
  const roll = unit(spec.seed, slot, 1);
  if (roll > 0.5) return undefined;
  const slotStart = slot * SLOT_MINUTES;
  const offset = Math.floor(unit(spec.seed, slot, 2) * (SLOT_MINUTES - DAY_MINUTES));
  const kind = unit(spec.seed, slot, 3);
  if (spec.profile === 'latency' && kind < 0.5) {
    // A deploy makes some requests slow for hours until it is rolled back.
    const length = 120 + Math.floor(unit(spec.seed, slot, 4) * 360);
    return { shape: 'latency-regression', start: slotStart + offset, end: slotStart + offset + length, peak: 0.04 + 0.1 * unit(spec.seed, slot, 5) };
  }
  if (kind < 0.65) {
    // A short, sharp outage: most requests fail for a few minutes.
    const length = 3 + Math.floor(unit(spec.seed, slot, 4) * 10);
    return { shape: 'outage', start: slotStart + offset, end: slotStart + offset + length, peak: 0.15 + 0.45 * unit(spec.seed, slot, 5) };
  }
  // A slow burn: a small extra error ratio for a day or two, the kind only ticket alerts catch.
  const length = DAY_MINUTES + Math.floor(unit(spec.seed, slot, 4) * DAY_MINUTES);
  const budget = Math.max(spec.baselineErrorRatio, 0.0005);
  return { shape: 'slow-burn', start: slotStart + offset, end: slotStart + offset + length, peak: budget * (1 + 2 * unit(spec.seed, slot, 5)) };
}

/** Incidents overlapping [fromMinute, toMinute), in time order. */
export function incidentsBetween(spec: DemoSli, fromMinute: number, toMinute: number): Incident[] {
  const found: Incident[] = [];
  const first = Math.floor(fromMinute / SLOT_MINUTES) - 1;
  const last = Math.floor(toMinute / SLOT_MINUTES);
  for (let slot = first; slot <= last; slot++) {
    const incident = incidentInSlot(spec, slot);
    if (incident && incident.end > fromMinute && incident.start < toMinute) found.push(incident);
  }
  return found;
}

function incidentErrorRatio(incident: Incident, minute: number): number {
  if (minute < incident.start || minute >= incident.end) return 0;
  const progress = (minute - incident.start) / (incident.end - incident.start);
  switch (incident.shape) {
    case 'outage':
      return incident.peak;
    case 'slow-burn':
      return incident.peak;
    case 'latency-regression':
      // Ramps up as traffic shifts to the bad version, then drops at the rollback.
      return incident.peak * Math.min(1, progress * 3);
  }
}

/** Daily cycle (peak mid-afternoon UTC, trough at night) and quieter weekends. */
function trafficShape(minute: number): number {
  const dayMinute = ((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  const daily = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (dayMinute - 240)) / DAY_MINUTES));
  const weekday = new Date(minute * MINUTE_MS).getUTCDay();
  return daily * (weekday === 0 || weekday === 6 ? 0.7 : 1);
}

/**
 * Good and total events for each whole minute in [from, to): a pure function of the spec and the minute, so
 * regenerating any range gives the same figures.
 */
export function generateDemoBuckets(spec: DemoSli, from: Date, to: Date): Array<{ start: Date; good: number; total: number }> {
  const fromMinute = Math.ceil(from.getTime() / MINUTE_MS);
  const toMinute = Math.ceil(to.getTime() / MINUTE_MS);
  const incidents = incidentsBetween(spec, fromMinute, toMinute);
  const buckets: Array<{ start: Date; good: number; total: number }> = [];
  for (let minute = fromMinute; minute < toMinute; minute++) {
    const noise = 0.85 + 0.3 * unit(spec.seed, minute, 7);
    const total = Math.max(0, Math.round(spec.eventsPerMinute * trafficShape(minute) * noise));
    let ratio = spec.baselineErrorRatio * (0.5 + unit(spec.seed, minute, 8));
    for (const incident of incidents) ratio += incidentErrorRatio(incident, minute);
    ratio = Math.min(1, ratio);
    // Round errors stochastically so low ratios on low traffic still average out right.
    const expectedBad = total * ratio;
    const bad = Math.min(total, Math.floor(expectedBad) + (unit(spec.seed, minute, 9) < expectedBad % 1 ? 1 : 0));
    buckets.push({ start: new Date(minute * MINUTE_MS), good: total - bad, total });
  }
  return buckets;
}

import { newestBucketIn, newestBucketsIn, oldestBucketIn, type StoredBucket } from '../../db/buckets';
import type { SliSpec } from '../../schemas/index';
import { gapEnds, type GapEnd } from '../../slo/index';
import type { PrometheusClient } from '../../sources/prometheus/client';
import { fetchGroupedCarried, type SliGroup } from '../../sources/prometheus/grouped';
import { carriedByRead } from '../../sources/prometheus/prometheus-source';
import type { MinuteBucket, PullSource } from '../../sources/types';

// A gap in a source's samples ends with a minute that holds the events counted across it, marked with where the gap
// began (docs/slo-math.md, "Gaps in the backend's samples"). The gap may begin before the minutes just read, or end
// after them: the stored buckets say where.

/**
 * Where to look for stored minutes next to a read. A forward read (catch-up) looks for the newest minute stored
 * since `since` before it; a backward read (history, newest first) for the oldest stored before `until` after it.
 * Never both: a backward read's older neighbours are read next, so the gap is settled then, with what the backend
 * says now rather than what it said when they were stored; a forward read's newer ones are read next the same way.
 */
export type Neighbours = { since: Date } | { until: Date };

const byStart = (buckets: readonly MinuteBucket[]) => new Map(buckets.map((b, i) => [b.start.getTime(), i]));

function asRead(stored: StoredBucket): MinuteBucket {
  return { start: stored.start, good: stored.good, total: stored.total, ...(stored.fault ? { fault: stored.fault } : {}) };
}

/**
 * The buckets just read over [range.from, range.to) with every minute that ends a gap carrying it (as the source's
 * fetchCarried gives it), plus the stored minute after the read when it is the one that ends a gap: to write.
 * Buckets of sources without fetchCarried come back as they are.
 */
export async function carryGaps(
  sloId: string,
  sli: SliSpec,
  source: PullSource,
  buckets: readonly MinuteBucket[],
  range: { from: Date; to: Date },
  neighbours: Neighbours,
  options: { signal?: AbortSignal } = {},
): Promise<MinuteBucket[]> {
  if (!source.fetchCarried) return [...buckets];
  const [before, after] = await Promise.all([
    'since' in neighbours && neighbours.since < range.from ? newestBucketIn(sloId, neighbours.since, range.from) : null,
    'until' in neighbours && range.to < neighbours.until ? oldestBucketIn(sloId, range.to, neighbours.until) : null,
  ]);
  const ends = gapEnds(
    buckets.map((b) => b.start.getTime()),
    { before: before?.getTime() ?? null, after: after?.start.getTime() ?? null },
  );
  const out = [...buckets];
  const index = byStart(out);
  for (const end of ends) {
    const i = index.get(end.start);
    const bucket = i === undefined ? asRead(after!) : out[i]!;
    const carried = await source.fetchCarried(sli, { gapStart: new Date(end.gapStart), bucket }, options);
    if (i === undefined) out.push(carried);
    else out[i] = carried;
  }
  return out;
}

/**
 * carryGaps for a group's catch-up (forward) read: the newest stored minute before the read for all members in one
 * statement; gaps the buckets as read carried are marked; longer ones read again with one instant query per side for
 * all the members whose gap began and ended at the same minutes (a backend outage: all of them).
 */
export async function carryGroupGaps<K extends { id: string }>(
  client: PrometheusClient,
  group: SliGroup<K>,
  read: ReadonlyMap<K, MinuteBucket[]>,
  range: { from: Date; to: Date },
  since: (key: K) => Date,
  options: { signal?: AbortSignal } = {},
): Promise<Map<K, MinuteBucket[]>> {
  const befores = await newestBucketsIn(
    [...read.keys()].filter((key) => since(key) < range.from).map((key) => ({ sloId: key.id, from: since(key), to: range.from })),
  );
  const out = new Map(read);
  const rereads = new Map<string, { gap: GapEnd; keys: K[] }>();
  for (const [key, buckets] of read) {
    const ends = gapEnds(
      buckets.map((b) => b.start.getTime()),
      { before: befores.get(key.id)?.getTime() ?? null, after: null },
    );
    if (ends.length === 0) continue;
    const copy = [...buckets]; // members sharing a label value share the array read
    const index = byStart(copy);
    out.set(key, copy);
    for (const end of ends) {
      const gap = { gapStart: new Date(end.gapStart), start: new Date(end.start) };
      const i = index.get(end.start)!;
      if (carriedByRead(gap)) copy[i] = { ...copy[i]!, carriedFrom: gap.gapStart };
      else {
        const at = `${end.gapStart}:${end.start}`;
        const same = rereads.get(at);
        if (same) same.keys.push(key);
        else rereads.set(at, { gap: end, keys: [key] });
      }
    }
  }
  for (const { gap, keys } of rereads.values()) {
    const members = group.members.filter((m) => keys.includes(m.key));
    const carried = await fetchGroupedCarried(client, { ...group, members }, { gapStart: new Date(gap.gapStart), start: new Date(gap.start) }, options);
    for (const key of keys) {
      const bucket = carried.get(key);
      if (!bucket) continue; // nothing to carry after all: as read, unmarked
      const copy = out.get(key)!;
      copy[byStart(copy).get(gap.start)!] = bucket;
    }
  }
  return out;
}

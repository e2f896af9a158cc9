import type { FedSlo } from '../../auth/ingest-binding';
import { listOtelSlos } from '../../db/otel-slos';
import { log } from '../../log';
import { OtelSli } from '../../schemas/index';
import { compileOtelSli, type CompiledOtelSli } from '../../sources/otel/sli-match';

// Which SLOs each OTLP metric feeds: read from the database at most every INDEX_TTL_MS per process.

/** SLOs reading OTLP metrics are looked up again at most this often (and at once after a change here). */
const INDEX_TTL_MS = 5_000;

/** An SLO reading OTLP metrics, with what a token's binding is checked against. */
export type IndexedSlo = CompiledOtelSli & { sloId: string; fed: FedSlo };
/** Per metric name, the SLOs reading it. */
export type SloIndex = Map<string, IndexedSlo[]>;
const holder = globalThis as typeof globalThis & { umpireOtelIndex?: { at: number; index: Promise<SloIndex> } };

/** Forget the cached SLO index: an OpenTelemetry SLO was created, changed or deleted, or its service renamed or handed to another team. */
export function invalidateOtelSloIndex(): void {
  holder.umpireOtelIndex = undefined;
}

async function loadIndex(): Promise<SloIndex> {
  const rows = await listOtelSlos();
  const index: SloIndex = new Map();
  for (const row of rows) {
    const parsed = OtelSli.safeParse(row.sli);
    if (!parsed.success) {
      log.error('ingest.slo_unreadable', { slo: row.id });
      continue;
    }
    const compiled: IndexedSlo = { ...compileOtelSli(parsed.data), sloId: row.id, fed: { team: row.team, service: row.service, slo: row.slug } };
    index.set(compiled.metric, [...(index.get(compiled.metric) ?? []), compiled]);
  }
  return index;
}

/** The index as of `now` (ms): the cached one while it is fresh, else read again. */
export function sloIndex(now: number): Promise<SloIndex> {
  const cached = holder.umpireOtelIndex;
  if (cached && now - cached.at < INDEX_TTL_MS) return cached.index;
  const index = loadIndex();
  holder.umpireOtelIndex = { at: now, index };
  index.catch(() => invalidateOtelSloIndex());
  return index;
}

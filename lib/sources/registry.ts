/**
 * One entry per kind of SLI source: the evaluator and the use-cases ask the entry, never switch on the kind.
 *
 * Adding a kind (a new backend, or an SLO composed of others):
 *   1. its schema joins SliSpec's union in lib/schemas/slo.ts (the `source` literal names the kind);
 *   2. a folder lib/sources/<kind>/ whose kind.ts exports a SourceKind (lib/sources/types.ts says what each part does);
 *   3. one line in SOURCE_KINDS below. TypeScript then refuses a kind left out.
 */
import type { SliSource, SliSpec } from '../schemas';
import { demoKind } from './demo/kind';
import { otelKind } from './otel/kind';
import { prometheusKind } from './prometheus/kind';
import type { PullSource, SourceDeps, SourceKind } from './types';

export type { SourceDeps } from './types';

const SOURCE_KINDS: { [K in SliSource]: SourceKind<Extract<SliSpec, { source: K }>> } = {
  demo: demoKind,
  prometheus: prometheusKind,
  otel: otelKind,
};

/** Every kind, in the order the UI offers them. */
export const sourceKinds: ReadonlyArray<SourceKind> = Object.values(SOURCE_KINDS) as SourceKind[];

/** The kinds whose points are pushed to Umpire: the evaluator reads none of their SLOs. */
export const pushedKinds: readonly string[] = sourceKinds.filter((kind) => kind.pushed).map((kind) => kind.kind);

/** The entry for an SLI's kind, typed for that SLI. */
export function kindOf<S extends SliSpec>(sli: S): SourceKind<S> {
  return SOURCE_KINDS[sli.source] as unknown as SourceKind<S>;
}

/** The adapter the evaluator reads an SLI's minutes through; pushed kinds have none. */
export function sourceFor(spec: SliSpec, deps: SourceDeps): PullSource {
  const kind = kindOf(spec);
  // Pushed to Umpire (POST /v1/metrics): the evaluator never pulls these; ingest writes their buckets.
  if (!kind.evaluate) throw new Error(`${kind.describe.label} SLIs are pushed to Umpire, not pulled`);
  return kind.evaluate(deps);
}

import { findStates, type StoredState } from '../../db/slo-states';
import type { SloRecord } from '../../db/slos';
import { log } from '../../log';
import { SloStatus } from '../../schemas/index';
import { computeSloStatus } from './get-slo-status';

// Where an SLO's current status comes from: the state the evaluator stored after its last pass (slo_states) when
// there is one that answers the question, else computed from the buckets (computeSloStatus). The overview, the
// service page, the list API and the gate read through here; the SLO page and `?at=` compute live.

const MINUTE_MS = 60_000;

export interface CurrentOptions {
  now?: Date;
  /** Figures as of this minute: always computed live (a stored state is as of the last pass only). */
  at?: Date;
  /** Burn-rate windows the caller needs (a gate policy's burn_rate rules); a stored status without them is not used. */
  extraBurnWindows?: readonly string[];
}

/** Why an SLO's status is computed live rather than read from its stored state; null when the stored one serves. */
export type LiveReason = 'at' | 'no_state' | 'invalid' | 'changed' | 'windows';

/**
 * The pure choice: the stored status when it answers the question, or why not. A state written before the SLO was
 * last changed describes the old definition (objective, window, tiers), so it is not used either.
 */
export function chooseStatus(
  record: Pick<SloRecord, 'updatedAt'>,
  state: Pick<StoredState, 'status' | 'updatedAt'> | undefined,
  options: Pick<CurrentOptions, 'at' | 'extraBurnWindows'> = {},
): { status: SloStatus; live: null } | { status: null; live: LiveReason } {
  if (options.at) return { status: null, live: 'at' };
  if (!state) return { status: null, live: 'no_state' };
  if (state.updatedAt < record.updatedAt) return { status: null, live: 'changed' };
  const parsed = SloStatus.safeParse(state.status);
  if (!parsed.success) return { status: null, live: 'invalid' };
  const missing = (options.extraBurnWindows ?? []).some((w) => !(w in parsed.data.burnRates));
  if (missing) return { status: null, live: 'windows' };
  return { status: parsed.data, live: null };
}

/**
 * A stored status as of its minute, with `unread` brought up to now: the minutes since its asOf that its figures do
 * not include yet (its `evaluation` is as the pass that wrote it left it, at most a pass old).
 */
export function refreshUnread(status: SloStatus, now: Date): SloStatus {
  const lastWhole = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  const asOf = new Date(status.asOf);
  const unread = asOf < lastWhole ? { from: status.asOf, to: lastWhole.toISOString() } : null;
  return { ...status, unread };
}

/** SLO ids whose stored state failed to parse, each warned about once per process (the state is rewritten every pass). */
const warned = new Set<string>();

/**
 * The current status of each SLO, in the order given: the stored state where it serves (one query for all of them),
 * computed live for the others (new SLOs not yet evaluated, `at`, windows the state lacks, a state that fails to
 * parse or predates the SLO's last change).
 */
export async function currentStatuses(records: readonly SloRecord[], options: CurrentOptions = {}): Promise<SloStatus[]> {
  const now = options.now ?? new Date();
  const states = options.at ? new Map<string, StoredState>() : await findStates(records.map((r) => r.id));
  return Promise.all(
    records.map(async (record) => {
      const choice = chooseStatus(record, states.get(record.id), options);
      if (choice.status) return refreshUnread(choice.status, now);
      if (choice.live === 'invalid' && !warned.has(record.id)) {
        warned.add(record.id);
        log.warn('slo_state.invalid', { service: record.serviceSlug, slo: record.slug, using: 'live computation' });
      }
      return computeSloStatus(record, { now, at: options.at, extraBurnWindows: options.extraBurnWindows });
    }),
  );
}

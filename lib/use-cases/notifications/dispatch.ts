import { claimDue, hasNewerRepeat, pruneRepeats, settle, type ClaimedNotification, type Settlement } from '../../db/notifications';
import { decryptSecret } from '../../crypto/secrets';
import { log } from '../../log';
import { sendToChannel } from '../../notify/send';
import type { AlertMessage, SendDeps } from '../../notify/types';
import { ChannelConfig } from '../../schemas/index';
import { EVALUATOR_ID } from '../evaluation/evaluate-slo';
import { outboxSignal } from '../alerts/outbox-signal';

const SECOND_MS = 1000;
/** A claim outlives a send's timeout; a process that dies mid-send loses its claim after this and another sends. */
const CLAIM_MS = 60 * SECOND_MS;
const BATCH = 50;
/** Sends in flight at once per process. */
const CONCURRENCY = 8;
/** Retries back off from 5 s, doubling, to at most 5 minutes between tries. */
const FIRST_RETRY_MS = 5 * SECOND_MS;
const MAX_RETRY_MS = 5 * 60 * SECOND_MS;
/** A notification that could not be delivered for a day is given up (the delivery log says so). */
const GIVE_UP_MS = 24 * 60 * 60 * SECOND_MS;
/** A re-send that could not go out within this long is stale: the next one says the same, newer. */
const REPEAT_STALE_MS = 5 * 60 * SECOND_MS;
const POLL_MS = 2 * SECOND_MS;

export interface DispatchRun {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  superseded: number;
}

export interface DispatchOptions {
  owner?: string;
  now?: () => Date;
  /** For tests of faults: how messages are sent (default: the channel adapters through the outbound guard). */
  deps?: Partial<SendDeps>;
}

/** The delay before attempt `attempts + 1`. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends every notification due now, claiming them first, so two processes never send the same one; each
 * delivered, retried or given up is recorded with its attempt in the delivery log. Runs until none is due.
 */
export async function dispatchDue(options: DispatchOptions = {}): Promise<DispatchRun> {
  const owner = options.owner ?? EVALUATOR_ID;
  const now = options.now ?? (() => new Date());
  const run: DispatchRun = { claimed: 0, delivered: 0, retried: 0, failed: 0, superseded: 0 };
  for (;;) {
    const at = now();
    const batch = await claimDue(owner, at, new Date(at.getTime() + CLAIM_MS), BATCH);
    if (batch.length === 0) return run;
    run.claimed += batch.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, batch.length) }, async () => {
        while (next < batch.length) {
          const row = batch[next++]!;
          const outcome = await deliver(row, owner, now, options.deps);
          run[outcome]++;
        }
      }),
    );
    if (batch.length < BATCH) return run;
  }
}

async function deliver(
  row: ClaimedNotification,
  owner: string,
  now: () => Date,
  deps?: Partial<SendDeps>,
): Promise<'delivered' | 'retried' | 'failed' | 'superseded'> {
  const started = now();
  if (row.action === 'repeat' && (started.getTime() - row.createdAt.getTime() > REPEAT_STALE_MS || (await hasNewerRepeat(row)))) {
    await settle(row.id, owner, { status: 'superseded', attempt: null });
    return 'superseded';
  }
  let settlement: Settlement;
  const config = ChannelConfig.safeParse(row.channel.config);
  if (!config.success) {
    settlement = { status: 'failed', attempt: { ok: false, statusCode: null, response: 'the channel settings are not valid any more', ms: 0, at: started } };
  } else {
    let secret: string | null = null;
    try {
      secret = row.channel.secret ? decryptSecret(row.channel.secret) : null;
    } catch {
      // Without its key the secret cannot be read: retrying cannot help until an operator fixes UMPIRE_SECRET_KEY.
      await settle(row.id, owner, {
        status: 'failed',
        attempt: { ok: false, statusCode: null, response: 'the channel secret cannot be decrypted with UMPIRE_SECRET_KEY', ms: 0, at: started },
      });
      return 'failed';
    }
    const t0 = performance.now();
    const result = await sendToChannel({ slug: row.channel.slug, config: config.data, secret }, row.payload as unknown as AlertMessage, deps);
    const attempt = {
      ok: result.ok,
      statusCode: result.statusCode,
      response: result.response.slice(0, 1000),
      ms: Math.round(performance.now() - t0),
      at: started,
    };
    if (result.ok) settlement = { status: 'delivered', attempt };
    else if (result.retryable && now().getTime() - row.createdAt.getTime() < GIVE_UP_MS)
      settlement = { status: 'pending', nextAttemptAt: new Date(now().getTime() + retryDelayMs(row.attempts)), attempt };
    else settlement = { status: 'failed', attempt };
  }
  const kept = await settle(row.id, owner, settlement);
  const fields = {
    notification: row.id,
    channel: row.channel.slug,
    kind: row.channel.kind,
    action: row.action,
    attempt: row.attempts,
    status: settlement.status,
  };
  if (!kept) log.warn('notify.claim_lost', fields);
  else if (settlement.status === 'delivered') log.info('notify.delivered', { ...fields, statusCode: settlement.attempt?.statusCode });
  else
    log.warn('notify.not_delivered', {
      ...fields,
      statusCode: settlement.attempt?.statusCode,
      response: settlement.attempt?.response,
      nextAttemptAt: settlement.nextAttemptAt,
    });
  if (settlement.status === 'delivered') return 'delivered';
  return settlement.status === 'pending' ? 'retried' : 'failed';
}

const holder = globalThis as typeof globalThis & { umpireDispatcher?: { stop: () => void } };

/**
 * Sends queued notifications in the background: every couple of seconds, and at once when this process queues
 * some. Several processes may run it; claims keep them from sending one notification twice.
 */
export function startDispatcher(options: DispatchOptions = {}): void {
  if (holder.umpireDispatcher) return;
  let running: Promise<void> | null = null;
  let again = false;
  let lastPrune = 0;
  const tick = () => {
    if (running) {
      again = true;
      return;
    }
    running = dispatchDue(options)
      .then(async (run) => {
        if (run.claimed > 0) log.info('notify.dispatched', { ...run });
        if (Date.now() - lastPrune > 60 * 60 * SECOND_MS) {
          lastPrune = Date.now();
          await pruneRepeats(new Date(Date.now() - 24 * 60 * 60 * SECOND_MS));
        }
      })
      .catch((error: unknown) => log.error('notify.dispatch_failed', { error }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  outboxSignal.addEventListener('queued', tick);
  holder.umpireDispatcher = {
    stop: () => {
      clearInterval(timer);
      outboxSignal.removeEventListener('queued', tick);
    },
  };
  tick();
  log.info('notify.dispatcher_started', { pollMs: POLL_MS, owner: options.owner ?? EVALUATOR_ID });
}

export function stopDispatcher(): void {
  holder.umpireDispatcher?.stop();
  holder.umpireDispatcher = undefined;
}

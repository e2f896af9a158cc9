import { log } from '../log';
import { evaluateAll } from '../use-cases/evaluate-all';
import { evaluationRequests } from './requests';

const INTERVAL_MS = 60_000;
const holder = globalThis as typeof globalThis & { umpireEvaluator?: { timer: NodeJS.Timeout; stop: () => void } };

/**
 * Runs an evaluator pass now and every minute, never two passes at once in this process; other processes
 * doing the same share the SLOs through per-SLO leases in the database. A new SLO is evaluated at once.
 */
export function startEvaluator(): void {
  if (holder.umpireEvaluator) return;
  let running: Promise<void> | null = null;
  const pending = new Set<string>();

  const pass = async (sloIds?: string[]) => {
    try {
      const run = await evaluateAll({ sloIds });
      const fields = {
        slos: run.slos,
        evaluated: run.evaluated,
        skipped: run.skipped,
        bucketsWritten: run.written,
        promqlRequests: run.requests,
        groups: run.groups,
        failed: run.failed.length,
        ms: run.ms,
      };
      if (run.failed.length > 0) log.warn('evaluator.pass', { ...fields, failures: run.failed.slice(0, 10) });
      else log.info('evaluator.pass', fields);
    } catch (error) {
      log.error('evaluator.pass_failed', { error });
    }
  };
  const tick = () => {
    if (running) return;
    running = pass().finally(() => (running = null));
  };
  const onRequest = (event: Event) => {
    pending.add((event as CustomEvent<string>).detail);
    // A requested SLO waits for a running pass only, then gets one of its own.
    void (running ?? Promise.resolve()).then(() => {
      if (pending.size === 0 || running) return;
      const ids = [...pending];
      pending.clear();
      running = pass(ids).finally(() => (running = null));
    });
  };
  evaluationRequests.addEventListener('request', onRequest);
  const timer = setInterval(tick, INTERVAL_MS);
  timer.unref();
  holder.umpireEvaluator = {
    timer,
    stop: () => {
      clearInterval(timer);
      evaluationRequests.removeEventListener('request', onRequest);
    },
  };
  tick();
  log.info('evaluator.started', { intervalMs: INTERVAL_MS });
}

export function stopEvaluator(): void {
  holder.umpireEvaluator?.stop();
  holder.umpireEvaluator = undefined;
}

import { log } from '../log';
import { evaluateAll } from '../use-cases/evaluate-all';

const INTERVAL_MS = 60_000;
const holder = globalThis as typeof globalThis & { umpireEvaluator?: NodeJS.Timeout };

/** Runs an evaluator pass now and then every minute, a pass never overlapping the one before. Idempotent. */
export function startEvaluator(): void {
  if (holder.umpireEvaluator) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const run = await evaluateAll();
      log.info('evaluator.pass', { slos: run.slos, bucketsWritten: run.written, failed: run.failed.length });
    } catch (error) {
      log.error('evaluator.pass_failed', { error });
    } finally {
      running = false;
    }
  };
  holder.umpireEvaluator = setInterval(tick, INTERVAL_MS);
  holder.umpireEvaluator.unref();
  void tick();
  log.info('evaluator.started', { intervalMs: INTERVAL_MS });
}

export function stopEvaluator(): void {
  if (holder.umpireEvaluator) clearInterval(holder.umpireEvaluator);
  holder.umpireEvaluator = undefined;
}

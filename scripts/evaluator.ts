/**
 * `npm run evaluator`: the evaluator alone, without the web server (DATABASE_URL required). Any number may
 * run beside the servers; they share SLOs through leases in the database.
 */
import { env } from '../lib/env';
import { log } from '../lib/log';
import { startEvaluator, stopEvaluator } from '../lib/evaluator/loop';
import { startDispatcher, stopDispatcher } from '../lib/use-cases/notifications/dispatch';

env();
startEvaluator();
startDispatcher();
const keepAlive = setInterval(() => undefined, 1 << 30);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log.info('evaluator.stopping', { signal });
    stopEvaluator();
    stopDispatcher();
    clearInterval(keepAlive);
    process.exit(0);
  });
}

/** Next.js calls this once per server process at start. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { env } = await import('./lib/env');
  if (env().UMPIRE_EVALUATOR === 'on') {
    const { startEvaluator } = await import('./lib/evaluator/loop');
    startEvaluator();
  }
}

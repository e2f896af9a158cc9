/** Next.js calls this once per server process at start. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { log } = await import('./lib/log');
  // Telemetry first, so the evaluator's first pass is traced; Umpire starts without it if it fails.
  try {
    const { startTelemetry } = await import('./lib/telemetry/sdk');
    await startTelemetry({
      selfIngestToken: async () => {
        const { ensureSelfIngestToken } = await import('./lib/use-cases/ingest/self-ingest-token');
        return ensureSelfIngestToken();
      },
      sloStates: async () => {
        const { readSloStateSnapshot } = await import('./lib/use-cases/system/slo-state-metrics');
        return readSloStateSnapshot();
      },
    });
  } catch (error) {
    log.error('telemetry.start_failed', { error });
  }
  const { env } = await import('./lib/env');
  if (env().UMPIRE_EVALUATOR === 'on') {
    const { startEvaluator } = await import('./lib/evaluator/loop');
    startEvaluator();
    const { startDispatcher } = await import('./lib/use-cases/notifications/dispatch');
    startDispatcher();
  }
}

import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { log } from '../log';
import { recordBackendError, recordEvaluationLag, recordEvaluationPass } from '../telemetry/metrics';
import { tracer } from '../telemetry/tracer';
import { evaluateAll, type EvaluationRun } from '../use-cases/evaluation/evaluate-all';
import { evaluationLag } from '../use-cases/evaluation/evaluation-lag';
import { evaluationRequests } from '../use-cases/evaluation/requests';
import { recordStates } from '../use-cases/alerts/record-states';
import { recordServiceStates } from '../use-cases/services/service-states';

const INTERVAL_MS = 60_000;
/**
 * Passes start this long after each minute turns, whenever the process started: the minute just ended is read
 * within seconds, so figures (as of the newest minute read) trail the clock by seconds, not by up to a minute
 * (docs/slo-math.md, "As of a minute that was read"). Late samples are caught by the 5-minute re-read.
 */
export const PASS_PHASE_MS = 2_000;
const holder = globalThis as typeof globalThis & { umpireEvaluator?: { timer: NodeJS.Timeout; stop: () => void } };

/** Milliseconds from `now` to the next pass: PASS_PHASE_MS after the next minute boundary (or this one's, if ahead). */
export function msUntilNextPass(now: number): number {
  const next = Math.floor(now / INTERVAL_MS) * INTERVAL_MS + PASS_PHASE_MS;
  return next > now ? next - now : next + INTERVAL_MS - now;
}

/**
 * Runs an evaluator pass now and then every minute, just after the minute turns, never two passes at once in this
 * process; other processes doing the same share the SLOs through per-SLO leases in the database. A new SLO is
 * evaluated at once.
 */
export function startEvaluator(): void {
  if (holder.umpireEvaluator) return;
  let running: Promise<void> | null = null;
  const pending = new Set<string>();
  // The state-and-alerts step: one at a time; what is asked meanwhile (all SLOs, or some) runs next.
  let recording: Promise<void> | null = null;
  let recordNext: { all: boolean; ids: Set<string> } | null = null;
  const record = (sloIds?: string[]) => {
    if (recording) {
      recordNext ??= { all: false, ids: new Set() };
      if (!sloIds) recordNext.all = true;
      else sloIds.forEach((id) => recordNext!.ids.add(id));
      return;
    }
    recording = recordPass(sloIds).finally(() => {
      recording = null;
      const next = recordNext;
      recordNext = null;
      if (next) record(next.all ? undefined : [...next.ids]);
    });
  };

  const pass = (sloIds?: string[]) =>
    tracer().startActiveSpan('evaluator.pass', async (span) => {
      const scope = sloIds ? 'requested' : 'all';
      const started = performance.now();
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
        observePass(span, run, scope);
        // Every SLO's state and alerts as of the minutes just read (pushed SLOs' too: their buckets came by ingest),
        // beside the next passes rather than before them: a new SLO's history is not held up by 10,000 states.
        record(sloIds);
      } catch (error) {
        log.error('evaluator.pass_failed', { error });
        recordEvaluationPass({ seconds: (performance.now() - started) / 1000, slos: 0, failed: 0, scope, error: true });
        // The class only: the log line has the message, which a span exporter should not carry off.
        span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR });
      } finally {
        await observeLag();
        span.end();
      }
    });
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
  const schedule = (): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      tick();
      if (holder.umpireEvaluator) holder.umpireEvaluator.timer = schedule();
    }, msUntilNextPass(Date.now()));
    timer.unref();
    return timer;
  };
  holder.umpireEvaluator = {
    timer: schedule(),
    stop: () => {
      if (holder.umpireEvaluator) clearTimeout(holder.umpireEvaluator.timer);
      evaluationRequests.removeEventListener('request', onRequest);
    },
  };
  tick();
  log.info('evaluator.started', { intervalMs: INTERVAL_MS, phaseMs: PASS_PHASE_MS });
}

/**
 * Keeps every SLO's state (or the given ones'), steps their alerts, queues notifications and summarises their
 * services for the overview; never throws.
 */
function recordPass(sloIds?: string[]): Promise<void> {
  return tracer().startActiveSpan('alerts.record', async (span) => {
    try {
      const states = await recordStates({ sloIds });
      const fields = {
        slos: states.slos,
        written: states.written,
        transitions: states.transitions,
        notifications: states.notifications,
        released: states.released,
        failed: states.failed.length,
        ms: states.ms,
      };
      if (states.failed.length > 0) log.warn('alerts.recorded', { ...fields, failures: states.failed.slice(0, 10) });
      else log.info('alerts.recorded', fields);
      span.setAttributes({
        'umpire.alerts.slos': states.slos,
        'umpire.alerts.states_written': states.written,
        'umpire.alerts.transitions': states.transitions,
        'umpire.alerts.notifications': states.notifications,
      });
      // Then each service's overview figures from the states just written (only if some were: a second process
      // finds this minute's states done and leaves the summaries to the one that wrote them).
      if (states.written > 0) {
        const services = await recordServiceStates({ sloIds });
        if (services.failed > 0) log.warn('services.summarised', { ...services });
        else log.info('services.summarised', { ...services });
        span.setAttributes({ 'umpire.services.summarised': services.services - services.failed, 'umpire.services.summarise_ms': services.ms });
      }
    } catch (error) {
      log.error('alerts.record_failed', { error });
      span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      span.end();
    }
  });
}

/** A pass's figures on its span and in Umpire's metrics; SLOs that failed count as backend errors by kind. */
function observePass(span: Span, run: EvaluationRun, scope: 'all' | 'requested'): void {
  span.setAttributes({
    'umpire.evaluation.scope': scope,
    'umpire.evaluation.slos': run.slos,
    'umpire.evaluation.evaluated': run.evaluated,
    'umpire.evaluation.skipped': run.skipped,
    'umpire.evaluation.failed': run.failed.length,
    'umpire.evaluation.buckets_written': run.written,
    'umpire.evaluation.promql_requests': run.requests,
  });
  recordEvaluationPass({ seconds: run.ms / 1000, slos: run.slos, failed: run.failed.length, scope });
  for (const failure of run.failed) {
    // The data source, when evaluate-all names it; a failure is recorded in any case.
    const datasource = 'datasource' in failure && typeof failure.datasource === 'string' ? failure.datasource : 'unknown';
    recordBackendError({ datasource, kind: failure.kind });
  }
}

/** The least fresh SLO's lag, read after every pass; a failure here never affects evaluation. */
async function observeLag(): Promise<void> {
  try {
    recordEvaluationLag(await evaluationLag());
  } catch (error) {
    log.warn('evaluator.lag_failed', { error });
  }
}

export function stopEvaluator(): void {
  holder.umpireEvaluator?.stop();
  holder.umpireEvaluator = undefined;
}

/**
 * Use-cases ask for an evaluation soon (a new SLO wants its history) without depending on the loop: the loop,
 * when running in this process, listens here. Next bundles route handlers and instrumentation separately, each
 * with its own copy of this module, so the channel lives on globalThis to be one per process.
 */
const holder = globalThis as typeof globalThis & { umpireEvaluationRequests?: EventTarget };

export const evaluationRequests: EventTarget = (holder.umpireEvaluationRequests ??= new EventTarget());

export function requestEvaluation(sloId: string): void {
  evaluationRequests.dispatchEvent(new CustomEvent('request', { detail: sloId }));
}

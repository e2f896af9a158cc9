/**
 * Use-cases ask for an evaluation soon (a new SLO wants its history) without depending on the loop: the loop,
 * when running in this process, listens here.
 */
export const evaluationRequests = new EventTarget();

export function requestEvaluation(sloId: string): void {
  evaluationRequests.dispatchEvent(new CustomEvent('request', { detail: sloId }));
}

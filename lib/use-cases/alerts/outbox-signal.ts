/**
 * In-process wake-up for the dispatcher: the evaluator says "notifications were queued" and a dispatcher in the same
 * process sends them at once instead of at its next poll. Other processes find them by polling.
 */
export const outboxSignal = new EventTarget();

export function notificationsQueued(): void {
  outboxSignal.dispatchEvent(new Event('queued'));
}

import type { AlertMessage } from './types';

/** A burn-rate page as the dispatcher would build it, for the adapters' tests. */
export function alertMessage(overrides: Partial<Omit<AlertMessage, 'event'>> & { event?: Partial<AlertMessage['event']> } = {}): AlertMessage {
  const { event, ...rest } = overrides;
  return {
    idempotencyKey: 'evt-1:trigger:ops-pager',
    action: 'trigger',
    service: { slug: 'checkout-api', name: 'Checkout API', team: 'payments' },
    slo: { slug: 'availability', name: 'Availability', objective: 0.999, labels: { tier: '1' } },
    figures: { asOf: '2026-12-07T16:00:00.000Z', sli: 0.9856, budgetRemaining: 0.42, burnRates: { '5m': 14.9, '1h': 14.4, '6h': 3.1 } },
    summary: 'checkout-api/availability burns its budget 14.4x (page)',
    description: 'Checkout API / Availability has burned its error budget 14.40× over 1h (and 14.90× over 5m); 42% of the budget is left.',
    links: {
      slo: 'https://umpire.example.com/services/checkout-api/slos/availability',
      runbook: 'https://runbooks.example.com/checkout',
      dashboard: null,
    },
    ...rest,
    event: {
      id: '0b7f3a52-4c1e-4d59-9a51-5e7d3c1b2a10',
      kind: 'burn_rate',
      severity: 'page',
      alertKey: 'burn_rate:1h:5m',
      groupKey: 'umpire/checkout-api/availability/burn_rate/page',
      alertName: 'SLOBurnRatePage',
      startedAt: '2026-12-07T15:58:00.000Z',
      endedAt: null,
      peakBurnRate: 14.9,
      budgetSpent: 0.021,
      longWindow: '1h',
      shortWindow: '5m',
      threshold: 14.4,
      ...event,
    },
  };
}

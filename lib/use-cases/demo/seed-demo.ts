import type { z } from 'zod';
import { systemActor } from '../../auth/authorize';
import { countServices } from '../../db/services';
import { log } from '../../log';
import { DemoSli, otelTemplate, ServiceInput as ServiceInputSchema, SloInput as SloInputSchema, type OtelMatch } from '../../schemas/index';
import { createService } from '../services/create-service';
import { createSlo } from '../slos/create-slo';
import { recordDeployment } from '../gates/deployments';
import { evaluateSlo, HISTORY_DAYS } from '../evaluation/evaluate-slo';
import { findSloRecord } from '../../db/slos';
import { incidentsBetween } from '../../sources/demo/generator';

const SYSTEM = systemActor('demo seed');

type DemoService = { service: z.input<typeof ServiceInputSchema>; slos: Array<z.input<typeof SloInputSchema>> };

/** A small, varied catalogue: one service over budget, one burning slowly, healthy ones, several window kinds. */
export const DEMO_CATALOG: DemoService[] = [
  {
    service: {
      slug: 'checkout-api',
      name: 'Checkout API',
      ownerTeam: 'payments',
      tier: 1,
      description: 'Takes orders and charges cards. Demo data.',
      links: { runbook: 'https://runbooks.example.com/checkout', repository: 'https://git.example.com/shop/checkout' },
    },
    slos: [
      {
        slug: 'availability',
        name: 'Checkout availability',
        description: 'Share of checkout requests answered without a 5xx.',
        objective: 0.999,
        sli: { source: 'demo', profile: 'availability', eventsPerMinute: 900, baselineErrorRatio: 0.0011, seed: 'checkout-availability' },
      },
      {
        slug: 'latency',
        name: 'Checkout latency under 300 ms',
        objective: 0.99,
        sli: { source: 'demo', profile: 'latency', eventsPerMinute: 900, baselineErrorRatio: 0.004, seed: 'checkout-latency' },
      },
    ],
  },
  {
    service: {
      slug: 'payments-gateway',
      name: 'Payments Gateway',
      ownerTeam: 'payments',
      tier: 1,
      description: 'Talks to card networks. Demo data.',
      links: { onCall: 'https://oncall.example.com/payments' },
    },
    slos: [
      {
        slug: 'availability',
        name: 'Gateway availability',
        objective: 0.9995,
        window: { kind: 'rolling', days: 28 },
        sli: { source: 'demo', profile: 'availability', eventsPerMinute: 400, baselineErrorRatio: 0.00008, seed: 'gateway' },
      },
    ],
  },
  {
    service: {
      slug: 'search',
      name: 'Search',
      ownerTeam: 'discovery',
      tier: 2,
      description: 'Product search. Demo data.',
      links: { dashboard: 'https://grafana.example.com/d/search' },
    },
    slos: [
      {
        slug: 'latency',
        name: 'Search latency under 500 ms',
        objective: 0.995,
        window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
        sli: { source: 'demo', profile: 'latency', eventsPerMinute: 1500, baselineErrorRatio: 0.0015, seed: 'search-latency' },
      },
      {
        slug: 'uptime',
        name: 'Search uptime (5-minute slices)',
        objective: 0.999,
        budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 0.99 },
        sli: { source: 'demo', profile: 'availability', eventsPerMinute: 1500, baselineErrorRatio: 0.0004, seed: 'search-uptime' },
      },
    ],
  },
  {
    service: {
      slug: 'notifications',
      name: 'Notifications',
      ownerTeam: 'messaging',
      tier: 3,
      description: 'Email and push delivery. Demo data.',
    },
    slos: [
      {
        slug: 'delivery',
        name: 'Notification delivery',
        objective: 0.99,
        window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
        sli: { source: 'demo', profile: 'availability', eventsPerMinute: 120, baselineErrorRatio: 0.002, seed: 'notifications' },
      },
    ],
  },
];

/** The service name Umpire's own telemetry carries (lib/telemetry: resource service.name). */
export const SELF_SERVICE_NAME = 'umpire';

const selfOnly: OtelMatch = { kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: [SELF_SERVICE_NAME] };

/**
 * Dogfooding: Umpire's own http.server.request.duration, pushed to its own /v1/metrics when UMPIRE_SELF_OBSERVE
 * is on (npm start turns it on). Live data from the first export on, so no synthetic history.
 */
export const SELF_OBSERVATION: DemoService = {
  service: {
    slug: 'umpire',
    name: 'Umpire',
    ownerTeam: 'platform',
    tier: 1,
    description:
      'Umpire observing itself: its own HTTP request durations, pushed through its own OTLP receiver (/v1/metrics) when self-observation is on. Live data, not demo data.',
  },
  slos: [
    {
      slug: 'availability',
      name: 'Umpire availability',
      description: "Share of Umpire's HTTP requests (UI, API and OTLP ingest) answered without a 5xx.",
      objective: 0.999,
      window: { kind: 'rolling', days: 28 },
      sli: { source: 'otel', ...otelTemplate('http_availability'), filters: [selfOnly] },
    },
    {
      slug: 'latency',
      name: 'Umpire latency under 500 ms',
      description: "Share of Umpire's HTTP requests answered within 500 ms (a bucket boundary of http.server.request.duration).",
      objective: 0.99,
      window: { kind: 'rolling', days: 28 },
      sli: { source: 'otel', ...otelTemplate('http_latency', 0.5), filters: [selfOnly] },
    },
  ],
};

export interface SeededService {
  service: string;
  slos: number;
  /** 1-based position among `of` services. */
  index: number;
  of: number;
}

/** The progress line for a seeded service: "seeded 2 of 7: checkout-api (3 SLOs)". */
export function describeSeeded({ service, slos, index, of }: SeededService): string {
  return `seeded ${index} of ${of}: ${service} (${slos} SLO${slos === 1 ? '' : 's'})`;
}

/**
 * Seeds the demo catalogue (synthetic SLOs with 90 days of history) and Umpire's own SLOs, only into an empty
 * database, so running it again changes nothing. Returns whether it did; onService hears of each service seeded.
 */
export async function seedDemo({ onService }: { onService?: (seeded: SeededService) => void } = {}): Promise<boolean> {
  if ((await countServices()) > 0) return false;
  const entries = [...DEMO_CATALOG, SELF_OBSERVATION];
  for (const [index, entry] of entries.entries()) {
    const service = await createService({ actor: SYSTEM, input: ServiceInputSchema.parse(entry.service) });
    for (const slo of entry.slos) {
      const created = await createSlo({ actor: SYSTEM, service: service.slug, input: SloInputSchema.parse(slo) });
      // Not a request: the history is filled here and now, so the demo is whole when the server starts.
      if (created.sli.source === 'demo') await evaluateSlo(await findSloRecord(service.slug, created.slug), { backfillDays: HISTORY_DAYS });
    }
    const demo = entry.slos.map((slo) => DemoSli.safeParse(slo.sli)).find((parsed) => parsed.success)?.data;
    if (demo) await seedDeployments(service.slug, demo, new Date());
    onService?.({ service: service.slug, slos: entry.slos.length, of: entries.length, index: index + 1 });
  }
  log.info('demo.seeded', { services: entries.length, slos: entries.reduce((n, e) => n + e.slos.length, 0) });
  return true;
}

/**
 * Demo deploys: a quiet one on each of the last few days, and one a couple of minutes before each of the last
 * incidents of the service's first demo SLO, so the charts carry markers and the ledger has a culprit to show.
 */
async function seedDeployments(service: string, spec: DemoSli, now: Date): Promise<void> {
  const nowMinute = Math.floor(now.getTime() / 60_000);
  const starts = new Set<number>();
  for (const days of [9, 6, 3, 1]) starts.add(nowMinute - days * 1440 + 7 * 60);
  for (const incident of incidentsBetween(spec, nowMinute - 10 * 1440, nowMinute - 90).slice(-3)) starts.add(incident.start - 2);
  let minor = 40;
  for (const minute of [...starts].sort((a, b) => a - b)) {
    if (minute >= nowMinute) continue;
    await recordDeployment({
      actor: SYSTEM,
      input: { service, version: `v1.${minor++}.0`, environment: 'production', startedAt: new Date(minute * 60_000).toISOString() },
      now,
    });
  }
}

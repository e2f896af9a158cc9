import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SloSeries, SloStatus, type AlertTier, type SeriesPoint } from '../schemas';
import type { PanelKind, PanelOptions, ServicePanelData, SloPanelData } from './panel-data';

// Realistic panel data for the renderers' tests, parsed by the real schemas so it cannot drift from them.

export const AS_OF = '2026-11-26T14:05:00Z';
const AS_OF_MS = Date.parse(AS_OF);
const MINUTE = 60_000;

/** The SRE Workbook's tiers for a 30-day SLO (docs/slo-math.md). */
export const DEFAULT_TIERS: AlertTier[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', burnRate: 3 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', burnRate: 1 },
];

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

export type StatusOverrides = Partial<Omit<SloStatus, 'errorBudget' | 'window' | 'evaluation'>> & {
  errorBudget?: Partial<SloStatus['errorBudget']>;
  window?: Partial<SloStatus['window']>;
  evaluation?: Partial<SloStatus['evaluation']>;
  /** Tiers firing, by "severity/long/short". */
  firing?: string[];
};

export function sloStatus(overrides: StatusOverrides = {}): SloStatus {
  const { firing = [], errorBudget, window, evaluation, ...rest } = overrides;
  const burnRates = Object.fromEntries(WINDOWS.map((w, i) => [w, 0.5 + i * 0.1]));
  const status = {
    service: 'checkout',
    slo: 'availability',
    source: 'prometheus',
    objective: 0.999,
    window: {
      kind: 'rolling',
      from: new Date(AS_OF_MS - 30 * 1440 * MINUTE).toISOString(),
      to: AS_OF,
      periodEnd: AS_OF,
      periodMinutes: 30 * 1440,
      days: 30,
      ...window,
    },
    budgeting: 'occurrences',
    sli: 0.99959,
    good: 34_503_500,
    total: 34_517_661,
    errorBudget: { consumed: 0.59, remaining: 0.41, allowedMinutes: 43.2, ...errorBudget },
    burnRates,
    alerts: DEFAULT_TIERS.map((t) => ({
      severity: t.severity,
      longWindow: t.longWindow,
      shortWindow: t.shortWindow,
      threshold: t.burnRate,
      longBurnRate: burnRates[t.longWindow] ?? null,
      shortBurnRate: burnRates[t.shortWindow] ?? null,
      longEvents: 1_000_000,
      guarded: false,
      firing: firing.includes(`${t.severity}/${t.longWindow}/${t.shortWindow}`),
    })),
    timeToExhaustion: 3 * 86_400,
    dataState: 'ok',
    dataSince: '2026-08-01T00:00:00Z',
    coverage: 1,
    measured: { minutes: 30 * 1440, windowMinutes: 30 * 1440, events: 34_517_661 },
    provisional: false,
    provisionalReason: null,
    minEvents: 100,
    dataQuality: { faultCount: 0, faults: [], spans: [] },
    carriedGaps: [],
    evaluation: {
      lastSuccessAt: AS_OF,
      staleSince: null,
      lastError: null,
      backfill: null,
      reread: null,
      ...evaluation,
    },
    asOf: AS_OF,
    unread: null,
    ...rest,
  };
  return SloStatus.parse(status);
}

/** A calendar-month window in Berlin, as the app states it: "calendar month (Europe/Berlin)". */
export function calendarWindow(): StatusOverrides['window'] {
  return {
    kind: 'calendar',
    from: '2026-10-31T23:00:00Z',
    to: AS_OF,
    periodEnd: '2026-11-30T23:00:00Z',
    periodMinutes: 30 * 1440,
    days: undefined,
    unit: 'month',
    timeZone: 'Europe/Berlin',
  };
}

export interface SeriesOptions {
  /** Range in minutes (7 days by default) and step in seconds (30 minutes by default, as the app's 7d). */
  rangeMinutes?: number;
  step?: number;
  /** Rewrites each generated point, e.g. to put nulls in. */
  point?: (p: SeriesPoint, i: number) => SeriesPoint;
  tiers?: AlertTier[];
}

/** A week of 30-minute points: a steady burn with an incident two days ago, the budget sliding from 60% to 41%. */
export function sloSeries(opts: SeriesOptions = {}): SloSeries {
  const { rangeMinutes = 7 * 1440, step = 1800, point = (p) => p, tiers = DEFAULT_TIERS } = opts;
  const count = Math.floor((rangeMinutes * 60) / step);
  const from = AS_OF_MS - rangeMinutes * MINUTE;
  const points: SeriesPoint[] = [];
  for (let i = 1; i <= count; i++) {
    const t = from + i * step * 1000;
    const incident = Math.exp(-(((i - count * 0.7) / 3) ** 2));
    const burn = 0.4 + 0.2 * Math.sin(i / 5) + 30 * incident;
    const total = 100_000 + Math.round(20_000 * Math.sin(i / 8));
    const sli = 1 - burn * 0.001;
    const generated: SeriesPoint = {
      t: new Date(t).toISOString(),
      sli,
      good: Math.round(total * sli),
      total,
      windowSli: 0.9994 + 0.0002 * (1 - i / count),
      budgetRemaining: 0.6 - 0.19 * (i / count),
      burnRates: Object.fromEntries(WINDOWS.map((w, k) => [w, Number((burn / (1 + k * 0.3)).toFixed(4))])),
    };
    points.push(point(generated, i - 1));
  }
  return SloSeries.parse({
    service: 'checkout',
    slo: 'availability',
    objective: 0.999,
    from: new Date(from).toISOString(),
    to: AS_OF,
    step,
    tiers,
    points,
  });
}

export function sloPanelData(kind: Exclude<PanelKind, 'service'>, overrides: Partial<SloPanelData> = {}): SloPanelData {
  return {
    kind,
    serviceName: 'checkout',
    sloName: 'availability',
    link: 'https://umpire.example.com/services/checkout/slos/availability',
    status: sloStatus(),
    series: sloSeries(),
    ...overrides,
  };
}

export function servicePanelData(overrides: Partial<ServicePanelData> = {}): ServicePanelData {
  return {
    kind: 'service',
    serviceName: 'checkout',
    link: 'https://umpire.example.com/services/checkout',
    slos: [
      { name: 'availability', slug: 'availability', link: 'https://umpire.example.com/services/checkout/slos/availability', status: sloStatus() },
      {
        name: 'latency p99 < 300ms',
        slug: 'latency',
        link: 'https://umpire.example.com/services/checkout/slos/latency',
        status: sloStatus({ slo: 'latency', sli: 0.9981, errorBudget: { remaining: -0.125, consumed: 1.125 }, firing: ['page/1h/5m'] }),
      },
      {
        name: 'payments webhook',
        slug: 'webhook',
        link: 'https://umpire.example.com/services/checkout/slos/webhook',
        status: sloStatus({ slo: 'webhook', sli: null, dataState: 'no_data', errorBudget: { remaining: null, consumed: null } }),
      },
    ],
    asOf: AS_OF,
    ...overrides,
  };
}

export const SIZES: Array<[number, number]> = [
  [400, 200],
  [600, 300],
  [900, 400],
];

export function options(width: number, height: number, theme: PanelOptions['theme'] = 'light', range = '7d'): PanelOptions {
  return { theme, width, height, range };
}

/** Parses SVG as strict XML: any warning or error from the parser fails the test. */
export function parseSvg(svg: string): Document {
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  });
  return parser.parseFromString(svg, 'image/svg+xml');
}

export function elements(doc: Document, name: string): Element[] {
  return Array.from(doc.getElementsByTagName(name));
}

export function allElements(doc: Document): Element[] {
  return elements(doc, '*');
}

/** The visible text of the panel, one entry per <text> element. */
export function texts(doc: Document): string[] {
  return elements(doc, 'text').map((t) => t.textContent ?? '');
}

import type { SloSeries, SloStatus } from '../schemas';

// What an embedded panel shows, gathered by a use-case; the renderers (lib/embed/render-*.ts) only draw it.

export const PANEL_KINDS = ['burn_rate', 'budget', 'sli', 'service'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

export type EmbedTheme = 'light' | 'dark' | 'auto';

export interface PanelOptions {
  theme: EmbedTheme;
  /** Pixels; the panel lays itself out for this size. */
  width: number;
  height: number;
  /** Range shown by charts, e.g. "7d" (also stated on the panel). */
  range: string;
}

/** One SLO panel: burn rate (with tier thresholds), error budget (burndown and remaining) or SLI. */
export interface SloPanelData {
  kind: 'burn_rate' | 'budget' | 'sli';
  serviceName: string;
  sloName: string;
  /** The SLO page, absolute URL: the panel links back to it. */
  link: string;
  status: SloStatus;
  series: SloSeries;
}

/** A service summary: every SLO with its SLI, budget remaining and alert state. */
export interface ServicePanelData {
  kind: 'service';
  serviceName: string;
  link: string;
  slos: Array<{ name: string; slug: string; link: string; status: SloStatus }>;
  /** When the figures were computed. */
  asOf: string;
}

export type PanelData = SloPanelData | ServicePanelData;

/** The compact badge: "checkout availability 99.93% | budget 41% left". */
export interface BadgeData {
  label: string;
  sli: number | null;
  budgetRemaining: number | null;
  /** Worst firing alert, for the colour. */
  alert: 'page' | 'ticket' | null;
  dataState: SloStatus['dataState'];
  /** The figures rest on a partly measured window or too few events. */
  provisional: boolean;
}

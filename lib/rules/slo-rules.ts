import type { AlertTier, Budgeting, SliSpec } from '../schemas';
import { escapeLabelValue, plainIncrease, sliQueries } from '../sources/prometheus/promql';
import { canonicalDuration, durationToMinutes, tierWindows } from '../slo';

/**
 * Prometheus rules for one SLO: recording rules for its error ratio per burn-rate window, and one multi-window,
 * multi-burn-rate alerting rule per tier, in ONE group so every alert reads ratios recorded at the same evaluation.
 * Names, labels and how to use them: docs/prometheus-rules.md.
 */

/** What the generator needs to know about an SLO and its service. */
export interface RulesSubject {
  service: { slug: string; ownerTeam: string; runbookUrl: string | null };
  slo: {
    slug: string;
    name: string;
    objective: number;
    budgeting: Budgeting;
    sli: SliSpec;
    /** The tiers in force (the SLO's own, or the defaults scaled to its period). */
    tiers: AlertTier[];
    minEvents: number;
  };
  /** Umpire's page for the SLO, linked from every alert. */
  dashboardUrl: string;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Array<RecordingRule | AlertingRule>;
}

/** One tier as generated, with whether Prometheus could ever fire it. */
export interface GeneratedTier {
  alert: string;
  severity: AlertTier['severity'];
  longWindow: string;
  shortWindow: string;
  burnRate: number;
  for: string | null;
  /** The labels its alert carries once fired (the rule holds them escaped for Go templates). */
  labels: Record<string, string>;
  /** Its alert's annotations as they read once fired: plain text, no template, so a test can expect them exactly. */
  annotations: Record<string, string>;
  /** burnRate x (1 - objective): the error ratio both windows must exceed. */
  errorRatioThreshold: number;
  /** False when no error ratio can exceed the threshold (it is 1 or more): the rule is kept, no test is generated. */
  canFire: boolean;
}

export interface SloRules {
  service: string;
  slo: string;
  group: RuleGroup;
  tiers: GeneratedTier[];
}

/** An SLO the generator leaves out, and why. */
export interface SkippedSlo {
  service: string;
  slo: string;
  reason: string;
}

export type SloRulesResult = { ok: true; rules: SloRules } | { ok: false; skipped: SkippedSlo };

/** Rule evaluation interval: Umpire measures in one-minute buckets, so its rules step by the minute too. */
export const RULE_INTERVAL = '1m';

/** `slo:sli_error:ratio_rate5m`: the share of failed events over the window (Sloth and Pyrra's naming). */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${canonicalDuration(window)}`;
}

/** `slo:sli_events:increase1h`: events counted over a tier's long window, for the minEvents guard. */
export function eventsRecord(window: string): string {
  return `slo:sli_events:increase${canonicalDuration(window)}`;
}

/** A Prometheus float literal that parses back to exactly this number. */
function promNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  return String(x);
}

/**
 * The error-ratio threshold as Prometheus computes it in the rule, so tests and rules use the same float:
 * 14.4 x (1 - 0.999) is 0.014400000000000012.
 */
export function errorRatioThreshold(burnRate: number, objective: number): number {
  return burnRate * (1 - objective);
}

/** Text a Go template (alert annotations) prints as it is: `{{` would otherwise start an action. */
export function templateLiteral(text: string): string {
  return text.replaceAll('{{', '{{ "{{" }}');
}

/** Alert names per tier, unique within the group: ErrorBudgetBurnPage1h5m, then ...-2 for a repeated tier. */
function alertNames(tiers: AlertTier[]): string[] {
  const seen = new Map<string, number>();
  return tiers.map((tier) => {
    const severity = tier.severity[0]!.toUpperCase() + tier.severity.slice(1);
    const base = `ErrorBudgetBurn${severity}${canonicalDuration(tier.longWindow)}${canonicalDuration(tier.shortWindow)}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

/** The labels an alert of this tier carries once fired: for routing and inhibition (docs/prometheus-rules.md). */
export function alertLabels(subject: Pick<RulesSubject, 'service' | 'slo'>, tier: AlertTier): Record<string, string> {
  return {
    severity: tier.severity,
    service: subject.service.slug,
    slo: subject.slo.slug,
    team: subject.service.ownerTeam,
    long_window: canonicalDuration(tier.longWindow),
    short_window: canonicalDuration(tier.shortWindow),
  };
}

/** Summary, description, the service's runbook (when it has one) and Umpire's page for the SLO. */
export function alertAnnotations(subject: RulesSubject, tier: AlertTier): Record<string, string> {
  const long = canonicalDuration(tier.longWindow);
  const short = canonicalDuration(tier.shortWindow);
  const { service, slo } = subject;
  return {
    summary: `${service.slug}/${slo.slug} burns its error budget faster than ${tier.burnRate}x (${tier.severity}, ${long}/${short})`,
    description: `${slo.name}: the ${long} and ${short} error ratios are both above ${tier.burnRate} times the error budget of a ${slo.objective} objective (${Number(errorRatioThreshold(tier.burnRate, slo.objective).toPrecision(6))} of events failing).`,
    ...(service.runbookUrl ? { runbook_url: service.runbookUrl } : {}),
    dashboard_url: subject.dashboardUrl,
  };
}

/** Why an SLO gets no rules, or null when it does. */
export function skipReason(slo: RulesSubject['slo']): string | null {
  if (slo.sli.source !== 'prometheus') return `its SLI comes from ${slo.sli.source}, not Prometheus`;
  if (slo.budgeting.method === 'timeslices') {
    return 'it budgets in timeslices, which Prometheus rules over event ratios would not measure as Umpire does';
  }
  return null;
}

/**
 * failed events / all events over `window`, from the SLI's own selectors; no events, no ratio (so no alert). A good
 * or bad side with no series counts 0, as Umpire reads it (lib/sources/prometheus/prometheus-source.ts minuteBucket),
 * except a latency SLI's bucket gone missing, which is no data there and here (docs/slo-math.md).
 */
export function errorRatioExpr(sli: SliSpec & { source: 'prometheus' }, window: string): string {
  const range = canonicalDuration(window);
  switch (sli.kind) {
    case 'ratio': {
      const total = `sum(${plainIncrease(sli.totalSelector.trim(), range)})`;
      if (sli.badSelector !== undefined) return `(sum(${plainIncrease(sli.badSelector.trim(), range)}) or vector(0)) / ${total}`;
      return `(${total} - (${sliQueries(sli, range, plainIncrease).good} or vector(0))) / ${total}`;
    }
    case 'latency': {
      const { good, total } = sliQueries(sli, range, plainIncrease);
      return `(${total} - ${good}) / ${total}`;
    }
    case 'advanced': {
      // Umpire requires one series from each query; sum() drops its labels so the two sides match.
      const { good, total } = sliQueries(sli, range, plainIncrease);
      return `(sum(${total}) - (sum(${good}) or vector(0))) / sum(${total})`;
    }
  }
}

export function eventsExpr(sli: SliSpec & { source: 'prometheus' }, window: string): string {
  return sliQueries(sli, canonicalDuration(window), plainIncrease).total;
}

/** The rule group of one Prometheus-sourced SLO, or why it has none. */
export function sloRules(subject: RulesSubject): SloRulesResult {
  const { service, slo } = subject;
  const reason = skipReason(slo);
  if (reason !== null || slo.sli.source !== 'prometheus') {
    return { ok: false, skipped: { service: service.slug, slo: slo.slug, reason: reason ?? 'not a Prometheus SLI' } };
  }
  const sli = slo.sli;
  const identity = { service: service.slug, slo: slo.slug };
  const matchers = `{service="${escapeLabelValue(service.slug)}",slo="${escapeLabelValue(slo.slug)}"}`;

  const recording: RecordingRule[] = tierWindows(slo.tiers).map((window) => ({
    record: errorRatioRecord(window),
    expr: errorRatioExpr(sli, window),
    labels: identity,
  }));
  const longWindows = [...new Set(slo.tiers.map((tier) => canonicalDuration(tier.longWindow)))].sort((a, b) => durationToMinutes(a) - durationToMinutes(b));
  if (slo.minEvents > 0) {
    for (const window of longWindows) recording.push({ record: eventsRecord(window), expr: eventsExpr(sli, window), labels: identity });
  }

  const names = alertNames(slo.tiers);
  const tiers: GeneratedTier[] = [];
  const alerting: AlertingRule[] = slo.tiers.map((tier, i) => {
    const long = canonicalDuration(tier.longWindow);
    const short = canonicalDuration(tier.shortWindow);
    const threshold = errorRatioThreshold(tier.burnRate, slo.objective);
    const limit = `(${promNumber(tier.burnRate)} * (1 - ${promNumber(slo.objective)}))`;
    // Both windows strictly above the threshold (SRE Workbook ch. 5; lib/slo/alerts.ts evaluateAlerts), and the
    // long window holding minEvents events (docs/slo-math.md, "Young and quiet SLOs").
    const conditions = [`${errorRatioRecord(long)}${matchers} > ${limit}`, `${errorRatioRecord(short)}${matchers} > ${limit}`];
    if (slo.minEvents > 0) conditions.push(`${eventsRecord(long)}${matchers} >= ${slo.minEvents}`);
    const name = names[i]!;
    tiers.push({
      alert: name,
      severity: tier.severity,
      longWindow: long,
      shortWindow: short,
      burnRate: tier.burnRate,
      for: tier.for ?? null,
      labels: alertLabels(subject, tier),
      annotations: alertAnnotations(subject, tier),
      errorRatioThreshold: threshold,
      canFire: threshold < 1,
    });
    return {
      alert: name,
      expr: conditions.join('\nand\n'),
      ...(tier.for !== undefined ? { for: canonicalDuration(tier.for) } : {}),
      // Prometheus expands templates in label values as in annotations.
      labels: Object.fromEntries(Object.entries(tiers[i]!.labels).map(([k, v]) => [k, templateLiteral(v)])),
      annotations: Object.fromEntries(Object.entries(tiers[i]!.annotations).map(([k, v]) => [k, templateLiteral(v)])),
    };
  });

  return {
    ok: true,
    rules: {
      service: service.slug,
      slo: slo.slug,
      group: { name: `umpire-slo:${service.slug}/${slo.slug}`, interval: RULE_INTERVAL, rules: [...recording, ...alerting] },
      tiers,
    },
  };
}

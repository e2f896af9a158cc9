import type { DataPolicy, GateDataState, GateReason, PolicyFloor, PolicyInput, PolicyRule, SloSelector, Verdict } from '../schemas/gate';
import { denoised } from './budget';
import { formatBudget, formatBudgetSpent, formatBurnRate, formatExactPercent, formatThreshold } from './format';

// The release gate's decision: an error-budget policy applied to the state of a service's SLOs. Pure; the
// use-case gathers each SLO's state (the same figures its page shows) and stores what was decided.

/** One SLO as the gate sees it. */
export interface GateSlo {
  slo: string;
  name: string;
  labels: Record<string, string>;
  serviceTier: number;
  /** Fraction of the error budget left (negative: overspent); null without data in the window. */
  budgetRemaining: number | null;
  /** Firing burn-rate alert tiers. */
  firing: Array<{ severity: 'page' | 'ticket'; longWindow: string; shortWindow: string; threshold: number }>;
  /** Burn rates by window ("1h", "6h", ...); null without events. */
  burnRates: Record<string, number | null>;
  /**
   * ok: figures usable; partial: provisional figures (a partly measured window, or fewer events than the SLO's
   * minimum); stale: the source stopped answering (figures end then); missing: no data.
   */
  dataState: 'ok' | 'partial' | 'stale' | 'missing';
  /** Why the figures are provisional, in a sentence ("Provisional: 4 min of 28 days measured."); null when not. */
  provisional: string | null;
  /** The window holds at least the SLO's minimum events, so its budget may be judged at all. */
  budgetJudged: boolean;
}

export interface GateDecision {
  verdict: Verdict;
  reasons: GateReason[];
  counted: GateSlo[];
  dataState: GateDataState;
}

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

/** How lenient each onMissingData is: a floor lets a service be stricter, never more lenient. */
const LENIENCY: Record<DataPolicy, number> = { fail: 0, warn: 1, pass: 2 };

/** The stricter of two onMissingData settings. */
export function stricterMissingData(a: DataPolicy, b: DataPolicy | null): DataPolicy {
  return b !== null && LENIENCY[b] < LENIENCY[a] ? b : a;
}

/** The SLOs a policy counts: those carrying all its labels, of its service tiers (none listed: all). */
export function countedSlos(policy: { slos: SloSelector }, slos: readonly GateSlo[]): GateSlo[] {
  const { labels, serviceTiers } = policy.slos;
  return slos.filter(
    (slo) => Object.entries(labels).every(([key, value]) => slo.labels[key] === value) && (serviceTiers.length === 0 || serviceTiers.includes(slo.serviceTier)),
  );
}

/** The rule as a short text: "budget_remaining < 25%", "alert_firing page", "burn_rate 1h > 2". */
export function ruleText(rule: PolicyRule): string {
  switch (rule.kind) {
    case 'budget_remaining':
      return `budget_remaining < ${formatExactPercent(rule.below)}`;
    case 'alert_firing':
      return `alert_firing ${rule.severity}`;
    case 'burn_rate':
      return `burn_rate ${rule.window} > ${rule.above}`;
  }
}

// Figures in reasons are written by the one formatter (lib/slo/format.ts), rounded toward the worse side, so a
// reason never shows its figure on the wrong side of its threshold; observedText/thresholdText carry them to the CLI.
function check(rule: PolicyRule, slo: GateSlo): GateReason | null {
  // Only for a rule that trips: the rule's text is formatted, and most SLOs trip none.
  const reason = () => ({ slo: slo.slo, rule: ruleText(rule), verdict: rule.verdict });
  switch (rule.kind) {
    case 'budget_remaining': {
      if (slo.budgetRemaining === null || !(denoised(slo.budgetRemaining) < rule.below)) return null;
      const observedText = formatBudget(slo.budgetRemaining);
      const thresholdText = formatExactPercent(rule.below);
      return {
        ...reason(),
        observed: slo.budgetRemaining,
        threshold: rule.below,
        observedText,
        thresholdText,
        message: `${slo.name}: ${observedText} of the error budget left, below ${thresholdText}`,
      };
    }
    case 'alert_firing': {
      const firing = slo.firing.filter((a) => a.severity === rule.severity);
      if (firing.length === 0) return null;
      const tiers = firing.map((a) => `${a.longWindow}/${a.shortWindow} above ${formatThreshold(a.threshold)}`).join(', ');
      return {
        ...reason(),
        observed: tiers,
        threshold: rule.severity,
        observedText: tiers,
        thresholdText: rule.severity,
        message: `${slo.name}: ${rule.severity} burn-rate alert firing (${tiers})`,
      };
    }
    case 'burn_rate': {
      const rate = slo.burnRates[rule.window];
      if (rate === null || rate === undefined || !(denoised(rate) > rule.above)) return null;
      const observedText = formatBurnRate(rate);
      const thresholdText = formatThreshold(rule.above);
      return {
        ...reason(),
        observed: rate,
        threshold: rule.above,
        observedText,
        thresholdText,
        message: `${slo.name}: burning ${observedText} the sustainable rate over ${rule.window}, above ${thresholdText}`,
      };
    }
  }
}

/**
 * Applies a policy: every rule to every counted SLO; the verdict is the worst of the reasons (fail over warn over
 * pass). An SLO without data, or with stale data, is a reason of its own whose verdict the policy's onMissingData
 * decides (fail-closed by default); a stale SLO's last figures are still checked, a missing one's cannot be.
 * No counted SLO at all is missing data too: the gate cannot vouch for what nothing measures.
 * Provisional figures (docs/slo-math.md, "Young and quiet SLOs"): onPartialData decides. evaluate judges them as if
 * complete, except a budget over fewer events than the SLO's minimum, which is never judged; warn (the default) lets
 * a provisional budget that breaks a rule warn, never fail, and says why; fail fails on any provisional SLO.
 * The organisation's floor (`floor`, with a service's own policy): its mandatory rules apply too, to the SLOs its
 * selector counts, and its onMissingData is the most lenient the gate may be.
 */
export function evaluateGate(policy: PolicyInput & { floor?: PolicyFloor }, slos: readonly GateSlo[]): GateDecision {
  const own = countedSlos(policy, slos);
  const floor = policy.floor;
  const underFloor = floor ? countedSlos(floor, slos) : [];
  const counted = slos.filter((slo) => own.includes(slo) || underFloor.includes(slo));
  const rulesFor = (slo: GateSlo): Array<PolicyRule & { fromFloor?: boolean }> => [
    ...(own.includes(slo) ? policy.rules : []),
    ...(floor && underFloor.includes(slo) ? floor.rules.map((rule) => ({ ...rule, fromFloor: true })) : []),
  ];
  const reasons: GateReason[] = [];
  const onMissing = stricterMissingData(policy.onMissingData, floor?.onMissingData ?? null);
  if (counted.length === 0) {
    if (onMissing !== 'pass') {
      reasons.push({
        slo: '*',
        rule: 'data missing',
        verdict: onMissing,
        observed: 'no SLOs',
        threshold: null,
        observedText: 'no SLOs',
        thresholdText: null,
        message: slos.length === 0 ? 'The service has no SLOs: nothing measures it' : 'No SLO of the service matches the policy',
      });
    }
  }
  for (const slo of counted) {
    if ((slo.dataState === 'stale' || slo.dataState === 'missing') && onMissing !== 'pass') {
      reasons.push({
        slo: slo.slo,
        rule: `data ${slo.dataState}`,
        verdict: onMissing,
        observed: slo.dataState,
        threshold: null,
        observedText: slo.dataState,
        thresholdText: null,
        message:
          slo.dataState === 'missing'
            ? `${slo.name}: no data in its window, so its budget is unknown`
            : `${slo.name}: its data is stale (the source stopped answering); figures are as of then`,
      });
    }
    if (slo.dataState === 'missing') continue;
    const partial = slo.dataState === 'partial' || (slo.dataState === 'stale' && slo.provisional !== null);
    const why = (slo.provisional ?? 'Provisional.').replace(/^Provisional: /, '').replace(/\.$/, '');
    if (partial && policy.onPartialData === 'fail') {
      reasons.push({
        slo: slo.slo,
        rule: 'data partial',
        verdict: policy.onPartialData,
        observed: 'partial',
        threshold: null,
        observedText: 'partial',
        thresholdText: null,
        message: `${slo.name}: provisional figures, ${why}`,
      });
    }
    for (const { fromFloor, ...rule } of rulesFor(slo)) {
      const checked = check(rule, slo);
      if (!checked) continue;
      const reason = fromFloor ? { ...checked, mandatory: true, message: `${checked.message} (the organisation's mandatory rule)` } : checked;
      // The same rule in the service's policy and the floor: said once.
      if (reasons.some((r) => r.slo === reason.slo && r.rule === reason.rule && r.verdict === reason.verdict)) continue;
      if (rule.kind === 'budget_remaining' && (partial || !slo.budgetJudged)) {
        // A budget over too few events is never judged; otherwise evaluate judges it as is, and fail has failed
        // already. warn says what the provisional budget would have meant, without stopping the release.
        if (policy.onPartialData !== 'warn' && !slo.budgetJudged) continue;
        if (policy.onPartialData === 'warn') {
          reasons.push({ ...reason, verdict: 'warn', message: `${reason.message} (provisional: ${why}; it may warn, not fail)` });
          continue;
        }
      }
      reasons.push(reason);
    }
  }
  reasons.sort((a, b) => RANK[b.verdict] - RANK[a.verdict]);
  const verdict = reasons.reduce<Verdict>((worst, r) => (RANK[r.verdict] > RANK[worst] ? r.verdict : worst), 'pass');
  let dataState: GateDataState = 'ok';
  if (counted.length === 0) dataState = 'no_slos';
  else if (counted.some((s) => s.dataState === 'missing')) dataState = 'missing';
  else if (counted.some((s) => s.dataState === 'stale')) dataState = 'stale';
  else if (counted.some((s) => s.dataState === 'partial')) dataState = 'partial';
  return { verdict, reasons, counted, dataState };
}

/**
 * Budget spent by a window: burn rate x window / period (docs/slo-math.md: burn rate for a tier = budget consumed x
 * period / long window). null when the window had no events.
 */
export function budgetBurned(burnRate: number | null, windowMinutes: number, periodMinutes: number): number | null {
  if (burnRate === null || !Number.isFinite(burnRate)) return null;
  return (burnRate * windowMinutes) / periodMinutes;
}

/** A deploy's effect on one SLO: clearly faster burning after it than the same time before it is flagged. */
export function deployVerdict(after: number | null, before: number | null, windowEnded: boolean): 'ok' | 'burned_more' | 'pending' | 'no_data' {
  if (!windowEnded) return 'pending';
  if (after === null) return 'no_data';
  // Twice the burn of the hour before, and at least half a percent of the budget: not noise on a quiet service.
  if (after >= 0.005 && after >= 2 * (before ?? 0)) return 'burned_more';
  return 'ok';
}

export function deployMessage(version: string, window: string, after: number | null, before: number | null, windowEnded: boolean): string {
  const spell = (w: string) => w.replace(/^(\d+)([mhd])$/, (_, n: string, u: string) => `${n} ${u === 'm' ? 'min' : u}`);
  const b = before === null ? 'the time before had no events' : `the ${window === '1h' ? 'hour' : spell(window)} before burned ${formatBudgetSpent(before)}`;
  if (after === null) return `${version}: no events in the ${spell(window)} after it${windowEnded ? '' : ' yet'}; ${b}`;
  return `${version} burned ${formatBudgetSpent(after)} of the budget in ${spell(window)}${windowEnded ? '' : ' so far'}; ${b}`;
}

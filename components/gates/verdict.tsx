import Link from 'next/link';
import type { DeployImpact, GateDataState, GateReason, Policy, Verdict } from '@/lib/schemas';
import { Badge, type Tone } from '../badges';
import { formatBudget, formatBurnRate } from '@/lib/format';
import './gates.css';

const VERDICT_TONE: Record<Verdict, Tone> = { pass: 'ok', warn: 'warning', fail: 'danger' };
export const VERDICT_LABEL: Record<Verdict, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail' };

export interface VerdictBadgeProps {
  /** null: the gate could not be worked out (no status, an error). */
  verdict: Verdict | null;
  title?: string;
}

/** A gate verdict as text and colour, never colour alone. */
export function VerdictBadge({ verdict, title }: VerdictBadgeProps) {
  if (verdict === null) {
    return (
      <Badge tone="muted" title={title ?? 'The gate could not be worked out for this service'}>
        Unknown
      </Badge>
    );
  }
  return (
    <Badge tone={VERDICT_TONE[verdict]} title={title}>
      <span className="badge-dot" aria-hidden="true" />
      {VERDICT_LABEL[verdict]}
    </Badge>
  );
}

export const DATA_STATE_LABEL: Record<GateDataState, string> = {
  ok: 'Current',
  partial: 'Provisional',
  stale: 'Stale',
  missing: 'Missing',
  no_slos: 'No SLOs',
};

export const DATA_STATE_TEXT: Record<GateDataState, string> = {
  ok: 'Every counted SLO has fresh data.',
  partial: 'At least one counted SLO has provisional figures (its window is only partly measured).',
  stale: 'At least one counted SLO has not been evaluated lately.',
  missing: 'At least one counted SLO has no data.',
  no_slos: 'The policy counts none of this service’s SLOs.',
};

export const POLICY_SOURCE_TEXT: Record<Policy['source'], string> = {
  service: 'this service’s own policy',
  default: 'the organisation’s default policy',
  builtin: 'Umpire’s built-in policy',
};

/** An observed value or threshold in the rule's own unit: budgets as percents, burn rates as multiples. */
export function formatGateValue(rule: string, value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (rule.startsWith('budget_remaining')) return formatBudget(value);
  if (rule.startsWith('burn_rate')) return formatBurnRate(value);
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(value);
}

const sloHref = (service: string, slo: string) => `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;

/** The message without its leading "<SLO name>: ", when it has one (the SLO is shown beside it). */
function withoutSloName(message: string, name: string): string | null {
  const prefix = `${name}: `;
  return name !== '' && message.startsWith(prefix) ? message.slice(prefix.length) : null;
}

/** "*" (or nothing): a reason about the service as a whole (no SLO counted). */
const isServiceWide = (slo: string) => slo === '' || slo === '*';

export interface SloRefProps {
  service: string;
  slo: string;
  name?: string;
}

/**
 * An SLO named by its slug, linked to its page, its name as the tooltip. The slug, not the name: the SLO cards
 * beside the gate already show each name, and repeating it would make the page say everything twice.
 */
export function SloRef({ service, slo, name }: SloRefProps) {
  if (isServiceWide(slo)) return <span className="muted">service</span>;
  return (
    <Link href={sloHref(service, slo)} title={name}>
      <code>{slo}</code>
    </Link>
  );
}

/** A reason's message after its SLO (linked), the SLO's name not repeated. */
function ReasonMessage({ service, reason, names }: { service: string; reason: GateReason; names: Map<string, string> }) {
  if (isServiceWide(reason.slo)) return <>{reason.message}</>;
  const name = names.get(reason.slo) ?? reason.slo;
  return (
    <>
      <SloRef service={service} slo={reason.slo} name={name} />: {withoutSloName(reason.message, name) ?? reason.message}
    </>
  );
}

export interface GateReasonsProps {
  service: string;
  reasons: GateReason[];
  /** SLO slugs to names, from the evaluation's `slos`. */
  names: Map<string, string>;
  caption: string;
  /** list: one line per reason, for narrow places (a history row). */
  variant?: 'table' | 'list';
}

/** Why the gate answered as it did: one row per broken rule and SLO. */
export function GateReasons({ service, reasons, names, caption, variant = 'table' }: GateReasonsProps) {
  if (variant === 'list') {
    return (
      <ul className="gate-reason-list" aria-label={caption}>
        {reasons.map((reason, i) => (
          <li key={`${reason.slo}-${reason.rule}-${i}`} data-reason-verdict={reason.verdict}>
            <VerdictBadge verdict={reason.verdict} /> <code>{reason.rule}</code>{' '}
            <span className="num">
              {formatGateValue(reason.rule, reason.observed)} (threshold {formatGateValue(reason.rule, reason.threshold)})
            </span>
            <div className="gate-reason-message">
              <ReasonMessage service={service} reason={reason} names={names} />
            </div>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="table-wrap gate-reasons-wrap">
      <table className="data-table gate-reasons">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Verdict</th>
            <th scope="col">SLO</th>
            <th scope="col">Rule</th>
            <th scope="col">Observed</th>
            <th scope="col">Threshold</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {reasons.map((reason, i) => (
            <tr key={`${reason.slo}-${reason.rule}-${i}`} data-reason-verdict={reason.verdict}>
              <td>
                <VerdictBadge verdict={reason.verdict} />
              </td>
              <th scope="row">
                <SloRef service={service} slo={reason.slo} name={names.get(reason.slo)} />
              </th>
              <td>
                <code>{reason.rule}</code>
              </td>
              <td className="num">{formatGateValue(reason.rule, reason.observed)}</td>
              <td className="num">{formatGateValue(reason.rule, reason.threshold)}</td>
              <td>{withoutSloName(reason.message, names.get(reason.slo) ?? reason.slo) ?? reason.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const IMPACT_TONE: Record<DeployImpact['verdict'], Tone> = { ok: 'ok', burned_more: 'danger', pending: 'muted', no_data: 'muted' };
const IMPACT_LABEL: Record<DeployImpact['verdict'], string> = { ok: 'OK', burned_more: 'Burned more', pending: 'Pending', no_data: 'No data' };

/** A deploy's effect on one SLO's budget: OK, burned more than before, pending (the hour after is not over), no data. */
export function ImpactBadge({ verdict }: { verdict: DeployImpact['verdict'] }) {
  return <Badge tone={IMPACT_TONE[verdict]}>{IMPACT_LABEL[verdict]}</Badge>;
}

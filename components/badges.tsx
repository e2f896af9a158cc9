import type { HealthState } from '@/lib/schemas';
import { budgetTone, formatBudget, HEALTH_LABEL } from '@/lib/format';

export type Tone = 'danger' | 'warning' | 'ok' | 'muted' | 'accent' | 'demo';

export interface BadgeProps {
  tone: Tone;
  children: React.ReactNode;
  title?: string;
}

export function Badge({ tone, children, title }: BadgeProps) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** Synthetic data must never pass for production figures. */
export function DemoBadge() {
  return (
    <Badge tone="demo" title="Figures come from Umpire's synthetic demo source, not from a real system">
      Demo data
    </Badge>
  );
}

export function DemoBadgeIf({ sources }: { sources: readonly string[] }) {
  return sources.includes('demo') ? <DemoBadge /> : null;
}

const HEALTH_TONE: Record<HealthState, Tone> = { page: 'danger', ticket: 'warning', ok: 'ok', no_data: 'muted' };

export interface HealthBadgeProps {
  health: HealthState;
  firingAlerts: number;
}

/** Alert state as text and colour: "Paging · 2 firing", "OK", "No data". */
export function HealthBadge({ health, firingAlerts }: HealthBadgeProps) {
  return (
    <Badge tone={HEALTH_TONE[health]}>
      <span className="badge-dot" aria-hidden="true" />
      {HEALTH_LABEL[health]}
      {firingAlerts > 0 ? ` · ${firingAlerts} firing` : ''}
    </Badge>
  );
}

export interface BudgetValueProps {
  remaining: number | null;
  className?: string;
}

/** Remaining budget in its tone; negative budgets are shown as such, never clamped to 0. */
export function BudgetValue({ remaining, className }: BudgetValueProps) {
  const tone = budgetTone(remaining);
  return <span className={`budget budget-${tone} ${className ?? ''}`.trim()}>{formatBudget(remaining)}</span>;
}

/** A bar for the remaining budget: full = untouched, empty = spent; overspent budgets show a full red bar. */
export function BudgetBar({ remaining }: { remaining: number | null }) {
  const tone = budgetTone(remaining);
  const width = remaining === null ? 0 : remaining < 0 ? 100 : Math.min(100, Math.max(0, remaining * 100));
  return (
    <span className={`budget-bar budget-bar-${tone}`} aria-hidden="true">
      <span style={{ width: `${width}%` }} />
    </span>
  );
}

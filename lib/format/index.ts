/**
 * Everything Umpire writes for people, from one place: figures (lib/slo/format.ts, the one number formatter, which
 * rounds toward the worse side: docs/decisions/0007-one-formatter.md), dates and ticks (./time), state labels (./labels).
 */

export {
  formatBudget,
  formatBudgetSpent,
  formatBurnRate,
  formatCount,
  formatExactPercent,
  formatMinutes,
  formatObjective,
  formatPercent,
  formatSeconds,
  formatSli,
  formatSliShort,
  formatSpan,
  formatThreshold,
} from '@/lib/slo/format';
export { formatDateTime, formatTick, SERVER_DATE_CONTEXT, type DateContext } from './time';
export { budgetTone, describeWindow, formatTier, HEALTH_LABEL, rollingDays } from './labels';
export { ALERT_STATE_LABEL, alertDurationMs, alertSince, byUrgency, describeAlertKind, formatAgo, formatDuration, SEVERITY_LABEL } from './alerts';

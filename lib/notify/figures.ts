import { formatBudget, formatBudgetSpent, formatBurnRate, formatObjective, formatSli, formatThreshold } from '../slo/format';
import type { AlertMessage } from './types';

export interface Figure {
  label: string;
  value: string;
}

/** The figures every channel shows, formatted as the UI formats them (lib/slo/format.ts). */
export function messageFigures(message: AlertMessage): Figure[] {
  const { figures, event, slo } = message;
  const out: Figure[] = [
    { label: 'SLI', value: `${formatSli(figures.sli)} (objective ${formatObjective(slo.objective)})` },
    { label: 'Budget left', value: formatBudget(figures.budgetRemaining) },
  ];
  const rates = Object.entries(figures.burnRates);
  if (rates.length > 0) out.push({ label: 'Burn rates', value: rates.map(([window, rate]) => `${window}: ${formatBurnRate(rate)}`).join(', ') });
  if (event.threshold !== undefined) {
    const windows = event.longWindow && event.shortWindow ? ` over ${event.longWindow} and ${event.shortWindow}` : '';
    out.push({ label: 'Threshold', value: `${formatThreshold(event.threshold)}${windows}` });
  }
  if (event.peakBurnRate !== null) out.push({ label: 'Peak burn rate', value: formatBurnRate(event.peakBurnRate) });
  if (event.budgetSpent !== null) out.push({ label: 'Budget spent', value: formatBudgetSpent(event.budgetSpent) });
  return out;
}

/** "[PAGE]", "[TICKET]", "[RESOLVED]" or "[TEST]": how a message's subject or header starts. */
export function actionTag(message: AlertMessage): string {
  if (message.action === 'resolve') return '[RESOLVED]';
  if (message.action === 'test') return '[TEST]';
  return message.event.severity === 'page' ? '[PAGE]' : '[TICKET]';
}

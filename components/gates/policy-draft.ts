/** The policy editor's draft: what people type, and its conversion to and from the PolicyInput contract. */
import type { z } from 'zod';
import { PolicyInput, type PolicyInputDraft, type PolicyRule } from '@/lib/schemas';
import { zodFieldErrors, type FieldErrors } from '@/lib/schemas/field-errors';
import { fractionToPercent, numberOf, percentToFraction } from '../form/values';

export type RuleKind = PolicyRule['kind'];

/** One rule as typed. Every kind's fields are kept, so switching kind and back loses nothing. */
export interface RuleRow {
  key: number;
  kind: RuleKind;
  verdict: 'warn' | 'fail';
  /** budget_remaining: a percentage of the budget ("25", "0", "-50"). */
  belowPct: string;
  severity: 'page' | 'ticket';
  window: string;
  above: string;
  /** Organisation default only: the rule applies to every service whatever its own policy. */
  mandatory: boolean;
}

export interface LabelRow {
  key: number;
  name: string;
  value: string;
}

export interface PolicyDraft {
  rules: RuleRow[];
  labels: LabelRow[];
  tiers: number[];
  onMissingData: 'fail' | 'warn' | 'pass';
  onPartialData: 'evaluate' | 'warn' | 'fail';
  /** Organisation default only: its onMissingData is the most lenient any service may choose. */
  missingDataMandatory: boolean;
  /** Next row key: rows keep their identity (and their inputs' ids) while others are added or removed. */
  seq: number;
}

const BLANK: Omit<RuleRow, 'key' | 'kind' | 'verdict'> = { belowPct: '25', severity: 'page', window: '1h', above: '14.4', mandatory: false };

/** A new row of a kind, with a sensible starting value. */
export function newRule(key: number, kind: RuleKind): RuleRow {
  return { key, kind, verdict: 'fail', ...BLANK };
}

function ruleRow(rule: PolicyRule, key: number): RuleRow {
  const row: RuleRow = { key, kind: rule.kind, verdict: rule.verdict, ...BLANK, mandatory: rule.mandatory === true };
  if (rule.kind === 'budget_remaining') row.belowPct = fractionToPercent(rule.below);
  if (rule.kind === 'alert_firing') row.severity = rule.severity;
  if (rule.kind === 'burn_rate') {
    row.window = rule.window;
    row.above = String(rule.above);
  }
  return row;
}

/** Rules rows for a list of rules, keyed from `seq` on. */
export function ruleRows(rules: readonly PolicyRule[], seq: number): RuleRow[] {
  return rules.map((rule, i) => ruleRow(rule, seq + i));
}

export function draftOf(policy: PolicyInput): PolicyDraft {
  const rules = policy.rules.map((rule, i) => ruleRow(rule, i));
  const labels = Object.entries(policy.slos.labels).map(([name, value], i) => ({ key: 1000 + i, name, value }));
  return {
    rules,
    labels,
    tiers: [...policy.slos.serviceTiers].sort((a, b) => a - b),
    onMissingData: policy.onMissingData,
    onPartialData: policy.onPartialData,
    missingDataMandatory: policy.missingDataMandatory,
    seq: 2000,
  };
}

function ruleOf(row: RuleRow): Record<string, unknown> {
  const mandatory = row.mandatory ? { mandatory: true } : {};
  if (row.kind === 'budget_remaining') return { kind: row.kind, below: percentToFraction(row.belowPct), verdict: row.verdict, ...mandatory };
  if (row.kind === 'alert_firing') return { kind: row.kind, severity: row.severity, verdict: row.verdict, ...mandatory };
  return { kind: row.kind, window: row.window.trim(), above: numberOf(row.above), verdict: row.verdict, ...mandatory };
}

/** The draft as the API's body, for the schema to judge (a typed number may not be one yet: NaN is reported). */
export function bodyOf(draft: PolicyDraft): PolicyInputDraft {
  return {
    slos: {
      labels: Object.fromEntries(draft.labels.filter((l) => l.name.trim() !== '' || l.value !== '').map((l) => [l.name.trim(), l.value])),
      serviceTiers: [...draft.tiers].sort((a, b) => a - b),
    },
    rules: draft.rules.map(ruleOf) as PolicyInputDraft['rules'],
    onMissingData: draft.onMissingData,
    onPartialData: draft.onPartialData,
    missingDataMandatory: draft.missingDataMandatory,
  };
}

/** `below` is a fraction in the contract and a percentage in the form: its messages speak percent. */
export function friendlyMessage(path: string, message: string): string {
  if (/^rules\.\d+\.below$/.test(path)) return 'must be a percentage from −1000 to 100, e.g. 25';
  return message;
}

function rewriteIssue(issue: z.core.$ZodIssue): string | undefined {
  const path = issue.path.join('.');
  if (issue.code === 'invalid_type' && issue.expected === 'number') return /below$/.test(path) ? friendlyMessage(path, '') : 'must be a number';
  return friendlyMessage(path, issue.message);
}

/** Checks the schema cannot make: a label named twice would silently keep one value only. */
function localErrors(draft: PolicyDraft): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const row of draft.labels) {
    const name = row.name.trim();
    if (name === '' && row.value !== '') errors[`slos.labels.#${row.key}`] = 'needs a key';
    if (name !== '' && seen.has(name)) errors[`slos.labels.${name}`] = 'is used twice';
    seen.add(name);
  }
  return errors;
}

export type DraftCheck = { ok: true; input: PolicyInput } | { ok: false; errors: FieldErrors };

/** The draft checked with the same schema the API uses, plus the checks above. */
export function checkDraft(draft: PolicyDraft): DraftCheck {
  const parsed = PolicyInput.safeParse(bodyOf(draft));
  const errors = { ...(parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue)), ...localErrors(draft) };
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}

export const RULE_FIELD_LABEL: Record<string, string> = {
  kind: 'kind',
  verdict: 'verdict',
  below: 'budget threshold',
  severity: 'alert severity',
  window: 'burn-rate window',
  above: 'burn-rate threshold',
  mandatory: 'mandatory',
};

/** Where an error at `path` is shown: its control's id and the name its message starts with; null: the form's. */
export function locate(path: string, draft: PolicyDraft): { id: string; label: string } | null {
  if (path === 'rules') return { id: 'policy-rules-add', label: 'Rules' };
  const rule = /^rules\.(\d+)(?:\.(\w+))?/.exec(path);
  if (rule) {
    const index = Number(rule[1]);
    const row = draft.rules[index];
    if (!row) return { id: 'policy-rules-add', label: 'Rules' };
    const field = rule[2] && rule[2] in RULE_FIELD_LABEL ? rule[2] : 'kind';
    return { id: `policy-rule-${row.key}-${field}`, label: `Rule ${index + 1} ${RULE_FIELD_LABEL[field]}` };
  }
  const emptyLabel = /^slos\.labels\.#(\d+)$/.exec(path);
  if (emptyLabel) {
    const index = draft.labels.findIndex((l) => l.key === Number(emptyLabel[1]));
    return { id: `policy-label-${emptyLabel[1]}-name`, label: `Label ${index + 1}` };
  }
  const label = /^slos\.labels\.(.+)$/.exec(path);
  if (label) {
    const index = draft.labels.findIndex((l) => l.name.trim() === label[1]);
    const row = draft.labels[index];
    if (row) return { id: `policy-label-${row.key}-name`, label: `Label “${row.name.trim()}”` };
  }
  if (path.startsWith('slos.labels') || path === 'slos') return { id: 'policy-labels-add', label: 'Labels' };
  if (path.startsWith('slos.serviceTiers')) return { id: 'policy-tier-1', label: 'Service tiers' };
  if (path === 'onMissingData') return { id: 'policy-missing-fail', label: 'On missing data' };
  if (path === 'onPartialData') return { id: 'policy-partial-warn', label: 'On provisional figures' };
  if (path === 'missingDataMandatory') return { id: 'policy-missing-mandatory', label: 'Floor for every service' };
  return null;
}

'use client';

import { BUILTIN_POLICY, type Policy } from '@/lib/schemas';
import type { PolicyScope } from '@/lib/queries/gates';
import { ruleText } from '@/lib/slo/gate';
import { controlA11y, fieldMessage, InlineError } from '../form/form-kit';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { newRule, ruleRows, type RuleKind, type RuleRow } from './policy-draft';
import type { PolicySectionProps } from './policy-section';

const KIND_TEXT: Record<RuleKind, string> = {
  budget_remaining: 'the budget left is below',
  alert_firing: 'an alert is firing, severity',
  burn_rate: 'the burn rate over',
};

export interface PolicyRulesFieldsProps extends PolicySectionProps {
  scope: PolicyScope;
  /** The organisation's mandatory rules, shown beside this policy's own. */
  floor: Policy['floor'];
}

/** Rules: each checked against every counted SLO, with its verdict when broken. */
export function PolicyRulesFields({ draft, update, err, disabled, scope, floor }: PolicyRulesFieldsProps) {
  const a11y = (controlId: string) => controlA11y(controlId, err(controlId));
  const setRule = (key: number, patch: Partial<RuleRow>) => update((d) => ({ rules: rowChanged(d.rules, key, patch) }));
  const addRule = (kind: RuleKind) => update((d) => ({ seq: d.seq + 1, rules: rowAdded(d.rules, newRule(d.seq, kind)) }));
  return (
    <fieldset className="form-section" disabled={disabled}>
      <legend>Rules</legend>
      <p className="form-section-intro">
        Each rule is checked against every counted SLO; the gate answers with the worst verdict of any rule broken, and passes when none is.
      </p>
      {draft.rules.length === 0 && !(floor && floor.rules.length > 0) ? <p className="implied">No rules: the gate passes whenever the data is there.</p> : null}
      {floor && floor.rules.length > 0 ? (
        <div className="callout callout-info" data-testid="policy-floor">
          <span>
            <strong>The organisation’s mandatory rules apply too</strong>, whatever this policy says (this policy can add stricter ones):{' '}
            {floor.rules.map((rule) => `${rule.verdict} when ${ruleText(rule)}`).join('; ')}.
          </span>
        </div>
      ) : null}
      <ol className="policy-rules">
        {draft.rules.map((row, i) => {
          const cid = (field: string) => `policy-rule-${row.key}-${field}`;
          const n = i + 1;
          return (
            <li key={row.key} data-rule-kind={row.kind}>
              <fieldset className="policy-rule">
                <legend className="visually-hidden">Rule {n}</legend>
                <span className="policy-rule-n" aria-hidden="true">
                  {n}.
                </span>
                <select
                  {...a11y(cid('verdict'))}
                  aria-label={`Rule ${n} verdict`}
                  value={row.verdict}
                  onChange={(e) => setRule(row.key, { verdict: e.target.value as 'warn' | 'fail' })}
                >
                  <option value="fail">Fail</option>
                  <option value="warn">Warn</option>
                </select>
                <span>when</span>
                <select
                  {...a11y(cid('kind'))}
                  aria-label={`Rule ${n} kind`}
                  value={row.kind}
                  onChange={(e) => setRule(row.key, { kind: e.target.value as RuleKind })}
                >
                  {(Object.keys(KIND_TEXT) as RuleKind[]).map((kind) => (
                    <option key={kind} value={kind}>
                      {KIND_TEXT[kind]}
                    </option>
                  ))}
                </select>
                {row.kind === 'budget_remaining' ? (
                  <span className="input-suffix-inline">
                    <input
                      {...a11y(cid('below'))}
                      aria-label={`Rule ${n} budget threshold (%)`}
                      type="text"
                      inputMode="decimal"
                      className="policy-number"
                      value={row.belowPct}
                      onChange={(e) => setRule(row.key, { belowPct: e.target.value })}
                    />
                    <span aria-hidden="true">%</span>
                  </span>
                ) : row.kind === 'alert_firing' ? (
                  <select
                    {...a11y(cid('severity'))}
                    aria-label={`Rule ${n} alert severity`}
                    value={row.severity}
                    onChange={(e) => setRule(row.key, { severity: e.target.value as 'page' | 'ticket' })}
                  >
                    <option value="page">page</option>
                    <option value="ticket">ticket</option>
                  </select>
                ) : (
                  <>
                    <input
                      {...a11y(cid('window'))}
                      aria-label={`Rule ${n} burn-rate window`}
                      type="text"
                      className="mono policy-number"
                      value={row.window}
                      placeholder="1h"
                      onChange={(e) => setRule(row.key, { window: e.target.value })}
                    />
                    <span>is above</span>
                    <span className="input-suffix-inline">
                      <input
                        {...a11y(cid('above'))}
                        aria-label={`Rule ${n} burn-rate threshold`}
                        type="text"
                        inputMode="decimal"
                        className="policy-number"
                        value={row.above}
                        placeholder="14.4"
                        onChange={(e) => setRule(row.key, { above: e.target.value })}
                      />
                      <span aria-hidden="true">×</span>
                    </span>
                  </>
                )}
                {scope.kind === 'default' || row.mandatory ? (
                  <label className="checkbox-inline" title="Applies to every service, whatever its own policy says">
                    <input
                      {...a11y(cid('mandatory'))}
                      type="checkbox"
                      checked={row.mandatory}
                      onChange={(e) => setRule(row.key, { mandatory: e.target.checked })}
                    />
                    Mandatory for every service
                  </label>
                ) : null}
                <button
                  type="button"
                  className="btn btn-ghost btn-sm policy-rule-remove"
                  aria-label={`Remove rule ${n}`}
                  onClick={() => update((d) => ({ rules: rowRemoved(d.rules, row.key) }))}
                >
                  Remove
                </button>
                {(['verdict', 'kind', 'below', 'severity', 'window', 'above', 'mandatory'] as const).map((field) => (
                  <InlineError key={field} id={`${cid(field)}-error`} message={err(cid(field)) ? fieldMessage(`Rule ${n}`, err(cid(field))!) : undefined} />
                ))}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="form-actions policy-add">
        <button id="policy-rules-add" type="button" className="btn btn-secondary btn-sm" onClick={() => addRule('budget_remaining')}>
          Add budget rule
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => addRule('alert_firing')}>
          Add alert rule
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => addRule('burn_rate')}>
          Add burn-rate rule
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => update((d) => ({ rules: ruleRows(BUILTIN_POLICY.rules, d.seq), seq: d.seq + BUILTIN_POLICY.rules.length }))}
        >
          Start from the built-in rules
        </button>
      </div>
      <InlineError id="policy-rules-add-error" message={err('policy-rules-add') ? fieldMessage('Rules', err('policy-rules-add')!) : undefined} />
      <p className="field-hint">
        Budget thresholds are percentages of the period’s budget (0 = spent; below 0 = overspent). Windows are whole minutes, hours or days: 5m, 1h, 3d.
      </p>
    </fieldset>
  );
}

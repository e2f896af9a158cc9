'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { BUILTIN_POLICY, type Policy, type PolicyInput } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { gateKeys, gateStatusOptions, policyOptions, policyPreviewOptions, resetPolicy, savePolicy, type PolicyScope } from '@/lib/queries/gates';
import { placeErrors, unplacedMessage } from '../form/form-errors';
import { Choices, controlA11y, ErrorSummary, fieldMessage, InlineError } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { LocalTime } from '../local-time';
import { bodyOf, checkDraft, draftOf, friendlyMessage, locate, newRule, ruleRows, type PolicyDraft, type RuleKind, type RuleRow } from './policy-draft';
import { ruleText } from '@/lib/slo/gate';
import { DATA_STATE_TEXT, GateReasons, POLICY_SOURCE_TEXT, VerdictBadge } from './verdict';

export interface PolicyEditorProps {
  scope: PolicyScope;
  /** For the organisation default: services to preview it against (a service policy previews against its own). */
  services?: Array<{ slug: string; name: string }>;
  /** null: the reader may change it; otherwise why not (the form is shown read-only, the preview still works). */
  readOnlyReason?: string | null;
}

const PREVIEW_DEBOUNCE_MS = 400;
/** Tiers a service can have (lib/schemas/service.ts); a stored policy may name others, which are kept. */
const SERVICE_TIERS = [1, 2, 3];

const KIND_TEXT: Record<RuleKind, string> = {
  budget_remaining: 'the budget left is below',
  alert_firing: 'an alert is firing, severity',
  burn_rate: 'the burn rate over',
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The policy's page: loads the policy in effect, then the form for it. */
export function PolicyEditor({ scope, services, readOnlyReason = null }: PolicyEditorProps) {
  const query = useQuery(policyOptions(scope));
  // Held here, not in the form: a save or reset remounts the form, and the notice must outlive that.
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice !== null) noticeRef.current?.focus();
  }, [notice]);

  if (query.isPending) {
    return (
      <div aria-busy="true">
        <div className="skeleton skeleton-card" aria-hidden="true" />
        <span className="visually-hidden">Loading the policy…</span>
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="callout callout-danger" role="alert">
        <span>
          <strong>Could not load the policy.</strong> {errorMessage(query.error)}
        </span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <>
      {notice ? (
        <p className="callout callout-info policy-notice" role="status" tabIndex={-1} ref={noticeRef}>
          <span>
            {notice}
            {scope.kind === 'service' ? (
              <>
                {' '}
                <Link href={`/services/${encodeURIComponent(scope.service)}`}>Back to the service</Link>
              </>
            ) : null}
          </span>
        </p>
      ) : null}
      {/* A new key after a save or reset starts the form again from what is now stored. */}
      <PolicyForm
        key={`${query.data.source}-${query.data.updatedAt ?? 'none'}`}
        scope={scope}
        policy={query.data}
        services={services ?? []}
        onNotice={setNotice}
        readOnlyReason={readOnlyReason}
      />
    </>
  );
}

function sourceNote(scope: PolicyScope, policy: Policy): string {
  if (scope.kind === 'default') {
    return policy.source === 'default'
      ? 'Services without a policy of their own are judged by this one.'
      : 'No organisation default is set: services without a policy of their own are judged by Umpire’s built-in policy, shown here. Saving makes it the default.';
  }
  if (policy.source === 'service') return 'This service has its own policy.';
  return `This service has no policy of its own and is judged by ${POLICY_SOURCE_TEXT[policy.source]}, shown here. Saving gives it its own, starting from these rules.`;
}

interface PolicyFormProps {
  scope: PolicyScope;
  policy: Policy;
  services: Array<{ slug: string; name: string }>;
  /** A save or reset went through (null: a new attempt starts). */
  onNotice: (message: string | null) => void;
  readOnlyReason: string | null;
}

function PolicyForm({ scope, policy, services, onNotice, readOnlyReason }: PolicyFormProps) {
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(policy));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => Object.keys(fields).map((path) => locate(path, draft)?.id ?? 'form-error'));
  const [confirmingReset, setConfirmingReset] = useState(false);

  const savedBody = useMemo(() => JSON.stringify(bodyOf(draftOf(policy))), [policy]);
  const body = JSON.stringify(bodyOf(draft));
  const dirty = body !== savedBody;

  const afterChange = (message: string) => {
    onNotice(message);
    // Every gate answer may change: the default counts for all services without their own policy.
    void queryClient.invalidateQueries({ queryKey: scope.kind === 'default' ? gateKeys.all : gateKeys.service(scope.service) });
  };

  const save = useMutation({
    mutationFn: (input: PolicyInput) => savePolicy(scope, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(gateKeys.policy(scope), saved);
      afterChange('Policy saved. The gate answers every release from now on with it.');
    },
    onError: (error) => showApiError(error, (path) => locate(path, draft) !== null),
  });

  const reset = useMutation({
    mutationFn: () => resetPolicy(scope),
    onSuccess: () => {
      setConfirmingReset(false);
      void queryClient.invalidateQueries({ queryKey: gateKeys.policy(scope) });
      afterChange(scope.kind === 'service' ? 'This service now uses the organisation default.' : 'The organisation default is removed: Umpire’s built-in policy applies.');
    },
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onNotice(null);
    const check = checkDraft(draft);
    if (!check.ok) {
      show(check.errors);
      return;
    }
    clear();
    save.mutate(check.input);
  }

  const update = (patch: Partial<PolicyDraft> | ((d: PolicyDraft) => Partial<PolicyDraft>)) =>
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));
  const setRule = (key: number, patch: Partial<RuleRow>) => update((d) => ({ rules: d.rules.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));
  const addRule = (kind: RuleKind) => update((d) => ({ seq: d.seq + 1, rules: [...d.rules, newRule(d.seq, kind)] }));

  // Errors by control id; the summary lists each once, in the order given.
  const { byId, summary } = placeErrors(errors, (path) => locate(path, draft), friendlyMessage);
  const unplaced = unplacedMessage(errors, summary.length, 'The policy');
  const err = (controlId: string) => byId.get(controlId);
  const a11y = (controlId: string) => controlA11y(controlId, err(controlId));
  const tiers = [...new Set([...SERVICE_TIERS, ...draft.tiers])].sort((a, b) => a - b);

  return (
    <div className="policy-layout">
      <form className="form" noValidate onSubmit={onSubmit} aria-label="Error-budget policy">
        {readOnlyReason ? (
          <p className="callout callout-warning" role="note" data-testid="policy-read-only">
            <span>Read only: {readOnlyReason}.</span>
          </p>
        ) : null}
        <ErrorSummary message={formError ?? unplaced} items={summary} />
        <p className="callout callout-info policy-source" data-testid="policy-source" data-source={policy.source}>
          <span>
            {sourceNote(scope, policy)}
            {policy.updatedAt ? (
              <>
                {' '}
                Last changed <LocalTime iso={policy.updatedAt} />.
              </>
            ) : null}
          </span>
        </p>

        <fieldset className="form-section" disabled={readOnlyReason !== null}>
          <legend>Rules</legend>
          <p className="form-section-intro">
            Each rule is checked against every counted SLO; the gate answers with the worst verdict of any rule broken, and passes when none is.
          </p>
          {draft.rules.length === 0 && !(policy.floor && policy.floor.rules.length > 0) ? <p className="implied">No rules: the gate passes whenever the data is there.</p> : null}
          {policy.floor && policy.floor.rules.length > 0 ? (
            <div className="callout callout-info" data-testid="policy-floor">
              <span>
                <strong>The organisation’s mandatory rules apply too</strong>, whatever this policy says (this policy can add stricter ones):{' '}
                {policy.floor.rules.map((rule) => `${rule.verdict} when ${ruleText(rule)}`).join('; ')}.
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
                    <select {...a11y(cid('verdict'))} aria-label={`Rule ${n} verdict`} value={row.verdict} onChange={(e) => setRule(row.key, { verdict: e.target.value as 'warn' | 'fail' })}>
                      <option value="fail">Fail</option>
                      <option value="warn">Warn</option>
                    </select>
                    <span>when</span>
                    <select {...a11y(cid('kind'))} aria-label={`Rule ${n} kind`} value={row.kind} onChange={(e) => setRule(row.key, { kind: e.target.value as RuleKind })}>
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
                      <select {...a11y(cid('severity'))} aria-label={`Rule ${n} alert severity`} value={row.severity} onChange={(e) => setRule(row.key, { severity: e.target.value as 'page' | 'ticket' })}>
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
                        <input {...a11y(cid('mandatory'))} type="checkbox" checked={row.mandatory} onChange={(e) => setRule(row.key, { mandatory: e.target.checked })} />
                        Mandatory for every service
                      </label>
                    ) : null}
                    <button type="button" className="btn btn-ghost btn-sm policy-rule-remove" aria-label={`Remove rule ${n}`} onClick={() => update((d) => ({ rules: d.rules.filter((r) => r.key !== row.key) }))}>
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
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => update((d) => ({ rules: ruleRows(BUILTIN_POLICY.rules, d.seq), seq: d.seq + BUILTIN_POLICY.rules.length }))}>
              Start from the built-in rules
            </button>
          </div>
          <InlineError id="policy-rules-add-error" message={err('policy-rules-add') ? fieldMessage('Rules', err('policy-rules-add')!) : undefined} />
          <p className="field-hint">Budget thresholds are percentages of the period’s budget (0 = spent; below 0 = overspent). Windows are whole minutes, hours or days: 5m, 1h, 3d.</p>
        </fieldset>

        <fieldset className="form-section" disabled={readOnlyReason !== null}>
          <legend>Which SLOs count</legend>
          <p className="form-section-intro">All of the service’s SLOs, or only those with all of these labels. With service tiers ticked, the policy applies only to services of those tiers.</p>
          {draft.labels.length > 0 ? (
            <table className="rows-table" aria-label="SLO labels">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.labels.map((label, i) => {
                  const nameId = `policy-label-${label.key}-name`;
                  const setLabel = (patch: Partial<typeof label>) => update((d) => ({ labels: d.labels.map((l) => (l.key === label.key ? { ...l, ...patch } : l)) }));
                  return (
                    <tr key={label.key}>
                      <td>
                        <input {...a11y(nameId)} aria-label={`Label ${i + 1} key`} type="text" className="mono" value={label.name} placeholder="tier" onChange={(e) => setLabel({ name: e.target.value })} />
                        <InlineError id={`${nameId}-error`} message={err(nameId) ? `Key ${err(nameId)}` : undefined} />
                      </td>
                      <td>
                        <input id={`policy-label-${label.key}-value`} aria-label={`Label ${i + 1} value`} type="text" value={label.value} placeholder="critical" onChange={(e) => setLabel({ value: e.target.value })} />
                      </td>
                      <td>
                        <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove label ${i + 1}`} onClick={() => update((d) => ({ labels: d.labels.filter((l) => l.key !== label.key) }))}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="implied">No labels: every SLO of the service counts.</p>
          )}
          <div className="form-actions policy-add">
            <button id="policy-labels-add" type="button" className="btn btn-secondary btn-sm" onClick={() => update((d) => ({ seq: d.seq + 1, labels: [...d.labels, { key: d.seq, name: '', value: '' }] }))}>
              Add label
            </button>
          </div>
          <InlineError id="policy-labels-add-error" message={err('policy-labels-add') ? fieldMessage('Labels', err('policy-labels-add')!) : undefined} />

          <fieldset className="choice-group" style={{ marginTop: 16 }} aria-describedby={err('policy-tier-1') ? 'policy-tier-1-error' : `${id}-tiers-hint`}>
            <legend>Service tiers</legend>
            <div className="choices">
              {tiers.map((tier) => (
                <label key={tier} className="choice">
                  <input
                    id={`policy-tier-${tier}`}
                    type="checkbox"
                    checked={draft.tiers.includes(tier)}
                    onChange={(e) => {
                      const checked = e.target.checked;
                      update((d) => ({ tiers: checked ? [...d.tiers, tier] : d.tiers.filter((t) => t !== tier) }));
                    }}
                  />
                  <span>
                    <strong>Tier {tier}</strong>
                  </span>
                </label>
              ))}
            </div>
            <p className="field-hint" id={`${id}-tiers-hint`}>
              None ticked: every tier.
            </p>
            <InlineError id="policy-tier-1-error" message={err('policy-tier-1') ? fieldMessage('Service tiers', err('policy-tier-1')!) : undefined} />
          </fieldset>
        </fieldset>

        <fieldset className="form-section" disabled={readOnlyReason !== null}>
          <legend>When data is missing or stale</legend>
          <p className="form-section-intro">What the gate answers when a counted SLO has no data, or has not been evaluated lately. Failing closed is the safe default.</p>
          <Choices
            name="onMissingData"
            idPrefix="policy-missing"
            legend="On missing data"
            legendHidden
            value={draft.onMissingData}
            options={[
              ['fail', 'Fail', 'Stop the release until the data is back.'],
              ['warn', 'Warn', 'Let it through with a warning.'],
              ['pass', 'Pass', 'Judge by the SLOs that have data.'],
            ]}
            onChange={(onMissingData) => update({ onMissingData })}
            error={err('policy-missing-fail')}
          />
          {scope.kind === 'default' ? (
            <label className="checkbox-inline" style={{ marginTop: 10 }}>
              <input id="policy-missing-mandatory" type="checkbox" checked={draft.missingDataMandatory} onChange={(e) => update({ missingDataMandatory: e.target.checked })} />
              A floor for every service: no service’s own policy may treat missing data more leniently than this
            </label>
          ) : policy.floor?.onMissingData ? (
            <p className="implied" data-testid="policy-missing-floor">
              The organisation requires at least “{policy.floor.onMissingData}” here: a more lenient choice is refused.
            </p>
          ) : null}
        </fieldset>

        <fieldset className="form-section" disabled={readOnlyReason !== null}>
          <legend>When figures are provisional</legend>
          <p className="form-section-intro">
            What the gate makes of an SLO whose window is only partly measured (a new SLO, history still being read). A budget over fewer events
            than the SLO’s minimum never fails a release, whatever you choose here.
          </p>
          <Choices
            name="onPartialData"
            idPrefix="policy-partial"
            legend="On provisional figures"
            legendHidden
            value={draft.onPartialData}
            options={[
              ['warn', 'Warn', 'A provisional budget that breaks a rule warns, never stops a release (the default).'],
              ['evaluate', 'Evaluate', 'Judge provisional figures as if the window were complete.'],
              ['fail', 'Fail', 'Stop the release until the window is measured.'],
            ]}
            onChange={(onPartialData) => update({ onPartialData })}
            error={err('policy-partial-warn')}
          />
        </fieldset>

        {readOnlyReason !== null ? null : (
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save policy'}
            </button>
            {dirty ? <span className="muted small">Unsaved changes</span> : null}
            {(scope.kind === 'service' && policy.source === 'service') || (scope.kind === 'default' && policy.source === 'default') ? (
              confirmingReset ? (
                <span className="policy-reset-confirm" role="group" aria-label="Confirm">
                  <span className="small">{scope.kind === 'service' ? 'Delete this service’s own policy?' : 'Delete the organisation default?'}</span>
                  <button type="button" className="btn btn-danger btn-sm" onClick={() => reset.mutate()} disabled={reset.isPending}>
                    {reset.isPending ? 'Deleting…' : 'Delete it'}
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirmingReset(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="btn btn-secondary" onClick={() => setConfirmingReset(true)}>
                  {scope.kind === 'service' ? 'Use organisation default' : 'Use the built-in policy'}
                </button>
              )
            ) : null}
          </div>
        )}
        {reset.isError ? (
          <div className="callout callout-danger" role="alert" style={{ marginTop: 12 }}>
            <span>
              <strong>Not reset.</strong> {errorMessage(reset.error)}
            </span>
          </div>
        ) : null}
      </form>

      <PolicyPreview scope={scope} draft={draft} services={services} />
    </div>
  );
}

interface PolicyPreviewProps {
  scope: PolicyScope;
  draft: PolicyDraft;
  services: Array<{ slug: string; name: string }>;
}

/** What the gate would answer now under the draft (debounced; nothing is stored), beside what it answers today. */
function PolicyPreview({ scope, draft, services }: PolicyPreviewProps) {
  const [picked, setPicked] = useState(services[0]?.slug ?? '');
  const service = scope.kind === 'service' ? scope.service : picked;
  const check = useMemo(() => checkDraft(draft), [draft]);
  const latest = check.ok ? JSON.stringify(check.input) : null;
  const debounced = useDebounced(latest, PREVIEW_DEBOUNCE_MS);
  const input = useMemo(() => (debounced === null ? null : (JSON.parse(debounced) as PolicyInput)), [debounced]);
  const enabled = service !== '' && input !== null;
  const preview = useQuery({
    ...policyPreviewOptions(service, input ?? BUILTIN_POLICY),
    enabled,
    placeholderData: keepPreviousData,
  });
  const current = useQuery({ ...gateStatusOptions(service), enabled: service !== '' });
  // Up to date: the answer is for the draft as it is now, not an earlier one still on screen.
  const upToDate = enabled && latest === debounced && preview.isSuccess && !preview.isPlaceholderData && !preview.isFetching;
  const data = enabled ? preview.data : undefined;

  return (
    <aside className="panel policy-preview" aria-labelledby="policy-preview-title" data-testid="policy-preview" data-verdict={upToDate && data ? data.verdict : 'pending'} aria-busy={!upToDate}>
      <h2 id="policy-preview-title">Preview against current state</h2>
      <p className="muted small">What the gate would answer now under this draft. Nothing is saved or recorded.</p>
      {scope.kind === 'default' ? (
        services.length === 0 ? (
          <p className="muted">No services to preview against yet.</p>
        ) : (
          <div className="field">
            <label htmlFor="policy-preview-service">Preview for</label>
            <select id="policy-preview-service" value={picked} onChange={(e) => setPicked(e.target.value)}>
              {services.map((s) => (
                <option key={s.slug} value={s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
            <p className="field-hint">A service with its own policy is not judged by the default; this shows what the default would say.</p>
          </div>
        )
      ) : null}

      {!check.ok ? (
        <p className="callout callout-warning">
          <span>Fix the fields marked in the form to preview.</span>
        </p>
      ) : null}
      {preview.isError && enabled ? (
        <div className="callout callout-danger" role="alert">
          <span>
            <strong>Could not preview.</strong> {errorMessage(preview.error)}
          </span>
        </div>
      ) : null}

      {data ? (
        <div className={upToDate ? undefined : 'policy-preview-stale'}>
          <p className="policy-preview-verdict" role="status">
            <span>Under this draft:</span> <VerdictBadge verdict={data.verdict} />
            {upToDate ? null : <span className="muted small"> updating…</span>}
          </p>
          {current.data ? (
            <p className="small muted">
              Today ({POLICY_SOURCE_TEXT[current.data.policy.source]}): <VerdictBadge verdict={current.data.verdict} />
            </p>
          ) : null}
          {data.reasons.length > 0 ? (
            <GateReasons service={service} reasons={data.reasons} names={new Map(data.slos.map((s) => [s.slo, s.name]))} caption="Why the draft would answer so" variant="list" />
          ) : (
            <p className="muted small">No rule broken.</p>
          )}
          <p className="small muted">
            {DATA_STATE_TEXT[data.dataState]} As of <LocalTime iso={data.evaluatedAt} />.
          </p>
        </div>
      ) : enabled && preview.isPending ? (
        <p className="muted">Checking…</p>
      ) : null}
    </aside>
  );
}

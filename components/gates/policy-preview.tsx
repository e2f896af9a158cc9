'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { BUILTIN_POLICY, type PolicyInput } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { gateStatusOptions, policyPreviewOptions, type PolicyScope } from '@/lib/queries/gates';
import { LocalTime } from '../local-time';
import { checkDraft, type PolicyDraft } from './policy-draft';
import { DATA_STATE_TEXT, GateReasons, POLICY_SOURCE_TEXT, VerdictBadge } from './verdict';

const PREVIEW_DEBOUNCE_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export interface PolicyPreviewProps {
  scope: PolicyScope;
  draft: PolicyDraft;
  services: Array<{ slug: string; name: string }>;
}

/** What the gate would answer now under the draft (debounced; nothing is stored), beside what it answers today. */
export function PolicyPreview({ scope, draft, services }: PolicyPreviewProps) {
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
    <aside
      className="panel policy-preview"
      aria-labelledby="policy-preview-title"
      data-testid="policy-preview"
      data-verdict={upToDate && data ? data.verdict : 'pending'}
      aria-busy={!upToDate}
    >
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
            <GateReasons
              service={service}
              reasons={data.reasons}
              names={new Map(data.slos.map((s) => [s.slo, s.name]))}
              caption="Why the draft would answer so"
              variant="list"
            />
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

'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { ApiToken, CreatedApiToken } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { listTokens, tokenKeys } from '@/lib/queries/tokens';
import { CreatedToken, CreateTokenForm } from './create-token';
import { TokenTable } from './token-table';

export interface IngestTokensProps {
  /** As the server rendered them; refreshed when the tab regains focus. */
  initialTokens: ApiToken[];
  /** When the server rendered the page, for telling expired tokens apart. */
  asOf: string;
  /** Teams services are owned by, to suggest. */
  teams?: string[];
}

/** The Ingest page's tokens: create one (shown once), list them with what each may feed, rebind them, revoke them. */
export function IngestTokens({ initialTokens, asOf, teams }: IngestTokensProps) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: tokenKeys.list('ingest'),
    queryFn: ({ signal }) => listTokens(signal, 'ingest'),
    initialData: initialTokens,
    refetchOnMount: false,
  });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  function onCreated(token: CreatedApiToken) {
    setNotice(null);
    setCreated(token);
    // Listed at once (without the secret); the list is then refetched for the server's order.
    const { token: _secret, ...listed } = token;
    queryClient.setQueryData<ApiToken[]>(tokenKeys.list('ingest'), (old) => [listed, ...(old ?? []).filter((t) => t.id !== token.id)]);
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
  }

  function onRevoked(token: ApiToken) {
    queryClient.setQueryData<ApiToken[]>(tokenKeys.list('ingest'), (old) => (old ?? []).map((t) => (t.id === token.id ? token : t)));
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    if (created?.id === token.id) setCreated(null);
    // The row's Revoke button is gone: focus goes to the message saying what happened.
    setNotice(`Token “${token.name}” revoked. Requests using it are refused within 10 seconds.`);
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  function onUpdated(token: ApiToken) {
    queryClient.setQueryData<ApiToken[]>(tokenKeys.list('ingest'), (old) => (old ?? []).map((t) => (t.id === token.id ? token : t)));
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    setNotice(`Token “${token.name}” saved. Exporters using it keep it; the new bindings apply within 10 seconds.`);
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  function onDone() {
    setCreated(null);
    requestAnimationFrame(() => document.getElementById('token-name')?.focus());
  }

  return (
    <section aria-labelledby="tokens-title" className="section">
      <div className="section-header">
        <h2 id="tokens-title">Ingest tokens</h2>
        <p>Sent as Authorization: Bearer &lt;token&gt; with every OTLP request.</p>
      </div>
      {created ? <CreatedToken token={created} onDone={onDone} /> : null}
      <CreateTokenForm onCreated={onCreated} teams={teams} />
      <p
        ref={noticeRef}
        tabIndex={-1}
        role="status"
        className={notice ? 'callout callout-info' : 'visually-hidden'}
        style={notice ? { margin: '12px 0' } : undefined}
      >
        {notice ?? ''}
      </p>
      {query.isError ? (
        <div className="callout callout-danger" role="alert" style={{ marginBottom: 12 }}>
          <span>
            <strong>Could not refresh the tokens; the list below may be out of date.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : null}
      <TokenTable tokens={query.data} asOf={asOf} onRevoked={onRevoked} onUpdated={onUpdated} />
    </section>
  );
}

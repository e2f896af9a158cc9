'use client';

import { useMutation } from '@tanstack/react-query';
import { errorMessage } from '@/lib/queries/api';
import { testDataSource } from '@/lib/queries/datasources';

export interface ConnectionTestButtonProps {
  datasource: string;
  name: string;
}

/**
 * Asks the server to query the data source now. The backend's own failure text is shown verbatim: it is
 * what an operator needs to fix a URL, a token or a proxy.
 */
export function ConnectionTestButton({ datasource, name }: ConnectionTestButtonProps) {
  const mutation = useMutation({ mutationFn: () => testDataSource(datasource) });
  const result = mutation.data;
  return (
    <div className="connection-test">
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        aria-label={`Test connection to ${name}`}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Testing…' : 'Test connection'}
      </button>
      <div role="status" aria-live="polite" className="connection-result">
        {mutation.isError ? (
          <span className="connection-failed">
            <span aria-hidden="true">✗ </span>The test could not run: {errorMessage(mutation.error)}
          </span>
        ) : result?.ok ? (
          <span className="connection-ok">
            <span aria-hidden="true">✓ </span>
            Connected
            {result.version ? (
              <>
                {' '}
                · version <strong>{result.version}</strong>
              </>
            ) : (
              ' (no version reported)'
            )}
            {result.latencyMs !== null ? <> · {result.latencyMs} ms</> : null}
          </span>
        ) : result ? (
          <span className="connection-failed">
            <span aria-hidden="true">✗ </span>
            <span>Failed{result.error ? ` (${result.error.kind})` : ''}:</span> <code className="verbatim">{result.error?.message ?? 'no error reported'}</code>
          </span>
        ) : null}
      </div>
    </div>
  );
}

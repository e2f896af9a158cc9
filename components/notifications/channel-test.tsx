'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '@/lib/queries/api';
import { notificationKeys, sendTestNotification } from '@/lib/queries/notifications';

export interface SendTestButtonProps {
  channel: string;
  name: string;
}

/** Sends a test notification now and shows what the receiver answered, verbatim: what an operator needs to fix a channel. */
export function SendTestButton({ channel, name }: SendTestButtonProps) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => sendTestNotification(channel),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [...notificationKeys.channels(), channel, 'deliveries'] }),
  });
  const result = mutation.data;
  return (
    <div className="connection-test">
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        aria-label={`Send a test to ${name}`}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Sending…' : 'Send test'}
      </button>
      <div role="status" aria-live="polite" className="connection-result" data-testid={`test-result-${channel}`}>
        {mutation.isError ? (
          <span className="connection-failed">
            <span aria-hidden="true">✗ </span>The test could not be sent: {errorMessage(mutation.error)}
          </span>
        ) : result ? (
          <span className={result.ok ? 'connection-ok' : 'connection-failed'}>
            <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
            {result.ok ? 'Delivered' : 'Failed'}
            {result.statusCode !== null ? <> · status {result.statusCode}</> : null}
            {result.response ? (
              <>
                {' '}
                · <code className="verbatim">{result.response}</code>
              </>
            ) : null}
          </span>
        ) : null}
      </div>
    </div>
  );
}

'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '@/lib/queries/api';
import { channelDeliveries, notificationKeys } from '@/lib/queries/notifications';
import { LocalTime } from '../local-time';

export interface DeliveryLogProps {
  channel: string;
  name: string;
}

/** A channel's deliveries, newest first, a page at a time: when, what, how it went, how often it was tried, what the receiver said. */
export function DeliveryLog({ channel, name }: DeliveryLogProps) {
  const [open, setOpen] = useState(false);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors.at(-1) ?? null;
  const query = useQuery({
    queryKey: notificationKeys.deliveries(channel, cursor),
    queryFn: ({ signal }) => channelDeliveries(channel, cursor, signal),
    enabled: open,
  });
  return (
    <details className="delivery-log" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Delivery log</summary>
      {query.isPending && open ? <p className="muted">Loading…</p> : null}
      {query.isError ? <p className="connection-failed">{errorMessage(query.error)}</p> : null}
      {query.data && query.data.deliveries.length === 0 ? <p className="muted">Nothing sent to {name} yet.</p> : null}
      {query.data && query.data.deliveries.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Deliveries to {name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">About</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last response</th>
              </tr>
            </thead>
            <tbody>
              {query.data.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>
                    <LocalTime iso={d.createdAt} />
                  </td>
                  <td>{d.action}</td>
                  <td>{d.service ? `${d.service}${d.slo ? `/${d.slo}` : ''}` : <span className="muted">—</span>}</td>
                  <td>
                    <span className={`badge ${d.status === 'delivered' ? 'badge-ok' : d.status === 'failed' ? 'badge-danger' : 'badge-muted'}`}>
                      {d.status}
                    </span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.lastAttempt ? (
                      <>
                        {d.lastAttempt.statusCode !== null ? `${d.lastAttempt.statusCode} ` : ''}
                        <code className="verbatim">{d.lastAttempt.response}</code>
                      </>
                    ) : (
                      <span className="muted">not tried yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="form-actions" style={{ marginTop: 8 }}>
        {cursors.length > 1 ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Newer
          </button>
        ) : null}
        {query.data?.next ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCursors((c) => [...c, query.data!.next])}>
            Older
          </button>
        ) : null}
      </div>
    </details>
  );
}

'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { AlertKind, RouteInput, Severity, type Route } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { createRoute, deleteRoute } from '@/lib/queries/notifications';
import { placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { ErrorSummary, Field, InlineError, zodFieldErrors } from '../form/form-kit';
import { LabelCells, type LabelRowValues } from '../form/label-cells';
import { rowAdded, rowChanged, rowRemoved } from '../form/rows';
import { RowsTable } from '../form/rows-table';
import { useFormErrors } from '../form/use-form-errors';

export const KIND_LABEL: Record<AlertKind, string> = { burn_rate: 'Burn rate', data_absent: 'Data absent', budget_low: 'Budget low' };

export interface RoutesPanelProps {
  routes: Route[];
  channels: Array<{ slug: string; name: string; kind: string }>;
  /** Services by team, to pick from. */
  services: Array<{ slug: string; name: string; team: string }>;
  /** The teams this person may route (an editor's own, an admin's every team). */
  editableTeams: string[];
}

function locate(path: string, labels: LabelRowValues[]): { id: string; label: string } | null {
  const fixed: Record<string, { id: string; label: string }> = {
    team: { id: 'route-team', label: 'Team' },
    channel: { id: 'route-channel', label: 'Channel' },
    services: { id: 'route-services', label: 'Services' },
    severities: { id: 'route-severity-page', label: 'Severities' },
    kinds: { id: 'route-kind-burn_rate', label: 'Kinds' },
  };
  if (fixed[path]) return fixed[path];
  const top = path.split('.')[0]!;
  if (fixed[top]) return fixed[top];
  const label = /^labels\.(.+)$/.exec(path);
  if (label) {
    const row = labels.find((l) => l.name.trim() === label[1]);
    return row ? { id: `route-label-${row.key}-name`, label: `Label “${row.name.trim()}”` } : { id: 'route-labels-add', label: 'Labels' };
  }
  return null;
}

function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

/** Routes grouped by team, each deletable by whoever may route that team; and the form that adds one. */
export function RoutesPanel({ routes, channels, services, editableTeams }: RoutesPanelProps) {
  const router = useRouter();
  const [team, setTeam] = useState(editableTeams[0] ?? '');
  const [channel, setChannel] = useState(channels[0]?.slug ?? '');
  const [chosen, setChosen] = useState<string[]>([]);
  const [severities, setSeverities] = useState<Severity[]>([]);
  const [kinds, setKinds] = useState<AlertKind[]>([]);
  const [labels, setLabels] = useState<LabelRowValues[]>([]);
  const [seq, setSeq] = useState(1);
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => placedIds(fields, (p) => locate(p, labels)));

  const create = useMutation({
    mutationFn: createRoute,
    onSuccess: () => {
      setChosen([]);
      setSeverities([]);
      setKinds([]);
      setLabels([]);
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path, labels) !== null),
  });
  const remove = useMutation({ mutationFn: deleteRoute, onSuccess: () => router.refresh() });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = {
      team,
      channel,
      services: chosen,
      severities,
      kinds,
      labels: Object.fromEntries(labels.filter((l) => l.name.trim() !== '').map((l) => [l.name.trim(), l.value])),
    };
    const parsed = RouteInput.safeParse(body);
    if (!parsed.success) {
      show(zodFieldErrors(parsed.error));
      return;
    }
    clear();
    create.mutate(parsed.data);
  }

  const { byId, summary } = placeErrors(errors, (p) => locate(p, labels));
  const unlocated = unplacedMessage(errors, summary.length, 'The route');
  const err = (id: string) => byId.get(id);
  const teams = [...new Set(routes.map((r) => r.team))].sort();
  const teamServices = services.filter((s) => s.team === team);
  const channelName = new Map(channels.map((c) => [c.slug, c.name]));

  return (
    <>
      {teams.length === 0 ? (
        <p className="muted">No routes yet: no alert is sent anywhere.</p>
      ) : (
        teams.map((t) => (
          <div key={t} className="table-wrap" style={{ marginBottom: 16 }}>
            <table className="data-table" data-team={t}>
              <caption style={{ textAlign: 'left', fontWeight: 600, padding: '6px 0' }}>Team {t}</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Services</th>
                  <th scope="col">Severities</th>
                  <th scope="col">Kinds</th>
                  <th scope="col">Labels</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {routes
                  .filter((r) => r.team === t)
                  .map((r) => (
                    <tr key={r.id} data-route={r.id}>
                      <th scope="row">
                        {channelName.get(r.channel) ?? r.channelName} <span className="muted">({r.channelKind})</span>
                      </th>
                      <td>
                        {r.services.length ? r.services.join(', ') : <span className="muted">all</span>}
                        {r.slos.length ? <span className="muted"> · SLOs {r.slos.join(', ')}</span> : null}
                      </td>
                      <td>{r.severities.length ? r.severities.join(', ') : <span className="muted">all</span>}</td>
                      <td>{r.kinds.length ? r.kinds.map((k) => KIND_LABEL[k]).join(', ') : <span className="muted">all</span>}</td>
                      <td>
                        {Object.keys(r.labels).length ? (
                          <code>
                            {Object.entries(r.labels)
                              .map(([k, v]) => `${k}=${v}`)
                              .join(', ')}
                          </code>
                        ) : (
                          <span className="muted">any</span>
                        )}
                      </td>
                      <td>
                        {r.managedBy ? (
                          <span className="muted" title={`Applied from ${r.managedBy.source}${r.managedBy.path ? `, ${r.managedBy.path}` : ''}`}>
                            Managed in git
                          </span>
                        ) : editableTeams.includes(r.team) ? (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            aria-label={`Delete the route of ${r.team} to ${r.channelName}`}
                            disabled={remove.isPending}
                            onClick={() => remove.mutate(r.id)}
                          >
                            Delete
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ))
      )}
      {remove.isError ? <p className="connection-failed">{errorMessage(remove.error)}</p> : null}

      {editableTeams.length > 0 && channels.length > 0 ? (
        <form className="form panel" noValidate onSubmit={onSubmit} aria-label="Add route">
          <h3>Add a route</h3>
          <ErrorSummary message={formError ?? unlocated} items={summary} />
          <div className="field-row two">
            <Field id="route-team" label="Team" error={err('route-team')}>
              {(a) => (
                <select
                  {...a}
                  value={team}
                  onChange={(e) => {
                    setTeam(e.target.value);
                    setChosen([]);
                  }}
                >
                  {editableTeams.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="route-channel" label="Channel" error={err('route-channel')}>
              {(a) => (
                <select {...a} value={channel} onChange={(e) => setChannel(e.target.value)}>
                  {channels.map((c) => (
                    <option key={c.slug} value={c.slug}>
                      {c.name} ({c.kind})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <fieldset className="choice-group" style={{ marginTop: 14 }} aria-describedby="route-services-hint">
            <legend>Services</legend>
            <div className="choices" id="route-services" tabIndex={-1}>
              {teamServices.map((s) => (
                <label key={s.slug} className="choice">
                  <input type="checkbox" checked={chosen.includes(s.slug)} onChange={(e) => setChosen((c) => toggled(c, s.slug, e.target.checked))} />
                  <span>
                    <strong>{s.name}</strong>
                    <small>{s.slug}</small>
                  </span>
                </label>
              ))}
            </div>
            <p className="field-hint" id="route-services-hint">
              None ticked: every service of the team{teamServices.length === 0 ? ' (it has none yet)' : ''}.
            </p>
            <InlineError id="route-services-error" message={err('route-services')} />
          </fieldset>
          <div className="field-row two" style={{ marginTop: 14 }}>
            <fieldset className="choice-group">
              <legend>Severities</legend>
              <div className="choices">
                {Severity.options.map((s) => (
                  <label key={s} className="choice">
                    <input
                      id={`route-severity-${s}`}
                      type="checkbox"
                      checked={severities.includes(s)}
                      onChange={(e) => setSeverities((c) => toggled(c, s, e.target.checked))}
                    />
                    <span>
                      <strong>{s}</strong>
                    </span>
                  </label>
                ))}
              </div>
              <p className="field-hint">None ticked: both.</p>
              <InlineError id="route-severity-page-error" message={err('route-severity-page')} />
            </fieldset>
            <fieldset className="choice-group">
              <legend>Kinds</legend>
              <div className="choices">
                {AlertKind.options.map((k) => (
                  <label key={k} className="choice">
                    <input
                      id={`route-kind-${k}`}
                      type="checkbox"
                      checked={kinds.includes(k)}
                      onChange={(e) => setKinds((c) => toggled(c, k, e.target.checked))}
                    />
                    <span>
                      <strong>{KIND_LABEL[k]}</strong>
                    </span>
                  </label>
                ))}
              </div>
              <p className="field-hint">None ticked: every kind.</p>
              <InlineError id="route-kind-burn_rate-error" message={err('route-kind-burn_rate')} />
            </fieldset>
          </div>
          {labels.length > 0 ? (
            <RowsTable
              label="Labels"
              columns={['Key', 'Value']}
              rows={labels}
              rowName="label"
              onRemove={(key) => setLabels((l) => rowRemoved(l, key))}
              style={{ marginTop: 14 }}
              cells={(row, i) => (
                <LabelCells
                  idPrefix="route-label"
                  label={row}
                  index={i}
                  placeholders={{ name: 'tier', value: '1' }}
                  err={err}
                  onChange={(patch) => setLabels((l) => rowChanged(l, row.key, patch))}
                />
              )}
            />
          ) : null}
          <p className="field-hint">Labels: only SLOs with all of these labels.</p>
          <div className="form-actions" style={{ marginTop: 10 }}>
            <button
              id="route-labels-add"
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => {
                setLabels((l) => rowAdded(l, { key: seq, name: '', value: '' }));
                setSeq((n) => n + 1);
              }}
            >
              Add label
            </button>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? 'Adding…' : 'Add route'}
            </button>
          </div>
        </form>
      ) : editableTeams.length > 0 ? (
        <p className="muted">Routes send to channels; an admin adds the first channel.</p>
      ) : null}
    </>
  );
}

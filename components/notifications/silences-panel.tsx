'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SilenceInput, type Silence } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { createSilence, endSilence } from '@/lib/queries/notifications';
import { placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { Choices, ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { LocalTime } from '../local-time';

type Scope = 'team' | 'service' | 'slo';

export interface SilencesPanelProps {
  active: Silence[];
  past: Silence[];
  services: Array<{ slug: string; name: string; team: string; slos: string[] }>;
  /** The teams this person may silence. */
  editableTeams: string[];
}

const PLACES: Record<string, { id: string; label: string }> = {
  scope: { id: 'silence-scope-team', label: 'Scope' },
  team: { id: 'silence-team', label: 'Team' },
  service: { id: 'silence-service', label: 'Service' },
  slo: { id: 'silence-slo', label: 'SLO' },
  endsAt: { id: 'silence-until', label: 'Until' },
  startsAt: { id: 'silence-until', label: 'Until' },
  reason: { id: 'silence-reason', label: 'Reason' },
};
const locate = (path: string) => PLACES[path] ?? null;

/** A datetime-local value an hour from now, in the browser's zone. */
function inAnHour(): string {
  const d = new Date(Date.now() + 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function what(s: Silence): string {
  return s.scope === 'team'
    ? `team ${s.team}`
    : s.scope === 'service'
      ? `service ${s.service ?? '(deleted)'}`
      : `SLO ${s.service ?? '?'}/${s.slo ?? '(deleted)'}`;
}

function SilenceTable({ silences, caption, endable }: { silences: Silence[]; caption: string; endable?: (s: Silence) => boolean }) {
  const router = useRouter();
  const end = useMutation({ mutationFn: endSilence, onSuccess: () => router.refresh() });
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Holds</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">Reason</th>
            <th scope="col">By</th>
            {endable ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} data-silence={s.id}>
              <th scope="row">{what(s)}</th>
              <td>
                <LocalTime iso={s.startsAt} />
              </td>
              <td>
                <LocalTime iso={s.endsAt} />
              </td>
              <td>{s.reason}</td>
              <td>{s.createdBy}</td>
              {endable ? (
                <td>
                  {endable(s) ? (
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`End the silence of ${what(s)} now`}
                      disabled={end.isPending}
                      onClick={() => end.mutate(s.id)}
                    >
                      End now
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {end.isError ? <p className="connection-failed">{errorMessage(end.error)}</p> : null}
    </div>
  );
}

/** Active and past silences, ending one early, and the form that adds one (scope, target, until, reason). */
export function SilencesPanel({ active, past, services, editableTeams }: SilencesPanelProps) {
  const router = useRouter();
  const mine = services.filter((s) => editableTeams.includes(s.team));
  const [scope, setScope] = useState<Scope>('service');
  const [team, setTeam] = useState(editableTeams[0] ?? '');
  const [service, setService] = useState(mine[0]?.slug ?? '');
  const [slo, setSlo] = useState('');
  const [until, setUntil] = useState(inAnHour);
  const [reason, setReason] = useState('');
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => placedIds(fields, locate));
  const create = useMutation({
    mutationFn: createSilence,
    onSuccess: () => {
      setReason('');
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path) !== null),
  });
  const slos = services.find((s) => s.slug === service)?.slos ?? [];

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const endsAt = new Date(until);
    const body = {
      scope,
      ...(scope === 'team' ? { team } : { service }),
      ...(scope === 'slo' ? { slo: slo || slos[0] } : {}),
      endsAt: Number.isNaN(endsAt.getTime()) ? until : endsAt.toISOString(),
      reason,
    };
    const parsed = SilenceInput.safeParse(body);
    if (!parsed.success) {
      show(zodFieldErrors(parsed.error));
      return;
    }
    clear();
    create.mutate(parsed.data);
  }

  const { byId, summary } = placeErrors(errors, locate);
  const unlocated = unplacedMessage(errors, summary.length, 'The silence');
  const err = (id: string) => byId.get(id);

  return (
    <>
      <h3>Active</h3>
      {active.length === 0 ? (
        <p className="muted">No silence holds any notification now.</p>
      ) : (
        <SilenceTable silences={active} caption="Active silences" endable={(s) => editableTeams.includes(s.team)} />
      )}

      {editableTeams.length > 0 ? (
        <form className="form panel" noValidate onSubmit={onSubmit} aria-label="Add silence" style={{ marginTop: 16 }}>
          <h3>Silence notifications</h3>
          <ErrorSummary message={formError ?? unlocated} items={summary} />
          <Choices
            name="silence-scope"
            idPrefix="silence-scope"
            legend="Scope"
            value={scope}
            options={[
              ['team', 'Team', 'Every alert of a team’s services.'],
              ['service', 'Service', 'Every SLO of one service.'],
              ['slo', 'SLO', 'One SLO.'],
            ]}
            onChange={setScope}
            error={err('silence-scope-team')}
          />
          <div className="field-row two" style={{ marginTop: 14 }}>
            {scope === 'team' ? (
              <Field id="silence-team" label="Team" error={err('silence-team')}>
                {(a) => (
                  <select {...a} value={team} onChange={(e) => setTeam(e.target.value)}>
                    {editableTeams.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <Field id="silence-service" label="Service" error={err('silence-service')}>
                {(a) => (
                  <select
                    {...a}
                    value={service}
                    onChange={(e) => {
                      setService(e.target.value);
                      setSlo('');
                    }}
                  >
                    {mine.map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name} ({s.slug})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {scope === 'slo' ? (
              <Field id="silence-slo" label="SLO" error={err('silence-slo')}>
                {(a) => (
                  <select {...a} value={slo || slos[0] || ''} onChange={(e) => setSlo(e.target.value)}>
                    {slos.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
          </div>
          <div className="field-row two" style={{ marginTop: 14 }}>
            <Field id="silence-until" label="Until" error={err('silence-until')} hint="In your time zone.">
              {(a) => <input {...a} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />}
            </Field>
            <Field id="silence-reason" label="Reason" error={err('silence-reason')} hint="Kept in the audit trail.">
              {(a) => <input {...a} type="text" value={reason} placeholder="Planned database migration" onChange={(e) => setReason(e.target.value)} />}
            </Field>
          </div>
          <div className="form-actions" style={{ marginTop: 10 }}>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? 'Adding…' : 'Add silence'}
            </button>
          </div>
        </form>
      ) : null}

      <h3 style={{ marginTop: 20 }}>Past</h3>
      {past.length === 0 ? <p className="muted">No silence has ended yet.</p> : <SilenceTable silences={past} caption="Past silences" />}
    </>
  );
}

'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ChannelInput, ChannelPatch, type Channel, type ChannelKind } from '@/lib/schemas';
import { createChannel, notificationKeys, updateChannel } from '@/lib/queries/notifications';
import { placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { Choices, ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { NameAndSlugFields } from '../form/name-slug-fields';
import { useFormErrors } from '../form/use-form-errors';
import { channelBodyOf, channelDraftOf, PAGERDUTY_URL, SECRET_OF, type ChannelDraft } from './channel-draft';

const KINDS: ReadonlyArray<readonly [ChannelKind, string, string]> = [
  ['webhook', 'Webhook', 'A JSON POST to any HTTP endpoint, signed with a secret.'],
  ['slack', 'Slack', 'A message through a Slack incoming webhook.'],
  ['pagerduty', 'PagerDuty', 'Events API v2: triggers and resolves incidents.'],
  ['alertmanager', 'Alertmanager', 'Alerts posted to a Prometheus Alertmanager, which routes them on.'],
  ['email', 'E-mail', 'Over SMTP to a list of addresses.'],
];

const PLACES: Record<string, { id: string; label: string }> = {
  name: { id: 'ch-name', label: 'Name' },
  slug: { id: 'ch-slug', label: 'Slug' },
  config: { id: 'ch-kind-webhook', label: 'Kind' },
  'config.kind': { id: 'ch-kind-webhook', label: 'Kind' },
  'config.url': { id: 'ch-url', label: 'URL' },
  'config.username': { id: 'ch-username', label: 'Username' },
  'config.host': { id: 'ch-host', label: 'SMTP host' },
  'config.port': { id: 'ch-port', label: 'Port' },
  'config.from': { id: 'ch-from', label: 'From' },
  'config.to': { id: 'ch-to', label: 'To' },
  secret: { id: 'ch-secret', label: 'Secret' },
};

function locate(path: string): { id: string; label: string } | null {
  return PLACES[path] ?? (path.startsWith('config.to') ? PLACES['config.to']! : null);
}

export interface ChannelFormProps {
  /** The channel being edited; absent on create. */
  channel?: Channel;
}

/**
 * Add or edit a notification channel (admins). The secret is write-only: on edit its field starts empty and is sent
 * only when typed; the API refuses a new receiver host without it.
 */
export function ChannelForm({ channel }: ChannelFormProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const editing = channel !== undefined;
  const [draft, setDraft] = useState<ChannelDraft>(() => channelDraftOf(channel));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => placedIds(fields, locate));

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => (channel ? updateChannel(channel.slug, ChannelPatch.parse(body)) : createChannel(ChannelInput.parse(body))),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      router.push('/notifications');
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path) !== null),
  });

  function set<K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = channelBodyOf(draft, channel);
    const parsed = editing ? ChannelPatch.safeParse(body) : ChannelInput.safeParse(body);
    const fields: Record<string, string> = parsed.success ? {} : zodFieldErrors(parsed.error);
    const secret = SECRET_OF[draft.kind];
    if (secret.required && draft.secret === '' && !(editing && channel.hasSecret && channel.kind === draft.kind)) fields.secret = 'is required';
    if (editing && Object.keys(body).length === 0) {
      show({}, 'Nothing has changed.');
      return;
    }
    if (Object.keys(fields).length > 0) {
      show(fields);
      return;
    }
    clear();
    mutation.mutate(body);
  }

  const { byId, summary } = placeErrors(errors, locate);
  const unlocated = unplacedMessage(errors, summary.length, 'The channel');
  const err = (id: string) => byId.get(id);
  const secret = SECRET_OF[draft.kind];
  const keeping = editing && channel.hasSecret && channel.kind === draft.kind;

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={editing ? 'Edit channel' : 'New channel'}>
      <ErrorSummary message={formError ?? unlocated} items={summary} />

      <fieldset className="form-section">
        <legend>Channel</legend>
        <NameAndSlugFields
          idPrefix="ch"
          name={draft.name}
          slug={draft.slug}
          editing={editing}
          onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
          errors={{ name: err('ch-name'), slug: err('ch-slug') }}
          placeholders={{ name: 'Payments on-call', slug: 'payments-oncall' }}
          slugHint={editing ? 'Routes refer to the channel by its slug.' : 'Routes refer to it by this. Suggested from the name.'}
        />
        <Choices
          name="kind"
          idPrefix="ch-kind"
          legend="Kind"
          value={draft.kind}
          options={KINDS}
          onChange={(kind) => set('kind', kind)}
          error={err('ch-kind-webhook')}
          style={{ marginTop: 14 }}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>Where it sends</legend>
        {draft.kind === 'webhook' || draft.kind === 'alertmanager' || draft.kind === 'pagerduty' ? (
          <Field
            id="ch-url"
            label="URL"
            error={err('ch-url')}
            optional={draft.kind === 'pagerduty'}
            hint={
              draft.kind === 'pagerduty'
                ? `Empty: PagerDuty’s own (${PAGERDUTY_URL}).`
                : draft.kind === 'alertmanager'
                  ? 'Alertmanager’s base URL, e.g. http://alertmanager:9093. Link-local and cloud-metadata addresses are refused.'
                  : 'Link-local and cloud-metadata addresses are refused.'
            }
          >
            {(a) => (
              <input
                {...a}
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                className="mono"
                value={draft.url}
                placeholder={draft.kind === 'pagerduty' ? PAGERDUTY_URL : 'https://hooks.example.com/umpire'}
                onChange={(e) => set('url', e.target.value)}
              />
            )}
          </Field>
        ) : null}
        {draft.kind === 'email' ? (
          <>
            <div className="field-row three">
              <Field id="ch-host" label="SMTP host" error={err('ch-host')}>
                {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} value={draft.host} onChange={(e) => set('host', e.target.value)} />}
              </Field>
              <Field id="ch-port" label="Port" error={err('ch-port')}>
                {(a) => <input {...a} type="text" inputMode="numeric" value={draft.port} onChange={(e) => set('port', e.target.value)} />}
              </Field>
              <div className="choices" style={{ alignSelf: 'end' }}>
                <label className="choice">
                  <input id="ch-secure" type="checkbox" checked={draft.secure} onChange={(e) => set('secure', e.target.checked)} />
                  <span>
                    <strong>TLS from the start</strong>
                    <small>Port 465; otherwise STARTTLS when offered.</small>
                  </span>
                </label>
              </div>
            </div>
            <div className="field-row two" style={{ marginTop: 14 }}>
              <Field id="ch-from" label="From" error={err('ch-from')}>
                {(a) => <input {...a} type="email" autoComplete="off" value={draft.from} onChange={(e) => set('from', e.target.value)} />}
              </Field>
              <Field id="ch-to" label="To" error={err('ch-to')} hint="Addresses separated by commas.">
                {(a) => <input {...a} type="text" autoComplete="off" value={draft.to} onChange={(e) => set('to', e.target.value)} />}
              </Field>
            </div>
          </>
        ) : null}
        {draft.kind === 'alertmanager' || draft.kind === 'email' ? (
          <div className="field-row two" style={{ marginTop: 14 }}>
            <Field id="ch-username" label="Username" optional error={err('ch-username')}>
              {(a) => (
                <input {...a} type="text" autoComplete="off" spellCheck={false} value={draft.username} onChange={(e) => set('username', e.target.value)} />
              )}
            </Field>
          </div>
        ) : null}
      </fieldset>

      <fieldset className="form-section">
        <legend>Secret</legend>
        <p className="form-section-intro">
          Encrypted at rest and never shown again, here or in the API.
          {editing ? (channel.hasSecret ? ' A secret is stored.' : ' No secret is stored.') : null}
        </p>
        <div className="field-row two">
          <Field
            id="ch-secret"
            label={secret.label}
            optional={!secret.required || keeping}
            error={err('ch-secret')}
            hint={keeping ? `${secret.hint} Leave empty to keep the current one (a URL on another host needs it again).` : secret.hint}
          >
            {(a) => (
              <input
                {...a}
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={draft.secret}
                onChange={(e) => set('secret', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add channel'}
        </button>
        <Link href="/notifications" className="btn btn-ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}

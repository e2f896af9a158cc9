'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ServiceInput, ServicePatch, type Service } from '@/lib/schemas';
import { createService, updateService } from '@/lib/queries/services';
import { summaryInFieldOrder } from '../form/form-errors';
import { ErrorSummary, Field, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { NameAndSlugFields } from '../form/name-slug-fields';

type LinkKey = 'runbook' | 'repository' | 'dashboard' | 'onCall';

interface Draft {
  slug: string;
  name: string;
  ownerTeam: string;
  tier: string;
  description: string;
  links: Record<LinkKey, string>;
}

/** Every field path the form can show an error at, in display order, with its control's id and label. */
const FIELDS: Array<{ path: string; id: string; label: string }> = [
  { path: 'name', id: 'service-name', label: 'Name' },
  { path: 'slug', id: 'service-slug', label: 'Slug' },
  { path: 'ownerTeam', id: 'service-team', label: 'Owner team' },
  { path: 'tier', id: 'service-tier-1', label: 'Tier' },
  { path: 'description', id: 'service-description', label: 'Description' },
  { path: 'links.runbook', id: 'service-link-runbook', label: 'Runbook URL' },
  { path: 'links.repository', id: 'service-link-repository', label: 'Repository URL' },
  { path: 'links.dashboard', id: 'service-link-dashboard', label: 'Dashboard URL' },
  { path: 'links.onCall', id: 'service-link-onCall', label: 'On-call URL' },
];

const LINKS: Array<{ key: LinkKey; label: string; placeholder: string }> = [
  { key: 'runbook', label: 'Runbook URL', placeholder: 'https://runbooks.example.com/checkout' },
  { key: 'repository', label: 'Repository URL', placeholder: 'https://github.com/acme/checkout' },
  { key: 'dashboard', label: 'Dashboard URL', placeholder: 'https://grafana.example.com/d/checkout' },
  { key: 'onCall', label: 'On-call URL', placeholder: 'https://oncall.example.com/payments' },
];

const TIERS = [
  { value: '1', title: 'Tier 1', detail: 'Critical, customer-facing' },
  { value: '2', title: 'Tier 2', detail: 'Important, degraded service tolerable briefly' },
  { value: '3', title: 'Tier 3', detail: 'Internal or best effort' },
];

function draftOf(service: Service | undefined): Draft {
  return {
    slug: service?.slug ?? '',
    name: service?.name ?? '',
    ownerTeam: service?.ownerTeam ?? '',
    tier: String(service?.tier ?? 2),
    description: service?.description ?? '',
    links: {
      runbook: service?.links.runbook ?? '',
      repository: service?.links.repository ?? '',
      dashboard: service?.links.dashboard ?? '',
      onCall: service?.links.onCall ?? '',
    },
  };
}

/** The draft as the API's body; empty links are left out (the schema treats them as absent). */
function bodyOf(draft: Draft) {
  const links: Partial<Record<LinkKey, string>> = {};
  for (const { key } of LINKS) {
    const value = draft.links[key].trim();
    if (value) links[key] = value;
  }
  return {
    slug: draft.slug.trim(),
    name: draft.name,
    ownerTeam: draft.ownerTeam,
    tier: Number(draft.tier),
    description: draft.description,
    links,
  };
}

export interface ServiceFormProps {
  /** The service being edited; absent on create. */
  service?: Service;
  /** Existing teams, offered as suggestions. */
  teams: string[];
  /** The teams this person may own services for (editors); 'all' for admins. */
  allowedTeams?: 'all' | string[];
}

/**
 * Create or edit a service. Validates with the same zod schema as the API on submit, shows the API's own
 * field errors (a taken slug) next to their fields, and never clears what was typed.
 */
export function ServiceForm({ service, teams, allowedTeams = 'all' }: ServiceFormProps) {
  const router = useRouter();
  const editing = service !== undefined;
  const [draft, setDraft] = useState<Draft>(() => draftOf(service));
  const { errors, formError, show, showApiError, clear } = useFormErrors((fields) => summaryInFieldOrder(fields, FIELDS).map((f) => f.id));

  const mutation = useMutation({
    mutationFn: (body: ServiceInput) => (service ? updateService(service.slug, body) : createService(body)),
    onSuccess: (saved) => {
      router.push(`/services/${encodeURIComponent(saved.slug)}`);
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => FIELDS.some((f) => f.path === path)),
  });

  function update<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = bodyOf(draft);
    const parsed = editing ? ServicePatch.safeParse(body) : ServiceInput.safeParse(body);
    if (!parsed.success) {
      show(zodFieldErrors(parsed.error));
      return;
    }
    clear();
    // Both schemas accept the full body; the create schema's output is what the API takes either way.
    mutation.mutate(ServiceInput.parse(body));
  }

  const summary = summaryInFieldOrder(errors, FIELDS);
  const cancelHref = service ? `/services/${encodeURIComponent(service.slug)}` : '/';

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={editing ? 'Edit service' : 'New service'}>
      <ErrorSummary message={formError} items={summary} />

      <fieldset className="form-section">
        <legend>Service</legend>
        <p className="form-section-intro">A service groups the SLOs one team owns.</p>
        <NameAndSlugFields
          idPrefix="service"
          name={draft.name}
          slug={draft.slug}
          editing={editing}
          onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
          errors={{ name: errors.name, slug: errors.slug }}
          placeholders={{ name: 'Checkout API', slug: 'checkout-api' }}
          slugHint={editing ? 'Changing it changes the service’s URL and API path.' : 'Used in URLs and the API. Suggested from the name.'}
        />
        <div className="field-row two">
          <Field
            id="service-team"
            label="Owner team"
            error={errors.ownerTeam}
            hint={
              allowedTeams === 'all'
                ? 'The team paged when its SLOs burn.'
                : `The team paged when its SLOs burn; you may choose ${allowedTeams.map((t) => `“${t}”`).join(', ')}.`
            }
          >
            {(a11y) => (
              <>
                <input
                  {...a11y}
                  type="text"
                  list="service-team-options"
                  autoComplete="off"
                  value={draft.ownerTeam}
                  onChange={(e) => update('ownerTeam', e.target.value)}
                  placeholder="payments"
                />
                <datalist id="service-team-options">
                  {(allowedTeams === 'all' ? teams : allowedTeams).map((team) => (
                    <option key={team} value={team} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <fieldset className="choice-group" aria-describedby={errors.tier ? 'service-tier-error' : undefined} style={{ marginTop: 14 }}>
          <legend>Tier</legend>
          <div className="choices">
            {TIERS.map((tier) => (
              <label key={tier.value} className="choice">
                <input
                  id={`service-tier-${tier.value}`}
                  type="radio"
                  name="tier"
                  value={tier.value}
                  checked={draft.tier === tier.value}
                  onChange={() => update('tier', tier.value)}
                />
                <span>
                  <strong>{tier.title}</strong>
                  <small>{tier.detail}</small>
                </span>
              </label>
            ))}
          </div>
          {errors.tier ? (
            <p className="field-error" id="service-tier-error">
              Tier {errors.tier}
            </p>
          ) : null}
        </fieldset>
        <Field id="service-description" label="Description" optional error={errors.description}>
          {(a11y) => (
            <textarea
              {...a11y}
              rows={3}
              value={draft.description}
              onChange={(e) => update('description', e.target.value)}
              placeholder="What it does, for whom."
            />
          )}
        </Field>
      </fieldset>

      <fieldset className="form-section">
        <legend>Links</legend>
        <p className="form-section-intro">Where responders go from an alert. Only http(s) addresses are accepted.</p>
        <div className="field-row two">
          {LINKS.map((link) => (
            <Field key={link.key} id={`service-link-${link.key}`} label={link.label} optional error={errors[`links.${link.key}`]}>
              {(a11y) => (
                <input
                  {...a11y}
                  type="url"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  value={draft.links[link.key]}
                  onChange={(e) => update('links', { ...draft.links, [link.key]: e.target.value })}
                  placeholder={link.placeholder}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : editing ? 'Save changes' : 'Create service'}
        </button>
        <Link href={cancelHref} className="btn btn-ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}

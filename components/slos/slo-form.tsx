'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SliPreviewRequest, SloInput, SloPatch, type DataSource, type SliSpec, type Slo } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { datasourceKeys, listDataSources, previewSli } from '@/lib/queries/datasources';
import { createSlo, updateSlo } from '@/lib/queries/services';
import { sloKeys } from '@/lib/queries/slo';
import { apiErrors, placedIds, placeErrors, unplacedMessage } from '../form/form-errors';
import { ErrorSummary, zodFieldErrors } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { useOtelCatalog } from '../otel/use-otel-catalog';
import { useBrowserTimeZone } from '../use-hydrated';
import { SliPreviewPanel } from './sli-preview';
import { SloAlertFields, type AlertDefaults } from './slo-alert-fields';
import { SloBasicsFields } from './slo-basics-fields';
import { bodyOf, draftOf, errorPlace, isFieldError, localErrors, locate, objectiveOf, rewriteIssue, sliOf, withoutSliErrors, type SloDraft } from './slo-draft';
import { SloLabelFields } from './slo-label-fields';
import { SloSliFields } from './slo-sli-fields';
import { SloBudgetingFields, SloWindowFields } from './slo-window-fields';
import type { PeriodContext } from './tier-draft';

export interface SloFormProps {
  service: string;
  /** The SLO being edited; absent on create. */
  slo?: Slo;
  /** Registered data sources, as the server rendered them; refreshed when the tab regains focus. */
  datasources: DataSource[];
  /** When the page was rendered (ISO): a calendar window's default tiers are for the period containing it. */
  asOf: string;
  /** The installation's budget-low share and absent delay, shown where the SLO keeps them. */
  alertDefaults: AlertDefaults;
}

/**
 * Create or edit an SLO with every field of the SloInput schema. The objective is typed as a percentage and
 * sent as a fraction; validation is the shared schema on submit plus the API's field errors.
 */
export function SloForm({ service, slo, datasources: initialDatasources, asOf, alertDefaults }: SloFormProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const editing = slo !== undefined;
  const browserZone = useBrowserTimeZone();
  const ctx: PeriodContext = { asOf: new Date(asOf), browserZone };
  const [draft, setDraft] = useState<SloDraft>(() => draftOf(slo, initialDatasources, ctx));
  // A data source added in another tab shows up here on return, without losing the draft.
  const datasourcesQuery = useQuery({
    queryKey: datasourceKeys.all,
    queryFn: ({ signal }) => listDataSources(signal),
    initialData: initialDatasources,
    refetchOnMount: false,
  });
  const datasources = datasourcesQuery.data;
  // The same cache entry the OpenTelemetry fields read; here for the checks made on submit.
  const otelCatalog = useOtelCatalog({ metric: draft.otel.metric, enabled: draft.source === 'otel' }).catalog;
  const { errors, formError, show, showApiError, clear, setErrors } = useFormErrors((fields) => placedIds(fields, (path) => locate(path, draft)));

  const mutation = useMutation({
    mutationFn: (body: SloInput) => (slo ? updateSlo(service, slo.slug, body) : createSlo(service, body)),
    onSuccess: (saved) => {
      // Figures computed under the old definition must not be shown for the new one.
      if (slo) queryClient.removeQueries({ queryKey: sloKeys.detail(service, slo.slug) });
      queryClient.removeQueries({ queryKey: sloKeys.detail(service, saved.slug) });
      router.push(`/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(saved.slug)}`);
      router.refresh();
    },
    onError: (error) => showApiError(error, (path) => locate(path, draft) !== null),
  });

  // The preview runs the SLI as typed, before the SLO exists; previewed remembers which SLI it ran.
  const [previewed, setPreviewed] = useState<string | null>(null);
  const preview = useMutation({
    mutationFn: (sli: SliSpec) => previewSli(sli),
    onError: (error) => {
      // A 422 names SLI fields (an unknown data source); those go to their fields like a submit's would.
      const { fields } = apiErrors(error, (path) => path.startsWith('sli.') && locate(path, draft) !== null);
      if (Object.keys(fields).length > 0) show({ ...withoutSliErrors(errors), ...fields }, formError);
    },
  });

  function onPreview() {
    const sli = sliOf(draft);
    const parsed = SliPreviewRequest.safeParse({ sli });
    const local = Object.fromEntries(Object.entries(localErrors(draft, otelCatalog)).filter(([path]) => path.startsWith('sli.')));
    const fields = { ...(parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue)), ...local };
    const others = withoutSliErrors(errors);
    if (!parsed.success || Object.keys(local).length > 0) {
      preview.reset();
      show({ ...others, ...fields }, formError);
      return;
    }
    setErrors(others);
    setPreviewed(JSON.stringify(sli));
    preview.mutate(parsed.data.sli);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = bodyOf(draft, browserZone);
    const local = localErrors(draft, otelCatalog);
    const parsed = editing ? SloPatch.safeParse(body) : SloInput.safeParse(body);
    const schemaErrors = parsed.success ? {} : zodFieldErrors(parsed.error, rewriteIssue);
    const fields = { ...schemaErrors, ...local };
    if (Object.keys(fields).length > 0) {
      show(fields);
      return;
    }
    clear();
    mutation.mutate(SloInput.parse(body));
  }

  // Errors shown by field id; the summary lists them in the order the API or schema gave them.
  const { byId, summary } = placeErrors(errors, (path) => errorPlace(path, draft));
  const unlocated = unplacedMessage(errors, summary.length, 'The SLO');
  const err = (id: string) => byId.get(id);

  const cancelHref = slo ? `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo.slug)}` : `/services/${encodeURIComponent(service)}`;

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label={editing ? 'Edit SLO' : 'New SLO'}>
      <ErrorSummary message={formError ?? unlocated} items={summary} />

      <SloBasicsFields draft={draft} setDraft={setDraft} err={err} editing={editing} />

      <SloWindowFields draft={draft} setDraft={setDraft} err={err} ctx={ctx} />

      <SloBudgetingFields draft={draft} setDraft={setDraft} err={err} />

      <SloSliFields
        draft={draft}
        setDraft={setDraft}
        err={err}
        datasources={datasources}
        preview={
          <SliPreviewPanel
            onPreview={onPreview}
            pending={preview.isPending}
            result={preview.data}
            error={preview.isError && !isFieldError(preview.error) ? errorMessage(preview.error) : null}
            changed={previewed !== null && previewed !== JSON.stringify(sliOf(draft))}
            objective={objectiveOf(draft)}
          />
        }
      />

      <SloAlertFields draft={draft} setDraft={setDraft} err={err} ctx={ctx} defaults={alertDefaults} />

      <SloLabelFields draft={draft} setDraft={setDraft} err={err} />

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {mutation.isPending
            ? editing
              ? 'Saving…'
              : draft.source === 'demo'
                ? 'Creating… (filling 90 days of history)'
                : 'Creating…'
            : editing
              ? 'Save changes'
              : 'Create SLO'}
        </button>
        <Link href={cancelHref} className="btn btn-ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}

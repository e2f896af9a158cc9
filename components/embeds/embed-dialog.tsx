'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { EmbedLink, EmbedPanel } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { createEmbed, embedKeys, listEmbeds, type EmbedInputDraft } from '@/lib/queries/embeds';
import { placedIds, placeErrors } from '../form/form-errors';
import { ErrorSummary } from '../form/form-kit';
import { useFormErrors } from '../form/use-form-errors';
import { PANEL_LABELS } from './embed-code';
import { EmbedLinks } from './embed-links';
import { initialOptions, inputOf, viewOf, type EmbedOptions } from './embed-options';
import { EmbedOptionsFields } from './embed-options-fields';
import { EmbedResult } from './embed-result';
import './embeds.css';

interface Named {
  slug: string;
  name: string;
}

export interface EmbedButtonProps {
  service: Named;
  /** The SLO page's SLO: its three panels are offered. Absent on the service page. */
  slo?: Named;
  /** The service page's SLOs, whose panels it offers beside the service summary. */
  slos?: Named[];
}

/** The "Embed" button of the SLO and service pages; the dialog (and its iframes) exist only while it is open. */
export function EmbedButton(props: EmbedButtonProps) {
  const [open, setOpen] = useState(false);
  const openerRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={openerRef} type="button" className="btn btn-secondary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Embed
      </button>
      {open ? (
        <EmbedDialog
          {...props}
          onClosed={() => {
            setOpen(false);
            openerRef.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

const SLO_PANELS: readonly EmbedPanel[] = ['burn_rate', 'budget', 'sli'];
const SERVICE_PANELS: readonly EmbedPanel[] = ['service', ...SLO_PANELS];

/** The error paths (schema fields) each option feeds. */
const ERROR_PATHS: Record<keyof EmbedOptions, string[]> = {
  panel: ['panel', 'slo'],
  slo: ['slo'],
  range: ['range'],
  theme: ['theme'],
  size: ['width', 'height'],
  width: ['width'],
  height: ['height'],
  expiry: ['expiresInDays'],
  label: ['label'],
};

/** Where each field error is shown, for the summary's links and the first focus. */
function fieldIds(prefix: string): Record<string, { id: string; label: string }> {
  return {
    slo: { id: `${prefix}-slo`, label: 'SLO' },
    range: { id: `${prefix}-range`, label: 'Range' },
    theme: { id: `${prefix}-theme`, label: 'Theme' },
    width: { id: `${prefix}-width`, label: 'Width' },
    height: { id: `${prefix}-height`, label: 'Height' },
    expiresInDays: { id: `${prefix}-expiry`, label: 'Expires' },
    label: { id: `${prefix}-label`, label: 'Label' },
  };
}

interface EmbedDialogProps extends EmbedButtonProps {
  onClosed: () => void;
}

/**
 * A modal <dialog>: the rest of the page is inert while it is open (the focus stays inside), Escape or Close
 * closes it and focus returns to the Embed button. Choose the panel and its options, create a signed link,
 * then preview it and copy the iframe, Markdown or URL; the links made before are listed below it.
 */
function EmbedDialog({ service, slo, slos, onClosed }: EmbedDialogProps) {
  const prefix = `embed${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const ids = fieldIds(prefix);
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const resultRef = useRef<HTMLElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // Where focus goes once React has committed what it names (a new link's code, the revoke notice).
  const pendingFocus = useRef<'result' | 'notice' | null>(null);
  const firstSlo = slo?.slug ?? slos?.[0]?.slug ?? null;
  const [options, setOptions] = useState<EmbedOptions>(() => initialOptions(slo ? 'burn_rate' : 'service', firstSlo));
  const { errors, formError, show, showApiError, clear, setErrors } = useFormErrors((fields) => placedIds(fields, (path) => ids[path]));
  const [current, setCurrent] = useState<{ link: EmbedLink; justCreated: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const listKey = embedKeys.list(service.slug, slo?.slug ?? null);
  const list = useQuery({ queryKey: listKey, queryFn: ({ signal }) => listEmbeds(service.slug, slo?.slug ?? null, signal) });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
  }, []);

  useEffect(() => {
    const target = pendingFocus.current === 'result' ? resultRef.current : pendingFocus.current === 'notice' ? noticeRef.current : null;
    if (!target) return;
    pendingFocus.current = null;
    target.focus();
  });

  const sloName = (slug: string) => (slo?.slug === slug ? slo.name : (slos?.find((s) => s.slug === slug)?.name ?? slug));
  const names = (link: EmbedLink) => ({ serviceName: service.name, sloName: link.slo === null ? null : sloName(link.slo) });
  const view = viewOf(options);

  const mutation = useMutation({
    mutationFn: (input: EmbedInputDraft) => createEmbed(input),
    onSuccess: (link) => {
      clear();
      setNotice(null);
      setOptions((o) => ({ ...o, label: '' }));
      setCurrent({ link, justCreated: true });
      queryClient.setQueryData<EmbedLink[]>(listKey, (old) => [link, ...(old ?? []).filter((l) => l.id !== link.id)]);
      void queryClient.invalidateQueries({ queryKey: embedKeys.service(service.slug) });
      // Focus moves to the new link so screen readers hear it was made; focusing also scrolls it into view.
      pendingFocus.current = 'result';
    },
    onError: (error) => showApiError(error, (path) => path in ids),
  });

  function change(patch: Partial<EmbedOptions>) {
    setOptions((o) => ({ ...o, ...patch }));
    // A changed field loses its error; the others keep theirs until the next attempt.
    const cleared = new Set(Object.keys(patch).flatMap((key) => ERROR_PATHS[key as keyof EmbedOptions]));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([path]) => !cleared.has(path))));
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const input = inputOf(service.slug, options);
    const fields = { ...(input.errors ?? {}), ...(view.errors ?? {}) };
    if (input.input === null || Object.keys(fields).length > 0) {
      show(fields);
      return;
    }
    mutation.mutate(input.input);
  }

  function onShow(link: EmbedLink) {
    setNotice(null);
    setCurrent({ link, justCreated: false });
    pendingFocus.current = 'result';
  }

  function onRevoked(link: EmbedLink) {
    queryClient.setQueryData<EmbedLink[]>(listKey, (old) => (old ?? []).map((l) => (l.id === link.id ? link : l)));
    void queryClient.invalidateQueries({ queryKey: embedKeys.service(service.slug) });
    if (current?.link.id === link.id) setCurrent(null);
    // The row's buttons are gone: focus goes to the message saying what happened.
    setNotice(`Embed link revoked: its page, images and badge now answer “not found”.`);
    pendingFocus.current = 'notice';
  }

  const summary = placeErrors(errors, (path) => ids[path]).summary;
  const chosenElsewhere = current !== null && (current.link.panel !== options.panel || (options.panel !== 'service' && current.link.slo !== options.slo));
  const title = slo ? `Embed “${slo.name}”` : `Embed “${service.name}”`;

  return (
    <dialog
      ref={dialogRef}
      className="embed-dialog"
      aria-labelledby={`${prefix}-title`}
      aria-describedby={`${prefix}-desc`}
      onClose={(event) => {
        // React passes a nested dialog's close up its tree; only this dialog's own close unmounts it.
        if (event.target === event.currentTarget) onClosed();
      }}
    >
      <div className="embed-dialog-head">
        <h2 id={`${prefix}-title`}>{title}</h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => dialogRef.current?.close()}>
          Close
        </button>
      </div>
      <div className="embed-dialog-body">
        <p id={`${prefix}-desc`} className="embed-dialog-intro">
          A signed, read-only link to one panel, to show {slo ? 'this SLO' : 'this service'} in a wiki, a README or a status page: as a live iframe, or as an
          image where iframes are not allowed.
        </p>

        <form noValidate onSubmit={onSubmit} aria-label="New embed link" className="embed-form">
          <ErrorSummary message={formError} items={summary} />
          <EmbedOptionsFields
            idPrefix={prefix}
            options={options}
            onChange={change}
            panels={slo ? SLO_PANELS : SERVICE_PANELS}
            slos={slo ? null : (slos ?? [])}
            errors={errors}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
              {mutation.isPending ? 'Creating…' : 'Create embed link'}
            </button>
          </div>
        </form>

        <p ref={noticeRef} tabIndex={-1} role="status" className={notice ? 'callout callout-info embed-notice' : 'visually-hidden'}>
          {notice ?? ''}
        </p>

        {current ? (
          <>
            {chosenElsewhere ? (
              <div className="callout callout-info embed-notice" role="note">
                <span>Below is the {PANEL_LABELS[current.link.panel]} link; create a new link for the panel chosen above.</span>
              </div>
            ) : null}
            <EmbedResult
              key={current.link.id}
              ref={resultRef}
              idPrefix={prefix}
              link={current.link}
              view={view.view}
              names={names(current.link)}
              justCreated={current.justCreated}
            />
          </>
        ) : null}

        <section className="embed-links-section" aria-labelledby={`${prefix}-links-title`}>
          <h3 id={`${prefix}-links-title`}>{slo ? 'Embed links of this SLO' : 'Embed links of this service'}</h3>
          {list.isError ? (
            <div className="callout callout-danger" role="alert">
              <span>
                <strong>Could not load the embed links.</strong> {errorMessage(list.error)}
              </span>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => void list.refetch()} disabled={list.isFetching}>
                Retry
              </button>
            </div>
          ) : list.data === undefined ? (
            <p className="muted" aria-busy="true">
              Loading…
            </p>
          ) : (
            <EmbedLinks
              links={list.data}
              asOf={list.dataUpdatedAt}
              showSlo={!slo}
              sloName={sloName}
              currentId={current?.link.id ?? null}
              onShow={onShow}
              onRevoked={onRevoked}
            />
          )}
        </section>
      </div>
    </dialog>
  );
}

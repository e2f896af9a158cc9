'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useRef, useState } from 'react';
import { applyCatalog, planCatalog } from '@/lib/queries/catalog';
import type { CatalogFile, CatalogPlanAnswer } from '@/lib/schemas';
import { PASTED_FILE, fileRefusal, formatSize } from './files';
import { PlanTable } from './plan-table';
import { appliedLine, countsLine, hasWork, touchedServices } from './plan-view';
import { CatalogRefusal } from './refusal';

interface Chosen {
  name: string;
  size: number;
  text: string;
}

/** The files a request sends: the chosen ones, then the pasted text under its own name when there is any. */
function filesOf(chosen: Chosen[], pasted: string): CatalogFile[] {
  const files = chosen.map(({ name, text }) => ({ name, text }));
  if (pasted.trim() !== '') files.push({ name: PASTED_FILE, text: pasted });
  return files;
}

/**
 * Upload or paste OpenSLO and Backstage files, preview the plan, apply it. What is applied is always what was
 * previewed: any change to the files or the text clears the preview. Uploads carry no source, so nothing applied
 * here is marked as managed by git (docs/gitops.md).
 */
export function ImportPanel() {
  const inputId = useId();
  const pastedId = useId();
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [refused, setRefused] = useState<string[]>([]);
  const [reading, setReading] = useState(false);
  const [pasted, setPasted] = useState('');
  const [previewed, setPreviewed] = useState<{ files: CatalogFile[]; plan: CatalogPlanAnswer } | null>(null);
  // A later choice wins over a slower read of an earlier one.
  const readRound = useRef(0);

  const plan = useMutation({
    mutationFn: planCatalog,
    onSuccess: (answer, files) => setPreviewed({ files, plan: answer }),
  });
  const apply = useMutation({
    mutationFn: applyCatalog,
    // Applied: the preview is spent; preview again to see the catalogue as it is now.
    onSuccess: () => setPreviewed(null),
  });

  function clearPreview() {
    setPreviewed(null);
    plan.reset();
    apply.reset();
  }

  async function onFiles(list: FileList | null) {
    clearPreview();
    const round = ++readRound.current;
    const files = list ? Array.from(list) : [];
    const tooLarge = files.map(fileRefusal).filter((reason): reason is string => reason !== null);
    setRefused(tooLarge);
    setReading(true);
    try {
      const read = await Promise.all(files.filter((f) => fileRefusal(f) === null).map(async (f) => ({ name: f.name, size: f.size, text: await f.text() })));
      if (round === readRound.current) setChosen(read);
    } catch (error) {
      if (round === readRound.current) {
        setChosen([]);
        setRefused([...tooLarge, `The files could not be read: ${error instanceof Error ? error.message : 'unknown error'}`]);
      }
    } finally {
      if (round === readRound.current) setReading(false);
    }
  }

  const files = filesOf(chosen, pasted);
  const canPreview = files.length > 0 && refused.length === 0 && !reading && !plan.isPending && !apply.isPending;
  const canApply = previewed !== null && hasWork(previewed.plan.steps) && !apply.isPending && !plan.isPending;

  return (
    <section className="section" aria-labelledby="import-upload-title">
      <div className="section-header">
        <h2 id="import-upload-title">Upload files</h2>
      </div>
      <div className="callout callout-info">
        <p>
          Uploads from this page are not marked as managed by git: anyone may edit what they create in the UI afterwards. Files from git are best applied with{' '}
          <code>umpire apply</code> (see the CLI), which marks them as managed.
        </p>
      </div>
      <form
        className="form"
        noValidate
        aria-label="Import SLOs"
        onSubmit={(event) => {
          event.preventDefault();
          if (!canPreview) return;
          // A new preview replaces the outcome of an earlier apply.
          apply.reset();
          plan.mutate(files);
        }}
      >
        <div className="field">
          <label htmlFor={inputId}>YAML files</label>
          <input
            id={inputId}
            type="file"
            multiple
            accept=".yaml,.yml,application/yaml,text/yaml"
            aria-describedby={`${inputId}-hint`}
            onChange={(event) => void onFiles(event.target.files)}
          />
          <p className="field-hint" id={`${inputId}-hint`}>
            OpenSLO v1 documents and Backstage <code>catalog-info.yaml</code>; at most 4 MiB a file.
          </p>
        </div>
        {refused.length > 0 ? (
          <div className="callout callout-danger" role="alert">
            <div>
              <strong>Choose the files again without these:</strong>
              <ul>
                {refused.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
        {chosen.length > 0 ? (
          <ul className="chosen-files" aria-label="Chosen files">
            {chosen.map((file, index) => (
              <li key={`${index}:${file.name}`}>
                <span className="mono">{file.name}</span> <span className="muted">({formatSize(file.size)})</span>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="field">
          <label htmlFor={pastedId}>Or paste YAML</label>
          <textarea
            id={pastedId}
            rows={10}
            spellCheck={false}
            className="mono"
            value={pasted}
            aria-describedby={`${pastedId}-hint`}
            onChange={(event) => {
              clearPreview();
              setPasted(event.target.value);
            }}
          />
          <p className="field-hint" id={`${pastedId}-hint`}>
            Sent as <code>{PASTED_FILE}</code>, along with any files chosen above.
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-secondary" disabled={!canPreview}>
            {plan.isPending ? 'Previewing…' : 'Preview'}
          </button>
          <button type="button" className="btn btn-primary" disabled={!canApply} onClick={() => previewed && apply.mutate(previewed.files)}>
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
        </div>
      </form>

      {plan.isError ? <CatalogRefusal error={plan.error} during="preview" /> : null}
      {apply.isError ? <CatalogRefusal error={apply.error} during="apply" /> : null}

      {apply.isSuccess ? (
        <div className="callout callout-info" role="status" data-testid="catalog-applied">
          <div>
            <strong>{apply.data.applied ? appliedLine(apply.data.steps) : 'Nothing to apply: everything was unchanged.'}</strong>
            {touchedServices(apply.data.steps).length > 0 ? (
              <ul aria-label="Services touched">
                {touchedServices(apply.data.steps).map((service) => (
                  <li key={service}>
                    <Link href={`/services/${encodeURIComponent(service)}`}>{service}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : null}

      {previewed ? (
        <div className="catalog-preview" data-testid="catalog-preview">
          <p role="status">
            <strong>{countsLine(previewed.plan.steps)}</strong>
            {hasWork(previewed.plan.steps) ? null : '. Nothing to apply.'}
          </p>
          {previewed.plan.steps.length > 0 ? <PlanTable steps={previewed.plan.steps} /> : null}
          {previewed.plan.skipped.length > 0 ? (
            <>
              <h3>Skipped</h3>
              <ul aria-label="Skipped">
                {previewed.plan.skipped.map((skipped, index) => (
                  <li key={`${index}:${skipped}`}>{skipped}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

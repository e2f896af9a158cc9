import { ApiRequestError, errorMessage } from '@/lib/queries/api';

export interface CatalogRefusalProps {
  /** What the plan or apply request rejected with. */
  error: unknown;
  /** "preview" or "apply": said in the 403 sentence. */
  during: 'preview' | 'apply';
}

/** Why a plan or apply was refused: the message, what it means here, and every problem the server listed. */
export function CatalogRefusal({ error, during }: CatalogRefusalProps) {
  const problems = error instanceof ApiRequestError ? error.problems : [];
  const status = error instanceof ApiRequestError ? error.status : 0;
  const code = error instanceof ApiRequestError ? error.code : '';
  const nothingKept = during === 'apply' ? ' Nothing was applied.' : '';
  let note: string | null = null;
  if (status === 403) note = `You may not change at least one of the services or SLOs in these files.${nothingKept}`;
  else if (code === 'quota_exceeded')
    note = `A quota is full (named above).${nothingKept} Delete something of that kind, or ask an operator to raise the limit.`;
  else if (code === 'managed_elsewhere') note = `These objects are managed from git: change them in their repository instead.${nothingKept}`;
  else if (code === 'invalid_catalog') note = `Fix the files and preview again; your files are kept.${nothingKept}`;
  return (
    <div className="callout callout-danger form-error" role="alert" data-testid="catalog-refusal">
      <div>
        <strong>{errorMessage(error)}</strong>
        {note ? <p>{note}</p> : null}
        {problems.length > 0 ? (
          <ul aria-label="Problems">
            {problems.map((problem, index) => (
              // The same text may be listed twice (two documents alike); the index keeps the keys apart.
              <li key={`${index}:${problem}`}>{problem}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

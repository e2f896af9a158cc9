import type { Dispatch, SetStateAction } from 'react';
import type { SloDraft } from './slo-draft';

/** What every section of the SLO form is given: the draft, a way to change it, and the errors by control id. */
export interface SloSectionProps {
  draft: SloDraft;
  setDraft: Dispatch<SetStateAction<SloDraft>>;
  /** The error shown at a control, by the control's id. */
  err: (id: string) => string | undefined;
}

/** A setter for one field of the draft at a time. */
export function fieldSetter(setDraft: Dispatch<SetStateAction<SloDraft>>) {
  return <K extends keyof SloDraft>(key: K, value: SloDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
}

import type { PolicyDraft } from './policy-draft';

/** What every section of the policy form is given: the draft, a way to change it, the errors by control id. */
export interface PolicySectionProps {
  draft: PolicyDraft;
  update: (patch: Partial<PolicyDraft> | ((d: PolicyDraft) => Partial<PolicyDraft>)) => void;
  /** The error shown at a control, by the control's id. */
  err: (controlId: string) => string | undefined;
  /** Read only: the section's controls are disabled. */
  disabled: boolean;
}

'use client';

import { Field } from '../form/form-kit';
import { NameAndSlugFields } from '../form/name-slug-fields';
import { fieldSetter, type SloSectionProps } from './slo-section';

/** Basics: the SLO's name, slug and description. */
export function SloBasicsFields({ draft, setDraft, err, editing }: SloSectionProps & { editing: boolean }) {
  const set = fieldSetter(setDraft);
  return (
    <fieldset className="form-section">
      <legend>Basics</legend>
      <p className="form-section-intro">What this SLO promises, in a sentence a customer would recognise.</p>
      <NameAndSlugFields
        idPrefix="slo"
        name={draft.name}
        slug={draft.slug}
        editing={editing}
        onChange={(next) => setDraft((d) => ({ ...d, ...next }))}
        errors={{ name: err('slo-name'), slug: err('slo-slug') }}
        placeholders={{ name: 'Checkout availability', slug: 'availability' }}
        slugHint={editing ? 'Changing it changes the SLO’s URL and API path.' : 'Used in URLs and the API. Suggested from the name.'}
      />
      <Field id="slo-description" label="Description" optional error={err('slo-description')}>
        {(a) => (
          <textarea
            {...a}
            rows={2}
            value={draft.description}
            placeholder="Share of checkout requests answered without a 5xx."
            onChange={(e) => set('description', e.target.value)}
          />
        )}
      </Field>
    </fieldset>
  );
}

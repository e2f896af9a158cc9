'use client';

import { useState } from 'react';
import { Field } from './form-kit';
import { slugify } from './values';

export interface NameAndSlugProps {
  /** Prefix of the controls' ids: `${idPrefix}-name`, `${idPrefix}-slug`. */
  idPrefix: string;
  name: string;
  slug: string;
  /** An existing object keeps its slug when renamed; a new one's slug follows the name until it is edited. */
  editing: boolean;
  onChange: (next: { name: string; slug: string }) => void;
  errors: { name?: string; slug?: string };
  placeholders: { name: string; slug: string };
  slugHint: string;
}

/** The name and slug pair every catalogue form starts with; the slug is suggested from the name. */
export function NameAndSlugFields({ idPrefix, name, slug, editing, onChange, errors, placeholders, slugHint }: NameAndSlugProps) {
  const [slugEdited, setSlugEdited] = useState(editing);
  return (
    <div className="field-row two">
      <Field id={`${idPrefix}-name`} label="Name" error={errors.name}>
        {(a11y) => (
          <input
            {...a11y}
            type="text"
            autoComplete="off"
            value={name}
            placeholder={placeholders.name}
            onChange={(e) => onChange({ name: e.target.value, slug: slugEdited ? slug : slugify(e.target.value) })}
          />
        )}
      </Field>
      <Field id={`${idPrefix}-slug`} label="Slug" error={errors.slug} hint={slugHint}>
        {(a11y) => (
          <input
            {...a11y}
            type="text"
            autoComplete="off"
            spellCheck={false}
            className="mono"
            value={slug}
            placeholder={placeholders.slug}
            onChange={(e) => {
              setSlugEdited(true);
              onChange({ name, slug: e.target.value });
            }}
          />
        )}
      </Field>
    </div>
  );
}

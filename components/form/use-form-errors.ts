'use client';

import { useState } from 'react';
import type { FieldErrors } from '@/lib/schemas/field-errors';
import { focusFirstError } from './form-kit';
import { apiErrors } from './form-errors';

/**
 * A form's errors after a failed submit: the field errors (from its schema, its own checks or the API's 4xx
 * body), the form-level message, and the focus moved to the first failing control (or the summary).
 * `focusIds` names, in order, the controls that show the given errors.
 */
export function useFormErrors(focusIds: (fields: FieldErrors) => string[]) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function show(fields: FieldErrors, form: string | null = null) {
    setErrors(fields);
    setFormError(form);
    focusFirstError(focusIds(fields));
  }

  /** An API failure: the errors a control of the form can show go to it, the rest to the form-level message. */
  function showApiError(error: unknown, knownField: (path: string) => boolean, fieldsOf: (fields: FieldErrors) => FieldErrors = (f) => f) {
    const { fields, form } = apiErrors(error, knownField);
    show(fieldsOf(fields), form);
  }

  function clear() {
    setErrors({});
    setFormError(null);
  }

  return { errors, formError, show, showApiError, clear, setErrors };
}

/** Pure conversions between the data-source form's fields and the API's bodies, secrets handled write-only. */
import type { DataSource } from '@/lib/schemas';
import type { FieldErrors } from '@/lib/schemas/field-errors';
import { numberOf } from '../form/values';

export type AuthKind = DataSource['auth']['kind'];

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

export interface Draft {
  name: string;
  slug: string;
  url: string;
  timeoutSeconds: string;
  authKind: AuthKind;
  token: string;
  username: string;
  password: string;
  headers: HeaderRow[];
  /** Next header row key; part of the state so server and client render the same ids. */
  seq: number;
}

export function draftOf(datasource: DataSource | undefined): Draft {
  const headerNames = datasource?.auth.headerNames ?? [];
  return {
    name: datasource?.name ?? '',
    slug: datasource?.slug ?? '',
    url: datasource?.url ?? '',
    timeoutSeconds: String(datasource?.timeoutSeconds ?? 30),
    authKind: datasource?.auth.kind ?? 'none',
    // Secrets are write-only: never prefilled, only the non-secret parts the API returns.
    token: '',
    username: datasource?.auth.username ?? '',
    password: '',
    headers: headerNames.length > 0 ? headerNames.map((name, i) => ({ key: i, name, value: '' })) : [{ key: 0, name: '', value: '' }],
    seq: 100,
  };
}

export function authOf(draft: Draft): unknown {
  switch (draft.authKind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer', token: draft.token };
    case 'basic':
      return { kind: 'basic', username: draft.username, password: draft.password };
    case 'headers':
      return {
        kind: 'headers',
        headers: Object.fromEntries(draft.headers.filter((h) => h.name.trim() !== '' || h.value !== '').map((h) => [h.name.trim(), h.value])),
      };
  }
}

/** On edit: whether the auth section says anything new; if not, the PATCH leaves `auth` out and the stored credentials stay. */
export function authChanged(draft: Draft, stored: DataSource): boolean {
  if (draft.authKind !== stored.auth.kind) return true;
  switch (draft.authKind) {
    case 'none':
      return false;
    case 'bearer':
      return draft.token !== '';
    case 'basic':
      return draft.password !== '' || draft.username !== (stored.auth.username ?? '');
    case 'headers': {
      const names = draft.headers.map((h) => h.name.trim()).filter((n) => n !== '');
      const storedNames = stored.auth.headerNames ?? [];
      return draft.headers.some((h) => h.value !== '') || names.join('\n') !== storedNames.join('\n');
    }
  }
}

export function bodyOf(draft: Draft, stored: DataSource | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {
    slug: draft.slug.trim(),
    name: draft.name,
    url: draft.url.trim(),
    timeoutSeconds: numberOf(draft.timeoutSeconds),
  };
  if (!stored) return { ...body, kind: 'prometheus', auth: authOf(draft) };
  return authChanged(draft, stored) ? { ...body, auth: authOf(draft) } : body;
}

/** Checks the schema cannot make: a header named twice, and partial edits of credentials the form cannot show. */
export function localErrors(draft: Draft, stored: DataSource | undefined): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.authKind === 'headers') {
    const seen = new Set<string>();
    for (const row of draft.headers) {
      const name = row.name.trim();
      if (name === '' && row.value !== '') errors[`auth.headers.#${row.key}`] = 'needs a name';
      if (name !== '' && seen.has(name.toLowerCase())) errors[`auth.headers.${name}`] = 'is used twice';
      seen.add(name.toLowerCase());
    }
  }
  if (stored && stored.auth.kind === draft.authKind && authChanged(draft, stored)) {
    // Changing part of stored credentials needs all of them again: the stored secret is never sent back.
    if (draft.authKind === 'basic' && draft.password === '') errors['auth.password'] = 'is needed again to change the username (the stored one is never shown)';
    if (draft.authKind === 'headers') {
      for (const row of draft.headers) {
        if (row.name.trim() !== '' && row.value === '') errors[`auth.headers.${row.name.trim()}`] ??= 'needs its value again (stored values are never shown)';
      }
    }
  }
  return errors;
}

import { describe, expect, test } from 'vitest';
import { DataSourceInput, DataSourcePatch, type DataSource } from '@/lib/schemas';
import { bodyOf, draftOf, localErrors, type Draft } from './draft';

function stored(auth: DataSource['auth']): DataSource {
  return {
    slug: 'prod',
    name: 'Prod',
    kind: 'prometheus',
    url: 'http://prometheus:9090',
    auth,
    timeoutSeconds: 30,
    createdAt: '2026-11-26T00:00:00.000Z',
    updatedAt: '2026-11-26T00:00:00.000Z',
  };
}

const bearer = stored({ kind: 'bearer', hasSecret: true });
const basic = stored({ kind: 'basic', username: 'umpire', hasSecret: true });
const headers = stored({ kind: 'headers', headerNames: ['X-Scope-OrgID', 'X-Token'], hasSecret: true });

const edit = (ds: DataSource, patch: Partial<Draft>): Draft => ({ ...draftOf(ds), ...patch });

describe('draftOf', () => {
  test('never prefills a secret, only what the API returns', () => {
    expect(draftOf(bearer)).toMatchObject({ authKind: 'bearer', token: '' });
    expect(draftOf(basic)).toMatchObject({ authKind: 'basic', username: 'umpire', password: '' });
    expect(draftOf(headers).headers.map((h) => [h.name, h.value])).toEqual([
      ['X-Scope-OrgID', ''],
      ['X-Token', ''],
    ]);
  });
});

describe('bodyOf on create', () => {
  test('always sends auth, and the body passes the shared schema', () => {
    const body = bodyOf({ ...draftOf(undefined), name: 'Prod', slug: 'prod', url: 'http://prometheus:9090' }, undefined);
    expect(body).toEqual({ slug: 'prod', name: 'Prod', url: 'http://prometheus:9090', timeoutSeconds: 30, kind: 'prometheus', auth: { kind: 'none' } });
    expect(DataSourceInput.safeParse(body).success).toBe(true);
  });
});

describe('bodyOf on edit: auth only when the auth section says something new', () => {
  test.each<[string, DataSource, Partial<Draft>, unknown]>([
    ['untouched bearer', bearer, {}, undefined],
    ['new token', bearer, { token: 't0k3n' }, { kind: 'bearer', token: 't0k3n' }],
    ['untouched basic', basic, {}, undefined],
    ['new password', basic, { password: 'pw' }, { kind: 'basic', username: 'umpire', password: 'pw' }],
    ['untouched headers', headers, {}, undefined],
    ['switch to none', bearer, { authKind: 'none' }, { kind: 'none' }],
    ['switch to bearer', stored({ kind: 'none', hasSecret: false }), { authKind: 'bearer', token: 'x' }, { kind: 'bearer', token: 'x' }],
  ])('%s', (_, ds, patch, wantAuth) => {
    const body = bodyOf(edit(ds, patch), ds);
    expect(body.auth).toEqual(wantAuth);
    expect('auth' in body).toBe(wantAuth !== undefined);
    expect(DataSourcePatch.safeParse(body).success).toBe(true);
  });
});

describe('localErrors', () => {
  test('a changed username needs the password again', () => {
    expect(localErrors(edit(basic, { username: 'other' }), basic)).toHaveProperty(['auth.password']);
    expect(localErrors(edit(basic, { username: 'other', password: 'pw' }), basic)).toEqual({});
  });

  test('changing one stored header needs every value again', () => {
    const draft = edit(headers, {});
    draft.headers[0]!.value = 'tenant-1';
    expect(Object.keys(localErrors(draft, headers))).toEqual(['auth.headers.X-Token']);
  });

  test('a header named twice, in any case, and a value without a name', () => {
    const draft: Draft = {
      ...draftOf(undefined),
      authKind: 'headers',
      headers: [
        { key: 1, name: 'X-Scope-OrgID', value: 'a' },
        { key: 2, name: 'x-scope-orgid', value: 'b' },
        { key: 3, name: '', value: 'c' },
      ],
    };
    expect(localErrors(draft, undefined)).toEqual({ 'auth.headers.x-scope-orgid': 'is used twice', 'auth.headers.#3': 'needs a name' });
  });
});

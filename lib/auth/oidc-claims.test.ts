import { describe, expect, test } from 'vitest';
import {
  baseUsername,
  groupList,
  groupsFrom,
  roleFromGroups,
  safeReturnTo,
  teamsFromGroups,
  usernameCandidates,
  usernameFrom,
  type GroupMapping,
} from './oidc-claims';

describe('safeReturnTo', () => {
  test.each([
    ['/services/checkout?range=7d', '/services/checkout?range=7d'],
    ['/', '/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['//evil.example', '/'],
    ['///evil.example', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['services', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['', '/'],
    [null, '/'],
    [undefined, '/'],
    [`/${'a'.repeat(2000)}`, '/'],
  ])('safeReturnTo(%j) = %j', (path, want) => expect(safeReturnTo(path)).toBe(want));
});

describe('usernameFrom', () => {
  test.each([
    ['alice', 'alice'],
    ['Alice.Smith', 'alice.smith'],
    ['alice@corp.example', 'alice'],
    ['Jane.Doe+umpire@corp.example', 'jane.doe-umpire'],
    ['José Núñez', 'jose-nunez'],
    ['  bob  ', 'bob'],
    ['__bob__', 'bob'],
    ['-.x', null],
    ['李', null],
    ['a', null],
    ['', null],
    [42, null],
    [undefined, null],
    ['x'.repeat(100), 'x'.repeat(64)],
    [`${'y'.repeat(63)}--z`, 'y'.repeat(63)],
  ])('usernameFrom(%j) = %j', (value, want) => expect(usernameFrom(value)).toBe(want));
});

describe('baseUsername', () => {
  test.each([
    [{ sub: 's1', preferred_username: 'Alice', email: 'someone@corp.example' }, 'alice'],
    [{ sub: 's1', email: 'Carol.King@corp.example' }, 'carol.king'],
    [{ sub: 's1', preferred_username: '李', email: 'dan@corp.example' }, 'dan'],
    [{ sub: '248289761001' }, '248289761001'],
    [{ sub: 'auth0|5f7c8ec7c33c6c004bbafe82' }, 'auth0-5f7c8ec7c33c6c004bbafe82'],
    [{ sub: '7' }, 'user-7'],
    [{ sub: '李' }, 'user'],
  ])('baseUsername(%j) = %j', (claims, want) => expect(baseUsername(claims)).toBe(want));
});

describe('usernameCandidates', () => {
  test.each([
    ['alice', 3, ['alice', 'alice-2', 'alice-3']],
    ['alice', 1, ['alice']],
    ['x'.repeat(64), 2, ['x'.repeat(64), `${'x'.repeat(62)}-2`]],
    [`${'x'.repeat(61)}.yy`, 2, [`${'x'.repeat(61)}.yy`, `${'x'.repeat(61)}-2`]],
  ])('usernameCandidates(%j, %d)', (base, count, want) => expect(usernameCandidates(base, count)).toEqual(want));

  test('every candidate is a valid username of at most 64 characters', () => {
    for (const name of usernameCandidates('z'.repeat(64), 120)) expect(name).toMatch(/^[a-z0-9][a-z0-9._-]{1,63}$/);
  });
});

describe('groupsFrom', () => {
  test.each([
    [
      ['admins', 'team-a'],
      ['admins', 'team-a'],
    ],
    [
      ['admins', 7, null, 'team-a'],
      ['admins', 'team-a'],
    ],
    ['admins', ['admins']],
    [[], []],
    [{ admins: true }, []],
    [undefined, null],
    [null, null],
  ])('groupsFrom(%j) = %j', (value, want) => expect(groupsFrom(value)).toEqual(want));
});

test.each([
  ['admins, sre ,', ['admins', 'sre']],
  ['', []],
  [' , ', []],
])('groupList(%j) = %j', (csv, want) => expect(groupList(csv)).toEqual(want));

describe('roleFromGroups', () => {
  const mapping: GroupMapping = { adminGroups: ['umpire-admins'], editorGroups: ['umpire-editors', 'sre'], teamPrefix: '', defaultRole: 'viewer' };
  test.each([
    [['umpire-admins'], mapping, 'admin'],
    [['sre', 'umpire-admins'], mapping, 'admin'],
    [['sre'], mapping, 'editor'],
    [['umpire-editors', 'other'], mapping, 'editor'],
    [['other'], mapping, 'viewer'],
    [[], mapping, 'viewer'],
    [[], { ...mapping, defaultRole: 'editor' }, 'editor'],
    [['Umpire-Admins'], mapping, 'viewer'],
    [['umpire-admins'], { ...mapping, adminGroups: [], editorGroups: [] }, null],
    [['sre'], { ...mapping, adminGroups: [] }, 'editor'],
  ] as const)('roleFromGroups(%j) = %j', (groups, m, want) => expect(roleFromGroups(groups, m)).toBe(want));
});

describe('teamsFromGroups', () => {
  test.each([
    [['team-payments', 'team-search', 'admins'], 'team-', ['payments', 'search']],
    [['team-search', 'team-payments', 'team-search'], 'team-', ['payments', 'search']],
    [['team-', 'team- ', 'teams'], 'team-', []],
    [['admins'], 'team-', []],
    [['team-payments'], '', null],
    [[`team-${'x'.repeat(101)}`, 'team-ok'], 'team-', ['ok']],
    [Array.from({ length: 60 }, (_, i) => `t:${String(i).padStart(2, '0')}`), 't:', Array.from({ length: 50 }, (_, i) => String(i).padStart(2, '0'))],
  ])('teamsFromGroups(%j, %j)', (groups, prefix, want) => expect(teamsFromGroups(groups, prefix)).toEqual(want));
});

/**
 * What an identity provider's answer means to Umpire: the username a new account gets, the role and teams the
 * groups give, and where the browser may go afterwards. Pure rules, no I/O; lib/use-cases/access/oidc-login.ts does that.
 */
import type { Role } from './permissions';

const MAX_USERNAME = 64;
const MAX_TEAM = 100;
const MAX_TEAMS = 50;

/**
 * Where to go after sign-in: a path on this site ("/services/x?range=7d"), else "/". Not "//evil.example" (another
 * host), no backslash (browsers read "/\evil" as "//evil"), no control characters (browsers drop tabs and newlines).
 */
export function safeReturnTo(path: string | null | undefined): string {
  if (!path || path.length > 2000 || !path.startsWith('/') || path.startsWith('//') || path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)) return '/';
  return path;
}

/** The part before the @ of an email-shaped value (Entra ID sends its UPN as preferred_username), else the value. */
function localPart(value: string): string {
  const at = value.lastIndexOf('@');
  return at > 0 ? value.slice(0, at) : value;
}

/** One claim's value as a username: lowercase [a-z0-9._-], starting with a letter or digit; null when under 2 characters remain. */
export function usernameFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const reduced = localPart(value.trim())
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // "José" -> "Jose": accents go, the letter stays
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, MAX_USERNAME)
    .replace(/[._-]+$/, '');
  return reduced.length >= 2 ? reduced : null;
}

/** The username a new account asks for: preferred_username, else the email's local part, else the subject. */
export function baseUsername(claims: { sub: string; preferred_username?: unknown; email?: unknown }): string {
  return usernameFrom(claims.preferred_username) ?? usernameFrom(claims.email) ?? usernameFrom(claims.sub) ?? usernameFrom(`user-${claims.sub}`) ?? 'user';
}

/** `base`, then base-2, base-3 … up to `count` names (each within 64 characters): the names a new account may take, in order. */
export function usernameCandidates(base: string, count: number): string[] {
  const names = [base];
  for (let n = 2; names.length < count; n++) {
    const suffix = `-${n}`;
    names.push(`${base.slice(0, MAX_USERNAME - suffix.length).replace(/[._-]+$/, '')}${suffix}`);
  }
  return names;
}

/** The groups claim as a list: an array of names (other entries ignored) or one name; null when the claim is absent. */
export function groupsFrom(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}

/** A comma-separated list from the environment ("admins, sre") as names. */
export function groupList(csv: string): string[] {
  return csv
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

export interface GroupMapping {
  adminGroups: readonly string[];
  editorGroups: readonly string[];
  /** '' when groups name no teams. */
  teamPrefix: string;
  defaultRole: Role;
}

/** The role the groups give (admin over editor over the default); null when no admin or editor groups are configured. */
export function roleFromGroups(groups: readonly string[], mapping: GroupMapping): Role | null {
  if (mapping.adminGroups.length === 0 && mapping.editorGroups.length === 0) return null;
  if (groups.some((g) => mapping.adminGroups.includes(g))) return 'admin';
  if (groups.some((g) => mapping.editorGroups.includes(g))) return 'editor';
  return mapping.defaultRole;
}

/** The teams the groups name (the prefix removed), sorted; null when no team prefix is configured. */
export function teamsFromGroups(groups: readonly string[], teamPrefix: string): string[] | null {
  if (teamPrefix === '') return null;
  const teams = groups
    .filter((g) => g.startsWith(teamPrefix))
    .map((g) => g.slice(teamPrefix.length).trim())
    .filter((t) => t.length > 0 && t.length <= MAX_TEAM);
  return [...new Set(teams)].sort().slice(0, MAX_TEAMS);
}

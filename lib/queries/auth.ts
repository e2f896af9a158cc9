import { z } from 'zod';
import {
  AuditPage,
  CreatedUser,
  PasswordLinkView,
  User,
  type AuditQuery,
  type LoginInput,
  type PasswordChange,
  type PasswordLinkInput,
  type SetupInput,
  type UserInputDraft,
  type UserPatch,
} from '@/lib/schemas';
import { apiRequest } from './api';

const SignedIn = z.object({ user: User });

export const signIn = (input: LoginInput) => apiRequest('/api/v1/auth/login', SignedIn, { method: 'POST', body: input });
export const signOut = () => apiRequest('/api/v1/auth/logout', null, { method: 'POST' });
export const setUpFirstAdmin = (input: SetupInput) => apiRequest('/api/v1/auth/setup', SignedIn, { method: 'POST', body: input });
export const setPasswordWithLink = (input: PasswordLinkInput) => apiRequest('/api/v1/auth/password', SignedIn, { method: 'POST', body: input });
export const changePassword = (input: PasswordChange) => apiRequest('/api/v1/me/password', null, { method: 'POST', body: input });

export const userKeys = {
  all: ['users'] as const,
  one: (username: string) => [...userKeys.all, username] as const,
};

const UserList = z.object({ users: z.array(User) });
const userPath = (username: string) => `/api/v1/users/${encodeURIComponent(username)}`;

export const listUsers = (signal?: AbortSignal) => apiRequest('/api/v1/users', UserList, { signal }).then((b) => b.users);
export const createUser = (input: UserInputDraft) => apiRequest('/api/v1/users', CreatedUser, { method: 'POST', body: input });
export const updateUser = (username: string, patch: UserPatch) => apiRequest(userPath(username), User, { method: 'PATCH', body: patch });
export const createResetLink = (username: string) => apiRequest(`${userPath(username)}/password-link`, PasswordLinkView, { method: 'POST' });

/** An object's history: which events, as the API's query parameters. */
export type AuditScope = Pick<AuditQuery, 'service' | 'slo' | 'datasource' | 'user' | 'token' | 'policy' | 'type' | 'actor' | 'action'>;

export const auditKeys = {
  all: ['audit'] as const,
  scope: (scope: AuditScope) => [...auditKeys.all, scope] as const,
};

export function listAudit(scope: AuditScope, cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(scope)) if (value !== undefined && value !== '') params.set(key, String(value));
  if (cursor) params.set('cursor', cursor);
  params.set('limit', '25');
  return apiRequest(`/api/v1/audit?${params}`, AuditPage, { signal });
}

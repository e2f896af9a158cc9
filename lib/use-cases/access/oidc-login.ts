/**
 * Sign-in through an OpenID Connect identity provider: the authorization code flow with PKCE (openid-client).
 * startOidcLogin sends the browser to the provider; finishOidcLogin takes it back, finds or creates the account
 * by the provider's (issuer, subject) and never by name or email, keeps role and teams in step with the groups,
 * and starts a session.
 */
import * as client from 'openid-client';
import { systemActor } from '../../auth/authorize';
import { safeEqual, sha256Hex } from '../../auth/credentials';
import {
  baseUsername,
  groupList,
  groupsFrom,
  roleFromGroups,
  safeReturnTo,
  teamsFromGroups,
  usernameCandidates,
  type GroupMapping,
} from '../../auth/oidc-claims';
import type { RequestContext, Role, SystemActor } from '../../auth/permissions';
import { insertLoginFlow, takeLoginFlow } from '../../db/login-flows';
import { transaction } from '../../db/transaction';
import { countOtherActiveAdmins, findUserByOidcSubject, insertUser, linkInvitedUser, takenUsernames, updateUserRow } from '../../db/users';
import type { LoginFlow, User as UserRow } from '../../db/generated/client';
import { env } from '../../env';
import { AppError, ConflictError, ForbiddenError, NotFoundError, prismaErrorCode, UnauthenticatedError, UnavailableError } from '../../errors';
import { log } from '../../log';
import { invalidateVerifiedTokens } from './api-tokens';
import { recordAudit, type Tx } from '../audit/audit';
import { pruneExpired, startSession, type SessionGrant } from './sessions';
import { pendingInvite, toUser, userTarget } from './users';

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
/** How long someone may take at the identity provider; the state cookie lives as long. */
export const OIDC_FLOW_MS = 10 * 60_000;
/** Names tried for a new account (alice, alice-2 … alice-50) before giving up. */
const USERNAME_TRIES = 50;
const DISCOVERY_TIMEOUT_SECONDS = 10;

type Context = RequestContext & { userAgent?: string };

export function oidcConfigured(): boolean {
  return env().UMPIRE_OIDC_ISSUER !== undefined;
}

function notConfigured(): NotFoundError {
  return new NotFoundError('Sign-in through an identity provider is not set up here (UMPIRE_OIDC_ISSUER)');
}

// Plain http to the identity provider only on this machine (tests, a provider run next to Umpire): anywhere else
// whoever sits on the network could answer in its name.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

let discovered: { key: string; configuration: Promise<client.Configuration> } | undefined;

/** The provider's configuration, discovered once per process; a failed discovery is forgotten, so the next sign-in tries again. */
async function providerConfiguration(): Promise<client.Configuration> {
  const e = env();
  if (!e.UMPIRE_OIDC_ISSUER || !e.UMPIRE_OIDC_CLIENT_ID || !e.UMPIRE_OIDC_CLIENT_SECRET) throw notConfigured();
  const issuer = new URL(e.UMPIRE_OIDC_ISSUER);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !LOOPBACK_HOSTS.has(issuer.hostname)) {
    log.error('auth.oidc_misconfigured', { issuer: issuer.href, problem: 'http issuer outside loopback' });
    throw new UnavailableError('Single sign-on is set up wrongly: UMPIRE_OIDC_ISSUER must be an https:// URL (http only for localhost); ask an admin');
  }
  const key = [e.UMPIRE_OIDC_ISSUER, e.UMPIRE_OIDC_CLIENT_ID, e.UMPIRE_OIDC_CLIENT_SECRET].join('\0');
  if (discovered?.key !== key) {
    const configuration = client.discovery(issuer, e.UMPIRE_OIDC_CLIENT_ID, undefined, client.ClientSecretBasic(e.UMPIRE_OIDC_CLIENT_SECRET), {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
    discovered = { key, configuration };
    configuration.catch(() => {
      if (discovered?.configuration === configuration) discovered = undefined;
    });
  }
  try {
    return await discovered.configuration;
  } catch (error) {
    log.warn('auth.oidc_discovery_failed', { issuer: issuer.href, error: describe(error) });
    throw new UnavailableError(`The identity provider (${issuer.host}) could not be reached or did not answer as an OpenID provider; try again shortly`);
  }
}

/** An error's message and code for the log: openid-client's messages name the check that failed, never a token. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}${cause}`;
}

/** Text from the provider shown to a person: one line, no control characters, not too long. */
function plain(text: string | null | undefined, max = 120): string {
  return (text ?? '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, max);
}

/** A sign-in refused: logged with its reason, returned to be thrown. */
function refused(reason: string, error: AppError, context: Context, fields: Record<string, unknown> = {}): AppError {
  log.warn('auth.oidc_refused', { reason, ...fields, ip: context.ip, requestId: context.requestId });
  return error;
}

/** What went wrong talking to the provider, as something a person can act on; anything else is rethrown. */
function providerProblem(error: unknown, context: Context): AppError {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
    const detail = plain(error.error_description) || plain(error.error, 60);
    return refused('provider_error', new UnauthenticatedError(`The identity provider refused to finish the sign-in (${detail}); start again`), context, {
      error: plain(error.error, 60),
      description: plain(error.error_description),
    });
  }
  if (error instanceof client.ClientError) {
    const message = 'The identity provider’s answer could not be verified; start again, and if it keeps happening ask an admin to look at Umpire’s log';
    return refused('answer_not_verified', new UnauthenticatedError(message), context, { error: describe(error) });
  }
  // fetch() throws a TypeError when the connection fails; openid-client's own TypeErrors (bad arguments) carry an ERR_ code.
  const code = (error as { code?: unknown } | null)?.code;
  const network =
    (error instanceof TypeError && !(typeof code === 'string' && code.startsWith('ERR_'))) ||
    (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  if (network) {
    return refused('provider_unreachable', new UnavailableError('The identity provider could not be reached; try again shortly'), context, {
      error: describe(error),
    });
  }
  throw error;
}

/** Sends the browser to the identity provider: the URL to go to, and the state for the cookie that binds the answer to this browser. */
export async function startOidcLogin({
  returnTo,
  origin,
  context,
  now = new Date(),
}: {
  returnTo: string | null | undefined;
  origin: string;
  context: Context;
  now?: Date;
}): Promise<{ url: string; state: string; expiresAt: Date }> {
  const configuration = await providerConfiguration();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const expiresAt = new Date(now.getTime() + OIDC_FLOW_MS);
  void pruneExpired(now).catch((error: unknown) => log.warn('auth.prune_failed', { error }));
  // Only the state's hash is kept: the database alone cannot finish someone else's sign-in.
  await insertLoginFlow({ stateHash: sha256Hex(state), nonce, codeVerifier, returnTo: safeReturnTo(returnTo), createdAt: now, expiresAt });
  const scopes = new Set(['openid', ...env().UMPIRE_OIDC_SCOPES.split(/\s+/).filter(Boolean)]);
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: `${origin}${OIDC_CALLBACK_PATH}`,
    scope: [...scopes].join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  log.debug('auth.oidc_started', { ip: context.ip, requestId: context.requestId });
  return { url: url.href, state, expiresAt };
}

/** The sign-in the state names, taken once: deleted as it is read, so a replayed (or raced) callback finds nothing. */
async function takeFlow(state: string, context: Context, now: Date): Promise<LoginFlow> {
  const flow = await takeLoginFlow(sha256Hex(state));
  if (!flow) throw refused('flow_unknown', new UnauthenticatedError('This sign-in was finished already or has expired; start again'), context);
  if (flow.expiresAt <= now)
    throw refused('flow_expired', new UnauthenticatedError(`This sign-in took longer than ${OIDC_FLOW_MS / 60_000} minutes; start again`), context);
  return flow;
}

/** The claims of the ID token, and of userinfo when the token leaves out the groups or every name (many providers keep them there). */
async function claimsOf(
  configuration: client.Configuration,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  groupsClaim: string,
): Promise<Record<string, unknown> & { iss: string; sub: string }> {
  const idToken = tokens.claims();
  if (!idToken) throw new UnauthenticatedError('The identity provider sent no ID token; start again');
  const named = ['preferred_username', 'email', 'name'].some((c) => idToken[c] !== undefined);
  if ((idToken[groupsClaim] !== undefined && named) || !configuration.serverMetadata().userinfo_endpoint) return idToken;
  const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
  // The signed ID token wins where both speak.
  return { ...userinfo, ...idToken };
}

function groupMapping(): GroupMapping {
  const e = env();
  return {
    adminGroups: groupList(e.UMPIRE_OIDC_ADMIN_GROUPS),
    editorGroups: groupList(e.UMPIRE_OIDC_EDITOR_GROUPS),
    teamPrefix: e.UMPIRE_OIDC_TEAM_PREFIX,
    defaultRole: e.UMPIRE_OIDC_DEFAULT_ROLE,
  };
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null;
}

/** What the groups ask for: null where the groups do not decide (no group lists or team prefix configured). */
interface Wanted {
  role: Role | null;
  teams: string[] | null;
  /** The groups that decided, for the audit trail. */
  groups: string[];
}

function wantedFrom(claims: Record<string, unknown>, context: Context): Wanted {
  const e = env();
  const mapping = groupMapping();
  const groups = groupsFrom(claims[e.UMPIRE_OIDC_GROUPS_CLAIM]);
  const mapped = mapping.adminGroups.length > 0 || mapping.editorGroups.length > 0 || mapping.teamPrefix !== '';
  if (groups === null && mapped) {
    // Worth a line: the role falls to the default and the teams empty, which is usually a scope or claim set up wrongly.
    log.warn('auth.oidc_no_groups_claim', { claim: e.UMPIRE_OIDC_GROUPS_CLAIM, requestId: context.requestId });
  }
  const all = groups ?? [];
  const relevant = all.filter(
    (g) => mapping.adminGroups.includes(g) || mapping.editorGroups.includes(g) || (mapping.teamPrefix !== '' && g.startsWith(mapping.teamPrefix)),
  );
  return { role: roleFromGroups(all, mapping), teams: teamsFromGroups(all, mapping.teamPrefix), groups: relevant };
}

/** Umpire acting on what the identity provider says, as the audit trail names it. */
function providerActor(context: Context): SystemActor {
  return { ...systemActor('identity provider'), context: { requestId: context.requestId, ip: context.ip } };
}

async function createAccount(
  tx: Tx,
  claims: Record<string, unknown> & { iss: string; sub: string },
  wanted: Wanted,
  context: Context,
  now: Date,
): Promise<UserRow> {
  // A name of its own, never someone else's: a local "alice" stays hers, and the newcomer becomes alice-2.
  const candidates = usernameCandidates(baseUsername(claims), USERNAME_TRIES);
  const taken = await takenUsernames(tx, candidates);
  const username = candidates.find((c) => !taken.has(c));
  if (!username) throw new ConflictError(`Too many accounts are named like “${candidates[0]}”; ask an admin to add you`);
  const given = [text(claims.given_name, 50), text(claims.family_name, 50)].filter(Boolean).join(' ');
  const email = text(claims.email, 200);
  const row = await insertUser(tx, {
    username,
    displayName: text(claims.name, 100) ?? (given || username),
    email: email?.includes('@') ? email : null,
    role: wanted.role ?? env().UMPIRE_OIDC_DEFAULT_ROLE,
    teams: wanted.teams ?? [],
    passwordHash: null,
    oidcIssuer: claims.iss,
    oidcSubject: claims.sub,
    createdAt: now,
  });
  await recordAudit(
    tx,
    providerActor(context),
    { action: 'user.create', target: userTarget(row), before: null, after: toUser(row), details: { via: 'oidc', issuer: claims.iss, groups: wanted.groups } },
    now,
  );
  return row;
}

/** Whether the provider vouches for the email (some send the claim as a string). */
function emailVerified(claims: Record<string, unknown>): boolean {
  return claims.email_verified === true || claims.email_verified === 'true';
}

/**
 * A first sign-in of someone an admin added for single sign-on: the account waiting for the email the provider
 * has verified becomes theirs (an unverified email, or a local account with that email, is never taken over).
 */
async function claimInvite(tx: Tx, claims: Record<string, unknown> & { iss: string; sub: string }, context: Context, now: Date): Promise<UserRow | null> {
  const email = text(claims.email, 200);
  if (email === null || !emailVerified(claims)) return null;
  const invited = await pendingInvite(tx, email);
  if (invited === null) return null;
  const linked = await linkInvitedUser(tx, invited.id, claims.iss, claims.sub);
  await recordAudit(
    tx,
    providerActor(context),
    {
      action: 'user.update',
      target: userTarget(linked),
      before: toUser(invited),
      after: toUser(linked),
      details: { via: 'oidc', linked: 'first single sign-on', issuer: claims.iss },
    },
    now,
  );
  return linked;
}

/** Role and teams as the groups say now; a change goes to the audit trail. */
async function syncAccount(tx: Tx, row: UserRow, wanted: Wanted, context: Context, now: Date): Promise<UserRow> {
  let role = wanted.role !== null && wanted.role !== row.role ? wanted.role : undefined;
  // The groups never take away the last admin: nobody could then manage users (an admin can demote them by hand).
  if (role !== undefined && row.role === 'admin' && row.disabledAt === null && (await countOtherActiveAdmins(tx, row.id)) === 0) {
    log.warn('auth.oidc_last_admin_kept', { user: row.username, groups: wanted.groups, requestId: context.requestId });
    role = undefined;
  }
  const teams = wanted.teams !== null && wanted.teams.join('\0') !== [...row.teams].sort().join('\0') ? wanted.teams : undefined;
  if (role === undefined && teams === undefined) return row;
  const updated = await updateUserRow(tx, row.id, { role, teams });
  await recordAudit(
    tx,
    providerActor(context),
    { action: 'user.update', target: userTarget(updated), before: toUser(row), after: toUser(updated), details: { via: 'oidc', groups: wanted.groups } },
    now,
  );
  return updated;
}

function changedFields(before: UserRow, after: UserRow): string[] {
  return [...(before.role !== after.role ? ['role'] : []), ...(before.teams.join('\0') !== after.teams.join('\0') ? ['teams'] : [])];
}

/**
 * Finishes a sign-in when the provider sends the browser back: checks the state against the cookie and the flow,
 * exchanges the code (PKCE, nonce), then signs in the account of that (issuer, subject). Every refusal is an
 * AppError whose message says what to do.
 */
export async function finishOidcLogin({
  callbackUrl,
  stateCookie,
  previousSessionToken,
  context,
  origin,
  now = new Date(),
}: {
  callbackUrl: URL;
  stateCookie: string | null | undefined;
  previousSessionToken?: string | null;
  context: Context;
  origin: string;
  now?: Date;
}): Promise<{ grant: SessionGrant; returnTo: string; created: boolean }> {
  if (!oidcConfigured()) throw notConfigured();
  const params = callbackUrl.searchParams;
  const state = params.get('state');
  if (!stateCookie)
    throw refused(
      'no_state_cookie',
      new UnauthenticatedError('This sign-in cannot be matched to this browser (its cookie is missing or expired); start again'),
      context,
    );
  if (!state || !safeEqual(state, stateCookie)) {
    throw refused(
      'state_mismatch',
      new UnauthenticatedError('This sign-in does not match the one this browser started (started again in another tab?); start again'),
      context,
    );
  }
  const flow = await takeFlow(state, context, now);

  const providerError = params.get('error');
  if (providerError !== null) {
    const description = plain(params.get('error_description'));
    const message =
      providerError === 'access_denied'
        ? `The identity provider refused the sign-in${description ? `: ${description}` : ''}`
        : `The identity provider could not sign you in (${plain(providerError, 60)}${description ? `: ${description}` : ''})`;
    throw refused('provider_error', new UnauthenticatedError(message), context, { error: plain(providerError, 60), description });
  }

  const configuration = await providerConfiguration();
  // The redirect_uri sent to the token endpoint is this URL without its query: the one the sign-in started with.
  const currentUrl = new URL(`${origin}${OIDC_CALLBACK_PATH}`);
  currentUrl.search = callbackUrl.search;
  const groupsClaim = env().UMPIRE_OIDC_GROUPS_CLAIM;
  let claims: Awaited<ReturnType<typeof claimsOf>>;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = await claimsOf(configuration, tokens, groupsClaim);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw providerProblem(error, context);
  }
  const wanted = wantedFrom(claims, context);

  for (let attempt = 1; ; attempt++) {
    try {
      const { grant, created, changed } = await transaction(async (tx) => {
        const existing = (await findUserByOidcSubject(tx, claims.iss, claims.sub)) ?? (await claimInvite(tx, claims, context, now));
        if (existing?.disabledAt) throw refused('disabled', new ForbiddenError('This account is disabled; ask an admin'), context, { user: existing.username });
        if (!existing && env().UMPIRE_OIDC_SIGNUP === 'off') {
          throw refused(
            'no_account',
            new ForbiddenError(
              'You have no Umpire account yet, and accounts are not created at sign-in here: ask an admin to add you for single sign-on, with the email address your identity provider has verified',
            ),
            context,
            { issuer: claims.iss },
          );
        }
        const user = existing ? await syncAccount(tx, existing, wanted, context, now) : await createAccount(tx, claims, wanted, context, now);
        const grant = await startSession(tx, { user, method: 'oidc', context, previousToken: previousSessionToken, now });
        return { grant, created: !existing, changed: existing ? changedFields(existing, user) : [] };
      });
      if (created)
        log.info('user.created', { user: grant.user.username, role: grant.user.role, teams: grant.user.teams, via: 'oidc', requestId: context.requestId });
      if (changed.length > 0) {
        // Their personal tokens act with their role and teams: a remembered verification would outlive the change.
        invalidateVerifiedTokens();
        log.info('user.updated', { user: grant.user.username, fields: changed, via: 'oidc groups', requestId: context.requestId });
      }
      log.info('auth.login', { user: grant.user.username, method: 'oidc', ip: context.ip, requestId: context.requestId });
      return { grant, returnTo: safeReturnTo(flow.returnTo), created };
    } catch (error) {
      // Two first sign-ins of one person at once, or the chosen name taken meanwhile: a unique index refused one; look again.
      // Or the same person's first sign-in twice at once claiming one invitation (the other update finds it gone: P2025).
      if ((prismaErrorCode(error) === 'P2002' || prismaErrorCode(error) === 'P2025') && attempt < 3) continue;
      throw error;
    }
  }
}

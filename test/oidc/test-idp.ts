// A real OpenID Provider (panva's oidc-provider) on a free 127.0.0.1 port, in-process, for sign-in tests: one
// confidential client (client_secret_basic, PKCE required), accounts the test can change between sign-ins, and a
// minimal login page a test "browser" fills in (or cancels). Consent is given without asking (a first-party app).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  sub: string;
  preferred_username?: string;
  email?: string;
  /** Defaults to true when there is an email. */
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** By subject; change an entry and the next sign-in sees it. */
  accounts: Map<string, IdpAccount>;
  /** While true, every request gets a 503, as from a provider that is down. */
  down: boolean;
  /** The paths asked for, in order ("/me" is userinfo). */
  paths: string[];
  close(): Promise<void>;
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><body>${body}</body></html>`);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The login page and its answers; everything else is the provider's. */
async function interact(provider: Provider, idp: TestIdp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', idp.issuer);
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return html(res, 400, 'interaction mismatch');
  if (req.method === 'POST' && action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );
  }
  if (req.method === 'POST' && action === 'login') {
    const login = (await formBody(req)).get('login') ?? '';
    if (!idp.accounts.has(login)) return html(res, 200, `<p>Unknown account</p>`);
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') {
    return html(
      res,
      200,
      `<form method="post" action="/interaction/${uid}/login"><input name="login"><button>Sign in</button></form>` +
        `<form method="post" action="/interaction/${uid}/abort"><button>Cancel</button></form>`,
    );
  }
  // Consent for whatever the client asked, as a first-party identity provider gives it.
  const prompt = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
  if (!grant) return html(res, 400, 'grant not found');
  if (prompt.missingOIDCScope) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
  if (prompt.missingOIDCClaims) grant.addOIDCClaims(prompt.missingOIDCClaims);
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

/** `claimsInIdToken`: the ID token carries the profile and groups claims too (by default they come from userinfo only). */
export async function startTestIdp({ redirectUri, claimsInIdToken = false }: { redirectUri: string; claimsInIdToken?: boolean }): Promise<TestIdp> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const idp: TestIdp = {
    issuer: `http://127.0.0.1:${port}`,
    clientId: 'umpire-test',
    clientSecret: randomBytes(24).toString('base64url'),
    accounts: new Map(),
    down: false,
    paths: [],
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' };
  const provider = new Provider(idp.issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    conformIdTokenClaims: !claimsInIdToken,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = idp.accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ ...account, email_verified: account.email_verified ?? account.email !== undefined }) } : undefined;
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('test identity provider:', error));
  const callback = provider.callback();
  handle = (req, res) => {
    idp.paths.push(new URL(req.url ?? '/', idp.issuer).pathname);
    if (idp.down) return void res.writeHead(503).end();
    // A browser at the login page asks for this; a 404 would be a console error in the e2e suite.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    if (req.url?.startsWith('/interaction/')) {
      interact(provider, idp, req, res).catch((error: unknown) => {
        console.error('test identity provider interaction:', error);
        if (!res.headersSent) html(res, 500, 'interaction failed');
      });
      return;
    }
    void callback(req, res);
  };
  return idp;
}

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import * as client from 'openid-client';

import { DEMO_AGENTS, startSandboxProvider, type RunningSandbox } from '../../apps/sandbox-op/src/index.js';
import { closeServer } from '../support/http-server.js';
import { CookieJar, followRedirects } from '../support/workforce-sign-in.js';
import { captureConsole, discover, pollOnce } from './sandbox-test-helpers.js';

/** The relying party's pages the provider sends the browser back to: any path answers 200. */
async function startRelyingPartyPages(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('relying party'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) };
}

describe('sandbox as the workforce OpenID Provider (authorization code + PKCE, real HTTP)', () => {
  let consoleOutput: ReturnType<typeof captureConsole>;
  const logLines: string[] = [];
  let relyingParty: Awaited<ReturnType<typeof startRelyingPartyPages>>;
  let sandbox: RunningSandbox;
  let consoleClient: client.Configuration;
  let callbackUrl: string;
  let signedOutUrl: string;

  beforeAll(async () => {
    consoleOutput = captureConsole();
    relyingParty = await startRelyingPartyPages();
    callbackUrl = `${relyingParty.origin}/console/callback`; // plain http on loopback
    signedOutUrl = `${relyingParty.origin}/console`;
    sandbox = await startSandboxProvider({
      log: (line) => logLines.push(line),
      clients: [
        { client_id: 'bff', client_secret: 'sandbox-secret' },
        {
          client_id: 'ciba-console',
          client_secret: 'console-secret',
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [callbackUrl],
          post_logout_redirect_uris: [signedOutUrl],
        },
      ],
    });
    consoleClient = await client.discovery(new URL(sandbox.issuer), 'ciba-console', 'console-secret', undefined, {
      execute: [client.allowInsecureRequests],
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await relyingParty?.close();
    consoleOutput?.restore();
  });

  async function authorizationRequest(parameters: Record<string, string> = {}) {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const expectedState = client.randomState();
    const expectedNonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(consoleClient, {
      redirect_uri: callbackUrl,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: expectedState,
      nonce: expectedNonce,
      ...parameters,
    });
    return { url: url.href, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
  }

  /** The console's whole sign-in as `agent`, in the browser `jar`; the verified ID Token claims. */
  async function signInAs(agent: string, jar = new CookieJar()): Promise<client.IDToken> {
    const request = await authorizationRequest();
    const { response, url } = await followRedirects(request.url, jar, { agent });
    await response.body?.cancel();
    expect(url.startsWith(`${callbackUrl}?`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(consoleClient, new URL(url), request.checks);
    return tokens.claims()!;
  }

  /** Stops on the sign-in page (no agent given); its URL and HTML. */
  async function openSignInPage(jar: CookieJar): Promise<{ url: string; response: Response }> {
    const { response, url } = await followRedirects((await authorizationRequest()).url, jar);
    expect(new URL(url).pathname).toMatch(/^\/interaction\/[^/]+$/);
    return { url, response };
  }

  it('advertises the code flow with PKCE S256 and an end_session_endpoint', () => {
    const metadata = consoleClient.serverMetadata();
    expect(metadata.response_types_supported).toContain('code');
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.end_session_endpoint).toBe(`${sandbox.url}/session/end`);
    expect(metadata.claims_supported).toContain('roles');
    expect(sandbox.agents.map((agent) => agent.username)).toEqual(['anna', 'sam', 'nina']);
  });

  it('signs Anna in: an ID Token with her name, the agent role, nonce and auth_time', async () => {
    const claims = await signInAs('anna');
    expect(claims).toMatchObject({
      iss: sandbox.issuer,
      aud: 'ciba-console',
      sub: 'agent-anna',
      name: 'Anna Agent',
      roles: ['ciba-agent'],
    });
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(claims.nonce).toEqual(expect.any(String));
    expect(claims).not.toHaveProperty('personal_number');
  });

  it('signs Sam in with both roles and Nina with an empty roles array', async () => {
    expect(await signInAs('sam')).toMatchObject({ sub: 'agent-sam', name: 'Sam Supervisor', roles: ['ciba-agent', 'ciba-supervisor'] });
    const nina = await signInAs('nina');
    expect(nina).toMatchObject({ sub: 'agent-nina', name: 'Nina Visitor' });
    expect(nina.roles).toEqual([]);
  });

  it('switches agent on prompt=login: the earlier session is ended by oidc-provider’s own sign-out form', async () => {
    const jar = new CookieJar();
    await signInAs('anna', jar);
    const request = await authorizationRequest({ prompt: 'login' });
    const { response, url, visited } = await followRedirects(request.url, jar, { agent: 'sam' });
    await response.body?.cancel();
    expect(visited).toContain(`${sandbox.url}/session/end/confirm`);
    const tokens = await client.authorizationCodeGrant(consoleClient, new URL(url), request.checks);
    expect(tokens.claims()).toMatchObject({ sub: 'agent-sam', roles: ['ciba-agent', 'ciba-supervisor'] });
  });

  it('refuses an authorization request without PKCE', async () => {
    const verifierless = client.buildAuthorizationUrl(consoleClient, {
      redirect_uri: callbackUrl,
      scope: 'openid profile',
      state: client.randomState(),
    });
    const { url, visited } = await followRedirects(verifierless.href, new CookieJar(), { agent: 'anna' });
    const callback = new URL(url);
    expect(`${callback.origin}${callback.pathname}`).toBe(callbackUrl);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(visited.some((visitedUrl) => visitedUrl.includes('/interaction/'))).toBe(false);
  });

  it('serves the sign-in page under a strict CSP, one form with a button per agent', async () => {
    const { response } = await openSignInPage(new CookieJar());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('script-src');

    const html = await response.text();
    expect(html).toContain('<title>Sandbox workforce sign-in</title>');
    expect(html).not.toContain('<script');
    expect(html.match(/<form /g)).toHaveLength(1);
    expect(html).toMatch(/<form method="post" action="\/interaction\/[^/"]+\/login">/);
    expect(html).toContain('<button type="submit" name="agent" value="anna">Anna Agent — ciba-agent</button>');
    expect(html).toContain('<button type="submit" name="agent" value="sam">Sam Supervisor — ciba-agent, ciba-supervisor</button>');
    expect(html).toContain('<button type="submit" name="agent" value="nina">Nina Visitor — no role</button>');
    expect(html.match(/name="agent"/g)).toHaveLength(DEMO_AGENTS.length);
  });

  it('answers 400 for an unknown agent, and for a sign-in it has no record of', async () => {
    const jar = new CookieJar();
    const { url } = await openSignInPage(jar);
    const loginUrl = `${url}/login`;
    const unknown = await fetch(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(loginUrl) },
      body: 'agent=mallory',
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await unknown.text()).toContain('There is no demo agent &quot;mallory&quot;');

    const cookieless = await fetch(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'agent=anna',
      redirect: 'manual',
    });
    expect(cookieless.status).toBe(400);
    expect(await cookieless.text()).toContain('expired or was already completed');
  });

  it('signs out through the end_session_endpoint with client_id and post_logout_redirect_uri only', async () => {
    const jar = new CookieJar();
    await signInAs('anna', jar);
    // signed in at the provider: the next sign-in comes straight back, no page
    const again = await followRedirects((await authorizationRequest()).url, jar);
    expect(again.url.startsWith(`${callbackUrl}?code=`)).toBe(true);

    const endSession = client.buildEndSessionUrl(consoleClient, { post_logout_redirect_uri: signedOutUrl });
    expect(endSession.searchParams.get('client_id')).toBe('ciba-console');
    expect(endSession.searchParams.has('id_token_hint')).toBe(false);

    const confirmation = await fetch(endSession, { headers: { cookie: jar.header(endSession) } });
    jar.store(endSession, confirmation.headers.getSetCookie());
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await confirmation.text();
    expect(html).toContain('Anna Agent is signed in');
    expect(html).toMatch(/<button [^>]*form="op\.logoutForm" name="logout" value="yes"[^>]*>Sign out<\/button>/);
    expect(html).not.toContain('<script');

    const signedOut = await followRedirects(endSession.href, jar);
    expect(signedOut.url).toBe(signedOutUrl);
    expect(signedOut.visited).toContain(`${sandbox.url}/session/end/confirm`);

    const next = await followRedirects((await authorizationRequest()).url, jar);
    expect(new URL(next.url).pathname).toMatch(/^\/interaction\//); // asked again
  });

  it('shows its own signed-out page when no post_logout_redirect_uri is given', async () => {
    const jar = new CookieJar();
    await signInAs('sam', jar);
    const { response, url } = await followRedirects(client.buildEndSessionUrl(consoleClient).href, jar);
    expect(new URL(url).pathname).toBe('/session/end/success');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('<h1>Signed out</h1>');
  });

  it('keeps serving CIBA alongside, customers without a roles claim', async () => {
    const bff = await discover(sandbox.issuer, 'bff', client.ClientSecretBasic('sandbox-secret'));
    const { auth_req_id: authReqId } = await client.initiateBackchannelAuthentication(bff, {
      scope: 'openid profile',
      login_hint: 'alice',
    });
    await sandbox.approve((await sandbox.waitForRequest('alice')).id);
    const claims = (await pollOnce(bff, authReqId)).claims()!;
    expect(claims).toMatchObject({ sub: '248289761001', name: 'Alice Beridze', personal_number: '01001011111' });
    expect(claims).not.toHaveProperty('roles');
  });

  it('logged the sign-ins and printed nothing to the console', () => {
    const events = logLines.map((line) => JSON.parse(line) as { event: string; agent?: string });
    expect(events).toContainEqual({ event: 'workforce.signed_in', agent: 'anna', clientId: 'ciba-console' });
    expect(consoleOutput.lines).toEqual([]);
  });
});

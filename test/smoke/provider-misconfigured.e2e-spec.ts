import { Writable } from 'node:stream';
import { startStack, type Stack } from '../support/bff-stack.js';

/** The BFF's log lines, parsed. */
function logCapture() {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  return { sink, errors: () => lines.filter((line) => line.level === 50) };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Our own misconfiguration of a provider, against the real sandbox: provider_misconfigured, said loudly. */
describe('a provider the BFF is misconfigured for', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('a wrong client secret (invalid_client): 500 provider_misconfigured, one loud log line naming the provider and what to fix', async () => {
    const logs = logCapture();
    stack = await startStack({
      logSink: logs.sink,
      configure: (tree) => {
        tree.providers.sandbox.clientAuth.secret = 'not-the-sandbox-secret';
      },
    });
    const answer = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'provider_misconfigured', type: 'urn:ciba-bff:problem:provider_misconfigured', status: 500 });
    expect(answer.body!.detail).toContain('"sandbox"');
    expect(JSON.stringify(answer.body)).not.toContain('not-the-sandbox-secret');
    const loud = logs.errors().filter((line) => line.code === 'provider_misconfigured');
    expect(loud).toHaveLength(1);
    expect(loud[0].msg).toMatch(/provider "sandbox" is misconfigured: it answered invalid_client; check clientId and clientAuth/);
    expect(JSON.stringify(loud)).not.toContain('not-the-sandbox-secret');
  });

  it('an issuer other than the discovered one: readiness names the discovery URL and both issuers; starts answer provider_misconfigured', async () => {
    const logs = logCapture();
    let configured = '';
    stack = await startStack({
      logSink: logs.sink,
      configure: (tree) => {
        // The same server under another name: discovery works, its issuer is not ours.
        configured = tree.providers.sandbox.issuer.replace('127.0.0.1', 'localhost');
        tree.providers.sandbox.issuer = configured;
      },
    });
    await until(() => logs.errors().some((line) => line.event === 'provider.misconfigured'));
    const startUp = logs.errors().filter((line) => line.event === 'provider.misconfigured');
    expect(startUp).toHaveLength(1);
    expect(startUp[0]).toMatchObject({ provider: 'sandbox' });
    expect(startUp[0].msg).toContain(`discovery at ${configured}/.well-known/openid-configuration names issuer "${stack.sandbox.issuer}"`);
    expect(startUp[0].msg).toContain('set providers.sandbox.issuer');

    const ready = await fetch(`${stack.bff!.url}/health/ready`).then((response) => response.json() as Promise<Record<string, any>>);
    expect(ready.providers.sandbox).toMatchObject({ metadata: 'failing' });
    expect(ready.providers.sandbox.error).toContain(`${configured}/.well-known/openid-configuration`);
    expect(ready.providers.sandbox.error).toContain(`names issuer "${stack.sandbox.issuer}", expected "${configured}`);

    const answer = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'provider_misconfigured' });
  });

  it('a provider that cannot be reached: readiness names the discovery URL and the error; starts stay 503', async () => {
    stack = await startStack({
      configure: (tree) => {
        tree.providers.sandbox.issuer = 'http://127.0.0.1:1';
      },
    });
    const answer = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    expect(answer.status).toBe(503);
    const ready = await fetch(`${stack.bff!.url}/health/ready`).then((response) => response.json() as Promise<Record<string, any>>);
    expect(ready.providers.sandbox.error).toMatch(
      /discovery at http:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration failed: connection failed \(ECONNREFUSED\)/,
    );
  });
});

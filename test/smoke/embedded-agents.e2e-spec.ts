import { CookieJar, followRedirects } from '../support/workforce-sign-in.js';
import { EMBEDDED_MAIN, READY_LINE, freePorts, run, stopGroup, type AppProcess } from './embedded-process.js';

/**
 * `npm start` shows the whole agent sign-in out of the box (API.md §7): the shipped sandbox
 * configuration has an agents section, the sandbox doubles as the workforce provider with the
 * console registered as its client, and the welcome text names the demo agents.
 */
describe('npm start: agent sign-in at the sandbox workforce provider', () => {
  let app: AppProcess | undefined;
  afterEach(() => app && stopGroup(app));

  it('signs anna in through the sandbox and back to the console, with a session the console can read', async () => {
    const ports = await freePorts();
    app = run(process.execPath, [EMBEDDED_MAIN], ports);
    await app.waitFor(READY_LINE);
    expect(app.stdout()).toMatch(/Demo agents\s+anna \(ciba-agent\), sam \(ciba-agent, ciba-supervisor\), nina \(no role\)/);
    const bff = `http://127.0.0.1:${ports.PORT}`;

    const jar = new CookieJar();
    const signedIn = await followRedirects(`${bff}/console/login`, jar, { agent: 'anna' });
    expect(signedIn.url).toBe(`${bff}/console`);
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.visited.some((url) => url.startsWith(`http://127.0.0.1:${ports.SANDBOX_PORT}/interaction/`))).toBe(true);

    const session = await fetch(`${bff}/console/session`, { headers: { cookie: jar.header(`${bff}/console/session`) } });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { agent: { subject: string; name: string; roles: string[] } };
    expect(body.agent).toEqual({ subject: 'agent-anna', name: 'Anna Agent', roles: ['ciba-agent'] });

    // The console's consumer may use the sandbox's providers, and nothing else.
    const providers = await fetch(`${bff}/console/providers.json`, { headers: { cookie: jar.header(`${bff}/console/providers.json`) } });
    expect(await providers.json()).toEqual({
      providers: [
        { id: 'sandbox', profile: 'generic' },
        { id: 'sandbox-ping', profile: 'generic' },
      ],
    });

    // Stopped as a person would (Ctrl-C): everything, its Redis data directory included, goes.
    app.child.kill('SIGINT');
    expect(await app.closed).toEqual({ code: 0, signal: null });
  });
});

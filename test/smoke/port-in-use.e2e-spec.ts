import { createServer, type Server } from 'node:net';
import { EMBEDDED_MAIN, freePorts, run, stopGroup, type AppProcess } from './embedded-process.js';

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A port already in use: one line naming it and the variable to change, exit 1, nothing else. */
describe('npm start on a port already in use', () => {
  const started: AppProcess[] = [];
  const squatters: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(stopGroup));
    await Promise.all(squatters.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it.each([
    ['PORT', 'the BFF API'],
    ['SANDBOX_PORT', 'the sandbox OpenID Provider'],
  ] as const)('%s taken: one line naming the port and the variable, exit 1, no stack, no success line', async (variable, what) => {
    const ports = await freePorts();
    squatters.push(await occupy(Number(ports[variable])));
    const app = run(process.execPath, [EMBEDDED_MAIN], ports);
    started.push(app);

    expect((await app.closed).code).toBe(1);
    expect(app.stderr().trim().split('\n')).toEqual([
      `Could not start: Port ${ports[variable]} (${what}) is already in use: stop the process that holds it, or set ${variable} to another port.`,
    ]);
    expect(app.stdout()).not.toMatch(/successfully started|is running|listening/i);
    expect(app.stdout() + app.stderr()).not.toMatch(/^\s+at /m);
    expect(app.stdout() + app.stderr()).not.toContain('EPIPE');
  });

  it('a second instance on the same ports: one line, while the first keeps running', async () => {
    const ports = await freePorts();
    const first = run(process.execPath, [EMBEDDED_MAIN], ports);
    started.push(first);
    await first.waitFor('CIBA BFF is running');
    const second = run(process.execPath, [EMBEDDED_MAIN], ports);
    started.push(second);

    expect((await second.closed).code).toBe(1);
    expect(second.stderr().trim().split('\n')).toHaveLength(1);
    expect(second.stderr()).toContain(`Port ${ports.PORT}`);
    expect(second.stdout() + second.stderr()).not.toMatch(/^\s+at |EPIPE/m);
    expect(await fetch(`http://127.0.0.1:${ports.PORT}/health/live`).then((response) => response.status)).toBe(200);
  });
});

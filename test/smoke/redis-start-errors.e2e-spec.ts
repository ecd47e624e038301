import { startRedisServer, findFreePort, type RunningRedisServer } from '@ciba/embedded-redis';
import { BFF_MAIN, freePorts, run, stopGroup, type AppProcess } from './embedded-process.js';

/** `npm run start:bff` against a Redis it cannot use: the cause by name, one line, no stack trace. */
describe('Redis errors at start', () => {
  let secured: RunningRedisServer;
  const started: AppProcess[] = [];
  beforeAll(async () => {
    secured = await startRedisServer({ extraArgs: ['--requirepass', 'right-password'] });
  });
  afterAll(() => secured.stop());
  afterEach(() => Promise.all(started.splice(0).map(stopGroup)));

  async function startBffWith(redisUrl: string): Promise<string> {
    const app = run(process.execPath, [BFF_MAIN], { ...(await freePorts()), REDIS_URL: redisUrl });
    started.push(app);
    expect((await app.closed).code).toBe(1);
    expect(app.stdout() + app.stderr()).not.toMatch(/^\s+at /m);
    expect(app.stdout() + app.stderr()).not.toContain('Connection is closed');
    const lines = app.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  it('a closed port: ECONNREFUSED', async () => {
    const port = await findFreePort();
    expect(await startBffWith(`redis://127.0.0.1:${port}`)).toMatch(
      new RegExp(`Redis at redis://127.0.0.1:${port}: ECONNREFUSED.*start Redis or correct REDIS_URL`),
    );
  });

  it('no password for a Redis that requires one: NOAUTH', async () => {
    expect(await startBffWith(secured.url)).toMatch(/NOAUTH .*give it in REDIS_URL/);
  });

  it('a wrong password: WRONGPASS, and the password is not printed', async () => {
    const line = await startBffWith(`redis://:not-the-password@127.0.0.1:${secured.port}`);
    expect(line).toMatch(/WRONGPASS .*password in REDIS_URL is wrong/);
    expect(line).not.toContain('not-the-password');
  });
});

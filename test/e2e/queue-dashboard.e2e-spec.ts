import { AuthenticationRepository, Keyring } from '@ciba/store';
import { startBff } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { LOOPS_PER_PROVIDER, loopJobId } from '../../apps/bff/src/polling/poll-queues.js';
import { Writable } from 'node:stream';
import { startStack, type Stack } from '../support/bff-stack.js';

const DASHBOARD = '/admin/queues';
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`operator:${key}`).toString('base64')}` });

/**
 * Bull Board at /admin/queues: admin consumers only (Bearer or Basic), read-only, every queue.
 * API and workers in one process, so the poll loops exist and run while the test looks at them.
 */
describe('queue dashboard', () => {
  let stack: Stack;
  let admin: Record<string, string>;
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });

  beforeAll(async () => {
    stack = await startStack({ logSink, configure: (tree) => (tree.consumers.portal.admin = true) });
    admin = basic(stack.keys.portal);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${stack.bff!.url}${path}`, { method, headers, redirect: 'manual' });

  async function expectProblem(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status, code, type: `urn:ciba-bff:problem:${code}` });
    return problem;
  }

  it('asks for credentials (Basic, for the browser) with a 401 problem document when there are none or they are wrong', async () => {
    const answers = [await get(DASHBOARD), await get(DASHBOARD, bearer('wrong-key')), await get(DASHBOARD, basic('wrong-key'))];
    for (const answer of answers) {
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="ciba-bff admin", charset="UTF-8"');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      await expectProblem(answer, 401, 'unauthorized');
    }
    // The key in the URL is not a credential.
    expect((await get(`${DASHBOARD}?apiKey=${stack.keys.portal}`)).status).toBe(401);
  });

  it("is the API's 404 for a consumer without admin, as if it did not exist", async () => {
    const headerNames = (response: Response) => [...response.headers.keys()].sort();
    const unknownRoute = await get('/admin/nothing-here', bearer(stack.keys.other));
    for (const headers of [bearer(stack.keys.other), basic(stack.keys.other)]) {
      for (const path of [DASHBOARD, `${DASHBOARD}/api/queues`]) {
        const answer = await get(path, headers);
        expect(headerNames(answer)).toEqual(headerNames(unknownRoute));
        const problem = await expectProblem(answer, 404, 'not_found');
        expect(problem.detail).toBe('No such resource.');
      }
    }
  });

  it('serves the page to an admin by Bearer or Basic, with its scripts and styles behind the same check', async () => {
    for (const headers of [bearer(stack.keys.portal), admin]) {
      const page = await get(DASHBOARD, headers);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, page.headers.get(name)]))).toEqual(SECURITY_HEADERS);
      expect(page.headers.get('x-powered-by')).toBeNull();
      const html = await page.text();
      expect(html).toContain('<base href="/admin/queues/"');
      expect(html).not.toContain(stack.keys.portal);
    }

    const html = await (await get(DASHBOARD, admin)).text();
    const assets = [...html.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]);
    expect(assets.filter((asset) => asset.endsWith('.js')).length).toBeGreaterThan(0);
    expect(assets.filter((asset) => asset.endsWith('.css')).length).toBeGreaterThan(0);
    for (const asset of assets) {
      const loaded = await get(`${DASHBOARD}/${asset}`, admin);
      expect(loaded.status).toBe(200);
      expect(loaded.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /javascript/ : /^text\/css/);
      expect(loaded.headers.get('cache-control')).toBe('no-store');
      expect((await loaded.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect((await get(`${DASHBOARD}/${asset}`)).status).toBe(401);
    }
  });

  it('lists every queue, read-only; the poll loops carry no data, nothing of a customer shows', async () => {
    const started = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111' });
    expect(started.status).toBe(201);
    const id = started.body!.id as string;
    const record = await stack.bff!.app.get(AuthenticationRepository).get(id);
    expect(record?.authReqId).toBeTruthy();

    const answer = await get(`${DASHBOARD}/api/queues?activeQueue=poll-sandbox&status=latest`, bearer(stack.keys.portal));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const text = await answer.text();
    const { queues } = JSON.parse(text) as { queues: ({ name: string } & Record<string, any>)[] };
    expect(queues.map((queue) => queue.name).sort()).toEqual(['maintenance', 'poll-sandbox', 'webhooks']);
    expect(queues.every((queue) => queue.readOnlyMode === true && queue.allowRetries === false)).toBe(true);

    const poll = queues.find((queue) => queue.name === 'poll-sandbox')!;
    // The provider's loop jobs: one running on this worker, the others waiting as stand-bys.
    expect(Object.values(poll.counts as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(LOOPS_PER_PROVIDER);
    const jobs = poll.jobs as { data: unknown }[];
    expect(jobs.map((job) => job.data)).toEqual(jobs.map(() => ({})));
    expect(text).not.toContain('01001011111');
    expect(text).not.toContain(record!.authReqId);
  });

  it('refuses every change, even from an admin, and the job is still there', async () => {
    const started = await stack.portal.start({ provider: 'sandbox', loginHint: '01001022222' });
    expect(started.status).toBe(201);
    const jobUrl = `${DASHBOARD}/api/queues/poll-sandbox/${loopJobId(1)}`;
    expect((await get(jobUrl, admin)).status).toBe(200);

    for (const [method, path] of [
      ['PUT', `${jobUrl}/clean`],
      ['PUT', `${jobUrl}/promote`],
      ['PUT', `${DASHBOARD}/api/queues/poll-sandbox/pause`],
      ['PUT', `${DASHBOARD}/api/queues/poll-sandbox/empty`],
      ['DELETE', jobUrl],
    ]) {
      const refused = await get(path, admin, method);
      expect(refused.headers.get('allow')).toBe('GET, HEAD');
      await expectProblem(refused, 405, 'method_not_allowed');
    }
    const add = await fetch(`${stack.bff!.url}${DASHBOARD}/api/queues/poll-sandbox/add`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'poll', data: { authenticationId: 'forged' } }),
    });
    await expectProblem(add, 405, 'method_not_allowed');
    // A non-admin learns nothing more from a change than from a read.
    await expectProblem(await get(`${jobUrl}/clean`, bearer(stack.keys.other), 'PUT'), 404, 'not_found');

    const still = await get(jobUrl, admin);
    expect(still.status).toBe(200);
    expect(await still.json()).toMatchObject({ job: { id: loopJobId(1) } });
    const listing = (await (await get(`${DASHBOARD}/api/queues`, admin)).json()) as { queues: Record<string, any>[] };
    expect(listing.queues.find((queue) => queue.name === 'poll-sandbox')!.isPaused).toBe(false);
  });

  it('logs who looked at the dashboard, never the key', async () => {
    expect((await get(`${DASHBOARD}/api/queues`, admin)).status).toBe(200);
    const log = logLines.join('');
    const requests = logLines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"http.request"'));
    expect(
      requests.some(
        (line) =>
          line.includes('"consumer":"portal"') && line.includes('"path":"/admin/queues/api/queues"') && line.includes('"status":200'),
      ),
    ).toBe(true);
    for (const key of [stack.keys.portal, stack.keys.other]) expect(log).not.toContain(key);
    expect(log).not.toContain(admin.authorization.slice('Basic '.length));
  });

  it('is not served by a worker process (ROLE=worker serves health routes only)', async () => {
    const worker = await startBff({
      config: stack.config,
      keyring: Keyring.parse(stack.encryptionKey),
      logger: createLogger('silent'),
      redisUrl: stack.redis.url,
      role: 'worker',
      port: 0,
      host: '127.0.0.1',
      sandbox: false,
    });
    try {
      const answer = await fetch(`${worker.url}${DASHBOARD}`, { headers: admin });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('www-authenticate')).toBeNull();
      expect((await fetch(`${worker.url}${DASHBOARD}`)).status).toBe(404);
    } finally {
      await worker.close();
    }
  });
});

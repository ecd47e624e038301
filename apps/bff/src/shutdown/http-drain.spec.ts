import { createServer, request, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDrain } from './http-drain.js';

/** A server whose handlers the test holds: each request waits until the test answers it. */
async function heldServer() {
  const waiting: ServerResponse[] = [];
  const arrivals: ((response: ServerResponse) => void)[] = [];
  const server: Server = createServer((_request, response) => {
    const next = arrivals.shift();
    if (next) next(response);
    else waiting.push(response);
  });
  const drain = new HttpDrain(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true });
  const get = (path = '/') =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
        response.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  const arrived = () => new Promise<ServerResponse>((resolve) => (waiting.length ? resolve(waiting.shift()!) : arrivals.push(resolve)));
  return { server, drain, get, arrived, agent };
}

/** Fails the test if `promise` has not settled within `ms`: the drain must not wait out keep-alive. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('HttpDrain', () => {
  it('closes at once when only idle keep-alive connections are open', async () => {
    const { drain, get, arrived, agent } = await heldServer();
    const answered = get();
    (await arrived()).end('ok');
    expect((await answered).body).toBe('ok');
    // Node would keep the idle connection 5 s (keepAliveTimeout) before closing the server.
    await within(drain.drain(60_000), 1000);
    agent.destroy();
  });

  it('lets a request in progress finish, asks its client not to reuse the connection, then closes', async () => {
    const { drain, get, arrived, agent } = await heldServer();
    const answered = get();
    const response = await arrived();
    expect(drain.inFlight).toBe(1);
    const closed = drain.drain(60_000);
    response.end('finished');
    const result = await answered;
    expect(result).toMatchObject({ status: 200, body: 'finished' });
    expect(result.headers.connection).toBe('close');
    await within(closed, 1000);
    await expect(get()).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });

  it('a stream whose headers were already sent closes as soon as it ends (no keep-alive wait)', async () => {
    const { drain, get, arrived, agent } = await heldServer();
    const answered = get('/events');
    const response = await arrived();
    response.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' }).flushHeaders();
    const closed = drain.drain(60_000);
    response.end('retry: 1000\n\n');
    expect((await answered).body).toBe('retry: 1000\n\n');
    await within(closed, 1000);
    agent.destroy();
  });

  it('cuts what is still open after the grace period', async () => {
    const { drain, get, arrived, agent } = await heldServer();
    const answered = get('/long-poll');
    await arrived(); // never answered
    await within(drain.drain(50), 1000);
    await expect(answered).rejects.toThrow(/socket hang up|ECONNRESET/);
    agent.destroy();
  });
});

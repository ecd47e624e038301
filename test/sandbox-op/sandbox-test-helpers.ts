import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import * as client from 'openid-client';

export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';

export function discover(issuer: string, clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

/** One token-endpoint poll (no waiting/looping: the tests decide when to poll). */
export function pollOnce(config: client.Configuration, authReqId: string) {
  return client.genericGrantRequest(config, CIBA_GRANT, { auth_req_id: authReqId });
}

/** The OAuth `error` code a rejected call failed with. */
export async function oauthError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof client.ResponseBodyError) return error.error;
    throw error;
  }
  throw new Error('expected an OAuth error response, got success');
}

/**
 * Records everything written through console.* while installed, so a test can assert that the
 * provider stays quiet. Returns the recorded lines and a restore function.
 */
export function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((method) => console[method]);
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines.push(`${method}: ${args.map(String).join(' ')}`);
    };
  }
  return {
    lines,
    restore: () => methods.forEach((method, index) => (console[method] = originals[index]!)),
  };
}

export interface ReceivedPing {
  authorization: string | undefined;
  body: { auth_req_id?: string };
}

/** A stand-in for the relying party's CIBA ping endpoint; `next()` resolves on the next ping. */
export class PingReceiver {
  readonly #events = new EventEmitter();
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(204).end();
      this.#events.emit('ping', {
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      } satisfies ReceivedPing);
    });
  });

  async start(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/ciba/ping`;
  }

  async next(): Promise<ReceivedPing> {
    const [ping] = (await once(this.#events, 'ping')) as [ReceivedPing];
    return ping;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { closeServer } from './http-server.js';

export interface JwksFrontRules {
  /** Answer HTTP 503 to this many fetches (before serving any). */
  unavailable?: number;
  /**
   * Serve the set without these key ids to this many fetches (after any 503s): the set as it
   * was before the provider rotated to them. `Infinity`: they never appear.
   */
  hidden?: { kids: string[]; fetches: number };
}

export interface JwksFetch {
  /** When it arrived (epoch ms). */
  at: number;
  answer: 'unavailable' | 'without_hidden_keys' | 'full';
}

export interface JwksFront {
  /** The jwks_uri to configure. */
  url: string;
  /** Every fetch, in order. */
  fetches: JwksFetch[];
  rules: JwksFrontRules;
  close(): Promise<void>;
}

/**
 * A test-only jwks_uri in front of a real provider's: each fetch is forwarded to `upstream` and
 * recorded, and the answer can be what a provider in trouble sends (503) or the set before a key
 * rotation (some keys missing).
 */
export async function startJwksFront(upstream: string, rules: JwksFrontRules = {}): Promise<JwksFront> {
  const fetches: JwksFetch[] = [];
  let served = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const at = Date.now();
      if (rules.unavailable && rules.unavailable > 0) {
        rules.unavailable -= 1;
        fetches.push({ at, answer: 'unavailable' });
        return void response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
      }
      const set = (await (await fetch(upstream)).json()) as { keys: JWK[] };
      served += 1;
      const hide = rules.hidden && served <= rules.hidden.fetches ? new Set(rules.hidden.kids) : undefined;
      fetches.push({ at, answer: hide ? 'without_hidden_keys' : 'full' });
      const keys = hide ? set.keys.filter((key) => !hide.has(key.kid ?? '')) : set.keys;
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys }));
    })().catch((error: unknown) => response.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    fetches,
    rules,
    close: () => closeServer(server),
  };
}

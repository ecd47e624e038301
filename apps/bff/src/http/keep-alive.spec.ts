import { createServer } from 'node:http';
import { KEEP_ALIVE_TIMEOUT_MS, keepConnectionsAlive } from './keep-alive.js';

describe(keepConnectionsAlive.name, () => {
  it('keeps idle connections longer than a 60 s load balancer does, with the headers timeout above it', () => {
    const server = createServer();
    expect(server.keepAliveTimeout).toBe(5000); // Node's default, which reset reused connections
    keepConnectionsAlive(server);
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });
});

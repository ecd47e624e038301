import { consoleClient } from './console-client.js';
import { startSandboxProvider } from './sandbox-provider.js';

/*
 * Standalone sandbox OP for local development:
 *   SANDBOX_PORT (4000), SANDBOX_HOST (127.0.0.1), SANDBOX_ISSUER (http://host:port),
 *   SANDBOX_CLIENT_SECRET (sandbox-secret) for its clients `bff` (client_secret_basic, poll) and
 *   `bff-ping` (ping mode, notifying SANDBOX_PING_ENDPOINT, default the BFF on 127.0.0.1:3000);
 *   CONSOLE_CLIENT_SECRET (console-secret) for the agent console's sign-in (`ciba-console`), whose
 *   browser reaches the BFF at SANDBOX_CONSOLE_ORIGINS (comma-separated, default
 *   http://127.0.0.1:3000,http://localhost:3000).
 */
const port = Number(process.env.SANDBOX_PORT ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`SANDBOX_PORT must be a port number, got ${process.env.SANDBOX_PORT}`);
}

const log = (line: string) => process.stdout.write(`${line}\n`);

const sandbox = await startSandboxProvider({
  port,
  host: process.env.SANDBOX_HOST ?? '127.0.0.1',
  issuer: process.env.SANDBOX_ISSUER || undefined,
  clients: [
    {
      client_id: 'bff',
      client_secret: process.env.SANDBOX_CLIENT_SECRET ?? 'sandbox-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      backchannel_token_delivery_mode: 'poll',
    },
    {
      client_id: 'bff-ping',
      client_secret: process.env.SANDBOX_CLIENT_SECRET ?? 'sandbox-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      backchannel_token_delivery_mode: 'ping',
      backchannel_client_notification_endpoint: process.env.SANDBOX_PING_ENDPOINT ?? 'http://127.0.0.1:3000/ciba/notify/sandbox-ping',
    },
    consoleClient(
      process.env.CONSOLE_CLIENT_SECRET ?? 'console-secret',
      (process.env.SANDBOX_CONSOLE_ORIGINS ?? 'http://127.0.0.1:3000,http://localhost:3000').split(',').map((origin) => origin.trim()),
    ),
  ],
  log,
});

log(JSON.stringify({ event: 'sandbox.started', issuer: sandbox.issuer, deviceUrl: sandbox.deviceUrl }));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log(JSON.stringify({ event: 'sandbox.stopping', signal }));
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(JSON.stringify({ event: 'sandbox.stop_failed', error: String(error) }));
        process.exit(1);
      },
    );
  });
}

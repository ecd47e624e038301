import { startStack, type Stack } from '../support/bff-stack.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { writeConfigFile } from '../support/worker-process.js';
import { startBffProcess, type BffProcess } from './bff-process.js';
import { startLedgerProxy, type LedgerProxy } from './ledger-proxy.js';

/** The interval the recording proxy adds to every acknowledgement (oidc-provider sends none). */
export const ACK_INTERVAL_SECONDS = 2;

export interface ScaleStack {
  stack: Stack;
  ledger: LedgerProxy;
  recording: RecordingProxy;
  /** Starts a compiled BFF process whose provider endpoints carry `name`, so the ledger knows who asked. */
  start(name: string, role: 'api' | 'worker' | undefined): Promise<BffProcess>;
  close(): Promise<void>;
}

/**
 * A real Redis and the real sandbox provider, no BFF in the test process: the tests start the
 * compiled BFF as separate processes. Provider `proxied` reaches the sandbox through the ledger
 * proxy, then the recording proxy (which adds the interval). Every process gets the same
 * configuration except the proxy path naming it.
 */
export async function startScaleStack(): Promise<ScaleStack> {
  let ledger!: LedgerProxy;
  let recording!: RecordingProxy;
  const stack = await startStack({
    startBff: false,
    providers: async (sandbox) => {
      const endpoints = await discover(sandbox.issuer);
      recording = await startRecordingProxy(endpoints, { ackInterval: ACK_INTERVAL_SECONDS });
      ledger = await startLedgerProxy({
        backchannel: `${recording.url}/backchannel`,
        token: `${recording.url}/token`,
        jwks: endpoints.jwks,
      });
      return { proxied: provider(sandbox.issuer, ledger.endpointsFor('unnamed')) };
    },
  });
  const processes: BffProcess[] = [];
  return {
    stack,
    ledger,
    recording,
    start: async (name, role) => {
      const tree = structuredClone(stack.configTree) as { providers: Record<string, unknown> };
      tree.providers.proxied = provider(stack.sandbox.issuer, ledger.endpointsFor(name));
      const started = await startBffProcess(name, role, {
        CIBA_CONFIG: writeConfigFile(tree),
        REDIS_URL: stack.redis.url,
        CIBA_ENCRYPTION_KEY: stack.encryptionKey,
      });
      processes.push(started);
      return started;
    },
    close: async () => {
      await Promise.all(processes.map((process) => process.stop()));
      await stack?.close();
      await ledger?.close();
      await recording?.close();
    },
  };
}

function provider(issuer: string, endpoints: ReturnType<LedgerProxy['endpointsFor']>) {
  return {
    issuer,
    ...endpoints,
    clientId: 'bff',
    clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
    scope: 'openid profile',
    allowInsecureHttp: true,
  };
}

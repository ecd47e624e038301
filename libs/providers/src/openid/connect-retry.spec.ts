import { CONNECT_ATTEMPTS, retryingUnsent } from './connect-retry.js';
import type { ProviderFailure } from './provider-failure.js';

/** A send that fails with these failures in turn (each the cause of its error), then answers 'ack'. */
function sending(...failures: ProviderFailure[]) {
  let sends = 0;
  const send = async () => {
    sends += 1;
    const failure = failures.shift();
    if (failure) throw new Error('send failed', { cause: failure });
    return 'ack';
  };
  return { send, sends: () => sends };
}
const classify = async (error: unknown) => (error as Error).cause as ProviderFailure;
const toError = (failure: ProviderFailure) => new Error(`refused: ${failure.kind}`);
const refused: ProviderFailure = { kind: 'network', neverSent: true, detail: 'ECONNREFUSED' };

describe(retryingUnsent.name, () => {
  it('sends again while the connection is refused, up to CONNECT_ATTEMPTS sends in all', async () => {
    const twice = sending(refused, refused);
    await expect(retryingUnsent(twice.send, classify, toError)).resolves.toBe('ack');
    expect(twice.sends()).toBe(3);
    const always = sending(...Array.from({ length: CONNECT_ATTEMPTS }, () => refused));
    await expect(retryingUnsent(always.send, classify, toError)).rejects.toThrow('refused: network');
    expect(always.sends()).toBe(CONNECT_ATTEMPTS);
  });

  it('never sends again a request that may have reached the provider', async () => {
    for (const failure of [
      { kind: 'network', neverSent: false, detail: 'ECONNRESET' },
      { kind: 'timeout' },
      { kind: 'http', status: 503 },
    ] satisfies ProviderFailure[]) {
      const once = sending(failure);
      await expect(retryingUnsent(once.send, classify, toError)).rejects.toThrow(`refused: ${failure.kind}`);
      expect(once.sends()).toBe(1);
    }
  });
});

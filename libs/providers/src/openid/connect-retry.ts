import type { ProviderFailure } from './provider-failure.js';

/** How often a request is sent in all while its connection is refused: such a request never reached the provider. */
export const CONNECT_ATTEMPTS = 3;

/**
 * Sends a backchannel request, and sends it again only while its failure proves it never left
 * (`neverSent`, at most `CONNECT_ATTEMPTS` sends in all): CIBA Core §7.1, every accepted request
 * alerts the customer. Any other failure, or the last refusal, is thrown as `toError` words it.
 */
export async function retryingUnsent<T>(
  send: () => Promise<T>,
  classify: (error: unknown) => Promise<ProviderFailure>,
  toError: (failure: ProviderFailure) => Error,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const failure = await classify(error);
      if (failure.kind === 'network' && failure.neverSent && attempt < CONNECT_ATTEMPTS) continue;
      throw toError(failure);
    }
  }
}
